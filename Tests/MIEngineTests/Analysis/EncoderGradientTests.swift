import Testing
@testable import MIEngine

/// The encoder gradients of 004 Figure 4 against central finite differences
/// in Double: the noise (x, eps) is held fixed while rho moves, so y and the
/// optimal critic move with it.
@Suite struct EncoderGradientTests {
    /// Unequal correlations of both signs, one close to 1.
    static let rho = [0.3, -0.6, 0.85]

    static func noise(k: Int, seed: UInt64) -> GaussianEncoder.Noise {
        var rng = RNG(seed: seed)
        return GaussianEncoder(rho: rho).noise(batch: k, rng: &rng)
    }

    /// Every dS_ij / drho_d.
    @Test func scoreJacobianMatchesFiniteDifferences() {
        let k = 4
        let n = Self.noise(k: k, seed: 1)
        let jac = GaussianEncoder(rho: Self.rho).scoreJacobian(n)
        var analytic: [Double] = [], numeric: [Double] = []
        for s in 0..<(k * k) {
            let fd = FiniteDifference.gradient(Self.rho) { r in GaussianEncoder(rho: r).scores(n).storage[s] }
            numeric += fd
            analytic += jac.row(s)
        }
        let err = FiniteDifference.relativeError(analytic, numeric)
        #expect(err < gradientTolerance, "relative error \(err)")
    }

    /// The BLAS contraction equals the Jacobian contracted by hand.
    @Test func contractionMatchesJacobian() {
        let k = 7
        let n = Self.noise(k: k, seed: 2)
        let enc = GaussianEncoder(rho: Self.rho)
        let d = randomScores(k: k, seed: 3)
        let jac = enc.scoreJacobian(n)
        let byHand = (0..<Self.rho.count).map { j in (0..<(k * k)).reduce(0.0) { $0 + d[$1] * jac[$1, j] } }
        let fast = enc.rhoGradient(n, dScores: d)
        #expect(FiniteDifference.relativeError(fast, byHand) < 1e-12)
    }

    static let bounds: [any Bound] = [
        NWJ(), InfoNCE(), InfoNCE(normalise: .columns, name: "structured_nce"),
        Interpolated(alpha: 0.01), Interpolated(alpha: 0.5), Interpolated(alpha: 0.99), Interpolated(alpha: 1),
        LeaveOneOutUpperBound(), TUBA(), DV(),
    ]

    /// d objective / d rho of a whole bound, through the critic and the samples.
    @Test(arguments: bounds.indices)
    func boundGradientMatchesFiniteDifferences(_ index: Int) {
        let template = Self.bounds[index]
        let k = 6
        let n = Self.noise(k: k, seed: 10 + UInt64(index))
        let analytic = encoderGradients([template], encoder: GaussianEncoder(rho: Self.rho), noise: n, parallelism: .allCores)[0]
        let numeric = FiniteDifference.gradient(Self.rho) { r in
            var bound = template
            let s = GaussianEncoder(rho: r).scores(n, shift: bound.optimalShift).storage
            let baseline: [Double]? = bound.baseline == .learned ? [Double](repeating: 0, count: k) : nil
            return bound.evaluate(Scores(s, pairs: .all(k)), logBaseline: baseline).objective
        }
        let err = FiniteDifference.relativeError(analytic, numeric)
        #expect(err < gradientTolerance, "\(template.name): relative error \(err)")
    }

    /// The analytic gradient of MI = -1/2 sum log(1 - rho^2), by differences.
    @Test func trueGradientIsDMIDRho() {
        let enc = GaussianEncoder(rho: Self.rho)
        let fd = FiniteDifference.gradient(Self.rho) { GaussianEncoder(rho: $0).mi }
        #expect(FiniteDifference.relativeError(enc.trueGradient, fd) < gradientTolerance)
        #expect(abs(GaussianEncoder(dim: 20, mi: 4).mi - 4) < 1e-12)
    }

    /// The encoder's samples are the Gaussian source's: same draws, same y.
    @Test func encoderSamplesMatchGaussianSource() {
        let enc = GaussianEncoder(dim: 5, mi: 2)
        var a = RNG(seed: 4), b = RNG(seed: 4)
        let n = enc.noise(batch: 8, rng: &a)
        let batch = GaussianSource(dim: 5, mi: 2).sample(batch: 8, step: 0, rng: &b)
        #expect(n.x == batch.x)
        #expect(FiniteDifference.relativeError(enc.outputs(n).storage, batch.y.storage) < 1e-15)
    }
}
