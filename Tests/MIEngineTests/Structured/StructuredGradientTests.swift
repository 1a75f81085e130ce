import Testing
@testable import MIEngine

/// Parameter gradients of the structured estimators against central finite
/// differences in Double.
@Suite struct StructuredGradientTests {
    static let source = GaussianSource(rho: [0.3, -0.6, 0.85])

    static func batch(_ k: Int, seed: UInt64) -> Batch {
        var rng = RNG(seed: seed)
        return source.sample(batch: k, step: 0, rng: &rng)
    }

    /// dR/d(mean, logStd) of the variational upper bound (004 eq. 1).
    @Test func variationalUpperBoundGradient() {
        let q = DiagonalGaussian<Double>(dim: 3, mean: [0.4, -0.2, 1.1], logStd: [-0.3, 0.2, 0.5])
        let estimator = VariationalUpperBoundEstimator(source: Self.source, marginal: q)
        let b = Self.batch(9, seed: 1)
        q.store.zeroGrad()
        _ = estimator.upperBound(b, step: 0, accumulate: true)
        let analytic = Array(q.store.grads.prefix(q.store.count))
        let theta = q.store.snapshot
        let numeric = FiniteDifference.gradient(theta) { t in
            q.store.load(t)
            return estimator.upperBound(b, step: 0, accumulate: false)
        }
        q.store.load(theta)
        let err = FiniteDifference.relativeError(analytic, numeric)
        #expect(err < gradientTolerance, "relative error \(err)")
    }

    /// d(-I_BA)/dtheta (004 eq. 2) through a linear decoder and through an
    /// MLP decoder with a hidden tanh layer.
    @Test(arguments: [[Int](), [8]])
    func barberAgakovGradient(_ hidden: [Int]) {
        var rng = RNG(seed: 3)
        let decoder = GaussianDecoder<Double>(dimY: 3, dimX: 3, hidden: hidden, activation: .tanh, rng: &rng)
        decoder.logStd.load([-0.4, 0.1, 0.3])
        // A non-zero bias so every parameter matters.
        for l in decoder.mean.layers {
            for o in 0..<l.outputs { decoder.mean.store.values[l.biasOffset + o] = 0.1 * Double(o + 1) }
        }
        let estimator = BarberAgakovEstimator(source: Self.source, decoder: decoder)
        let b = Self.batch(7, seed: 2)
        for s in decoder.stores { s.zeroGrad() }
        _ = estimator.lowerBound(b, accumulate: true)
        let analytic = decoder.stores.flatMap { Array($0.grads.prefix($0.count)) }
        let sizes = decoder.stores.map(\.count)
        let theta = decoder.stores.flatMap(\.snapshot)
        func load(_ t: [Double]) {
            var offset = 0
            for (s, n) in zip(decoder.stores, sizes) {
                s.load(Array(t[offset..<(offset + n)]))
                offset += n
            }
        }
        // The loss is -I_BA.
        let numeric = FiniteDifference.gradient(theta) { t in
            load(t)
            return -estimator.lowerBound(b, accumulate: false)
        }
        load(theta)
        let err = FiniteDifference.relativeError(analytic, numeric)
        #expect(err < gradientTolerance, "hidden \(hidden): relative error \(err)")
    }

    /// The closed-form KL(N(0, I) || q) matches a Monte Carlo estimate of
    /// E_y~N(0,I)[log N(y; 0, I) - log q(y)] within 3 SE.
    @Test func klFromStandardNormal() {
        let q = DiagonalGaussian<Double>(dim: 3, mean: [0.4, -0.2, 1.1], logStd: [-0.3, 0.2, 0.5])
        var rng = RNG(seed: 8)
        let y = Matrix(rows: 20000, cols: 3, storage: rng.normals(60000))
        let diff = zip(standardNormalLogDensity(y), q.logDensity(y)).map { $0 - $1 }
        let s = EstimateSummary(diff, truth: q.klFromStandardNormal)
        #expect(abs(s.bias) <= 3 * s.standardError, "MC \(s.mean) vs closed form \(s.truth)")
    }
}
