import Testing
@testable import MIEngine

/// Each critic's input gradient ∇_(x,y) f at matched rows against central
/// finite differences of sum_r f(x_r, y_r), in Double.
@Suite struct InputGradientTests {
    @Test(arguments: LipschitzKind.allCases, Activation.allCases)
    func inputGradient(_ kind: LipschitzKind, _ act: Activation) {
        var rng = RNG(seed: 17)
        let critic = kind.make(act, rng: &rng)
        check(critic, rng: &rng)
    }

    @Test func innerProductInputGradient() {
        var rng = RNG(seed: 2)
        check(BilinearCritic<Double>(innerProductOf: 3), rng: &rng)
    }

    /// The pointwise scores are the diagonal of the all-pairs scores.
    @Test(arguments: LipschitzKind.allCases)
    func pointwiseMatchesPairScores(_ kind: LipschitzKind) {
        var rng = RNG(seed: 5)
        let critic = kind.make(.elu, rng: &rng)
        let k = 6
        let x = randomMatrix(k, critic.dimX, rng: &rng), y = randomMatrix(k, critic.dimY, rng: &rng)
        let all = critic.forward(x: x, y: y, pairs: .all(k))
        let diagonal = (0..<k).map { all[$0 * k + $0] }
        #expect(FiniteDifference.relativeError(critic.pointwiseForward(x: x, y: y), diagonal) < 1e-12)
    }

    private func check(_ critic: some LipschitzCritic<Double>, rng: inout RNG) {
        let n = 5, dx = critic.dimX, dy = critic.dimY
        let x = randomMatrix(n, dx, rng: &rng), y = randomMatrix(n, dy, rng: &rng)
        _ = critic.pointwiseForward(x: x, y: y)
        let (vx, vy) = critic.inputGradient()
        let fdx = FiniteDifference.gradient(x.storage, step: 1e-6) {
            critic.pointwiseForward(x: Matrix(rows: n, cols: dx, storage: $0), y: y).reduce(0, +)
        }
        let fdy = FiniteDifference.gradient(y.storage, step: 1e-6) {
            critic.pointwiseForward(x: x, y: Matrix(rows: n, cols: dy, storage: $0)).reduce(0, +)
        }
        let err = FiniteDifference.relativeError(vx.storage + vy.storage, fdx + fdy)
        #expect(err < gradientTolerance, "\(critic.name): input gradient relative error \(err)")
    }
}
