import Testing
@testable import MIEngine

/// Spectral normalisation: the power iteration's sigma against LAPACK's
/// SVD, the exact gradient through W / sigma(W) with u, v held fixed
/// against finite differences, and the Lipschitz bound it buys.
@Suite struct SpectralNormTests {
    /// One matrix alone in a store, as the power iteration sees it.
    static func single(_ rows: Int, _ cols: Int, seed: UInt64) -> (ParameterStore<Double>, SpectralNorm<Double>, Matrix<Double>) {
        var rng = RNG(seed: seed)
        let w = randomMatrix(rows, cols, rng: &rng)
        let store = ParameterStore<Double>(count: rows * cols)
        store.load(w.storage)
        return (store, SpectralNorm(matrices: [WeightMatrix(store: 0, offset: 0, rows: rows, cols: cols)], rng: &rng), w)
    }

    /// sigma = u^T W v never exceeds the top singular value (u, v unit),
    /// and one iteration per step converges to it.
    @Test(arguments: [(30, 20), (20, 30), (1, 15), (15, 1), (64, 64)])
    func powerIterationConverges(_ shape: (Int, Int)) {
        let (store, sn, w) = Self.single(shape.0, shape.1, seed: UInt64(shape.0 * 100 + shape.1))
        let truth = w.singularValues[0]
        var previous = 0.0
        for step in 0..<400 {
            sn.normalize([store], iterate: true)
            sn.restore([store], mapGradients: false)
            let sigma = sn.sigmas[0]
            #expect(sigma <= truth * (1 + 1e-12), "step \(step): sigma \(sigma) above the top singular value \(truth)")
            #expect(sigma >= previous * (1 - 1e-12), "step \(step): sigma decreased")
            previous = sigma
        }
        #expect(abs(previous - truth) / truth < 1e-10, "sigma \(previous) vs SVD \(truth)")
        #expect(store.snapshot == w.storage, "raw weights not restored")
    }

    /// After normalising, the stored matrix has spectral norm 1.
    @Test func normalisedMatrixHasUnitNorm() {
        let (store, sn, _) = Self.single(12, 7, seed: 3)
        for _ in 0..<200 {
            sn.normalize([store], iterate: true)
            sn.restore([store], mapGradients: false)
        }
        sn.normalize([store], iterate: false)
        let normalised = Matrix(rows: 12, cols: 7, storage: store.snapshot)
        sn.restore([store], mapGradients: false)
        #expect(abs(normalised.singularValues[0] - 1) < 1e-10)
    }

    /// d/dW of L(W / sigma(W)), sigma = u^T W v with u, v fixed, where L is
    /// a weighted sum of the critic's all-pairs scores.
    @Test(arguments: LipschitzKind.allCases, [Activation.tanh, .relu])
    func gradientThroughNormalisation(_ kind: LipschitzKind, _ act: Activation) {
        var rng = RNG(seed: 41)
        let critic = kind.make(act, rng: &rng)
        let sn = SpectralNorm<Double>(matrices: critic.weightMatrices, rng: &rng)
        let stores = critic.stores
        for _ in 0..<3 {
            sn.normalize(stores, iterate: true)
            sn.restore(stores, mapGradients: false)
        }
        let k = 4
        let x = randomMatrix(k, critic.dimX, rng: &rng), y = randomMatrix(k, critic.dimY, rng: &rng)
        let weights = rng.normals(k * k)
        func loss() -> Double {
            sn.normalize(stores, iterate: false)
            defer { sn.restore(stores, mapGradients: false) }
            return zip(critic.forward(x: x, y: y, pairs: .all(k)), weights).reduce(0) { $0 + $1.0 * $1.1 }
        }
        critic.zeroGrad()
        sn.normalize(stores, iterate: false)
        _ = critic.forward(x: x, y: y, pairs: .all(k))
        critic.backward(weights)
        sn.restore(stores, mapGradients: true)
        for (si, store) in stores.enumerated() {
            let analytic = Array(store.grads.prefix(store.count))
            let err = FiniteDifference.relativeError(analytic, storeGradientFD(store, loss))
            #expect(err < gradientTolerance, "\(critic.name) store \(si): relative error \(err)")
        }
    }

    /// With converged sigmas a normalised concat critic is 1-Lipschitz:
    /// its input gradient never has norm above 1.
    @Test(arguments: Activation.allCases)
    func concatCriticIsOneLipschitz(_ act: Activation) {
        var rng = RNG(seed: 12)
        let critic = LipschitzKind.concat.make(act, rng: &rng)
        let sn = SpectralNorm<Double>(matrices: critic.weightMatrices, rng: &rng)
        let before = critic.stores.map(\.snapshot)
        for _ in 0..<300 {
            sn.normalize(critic.stores, iterate: true)
            sn.restore(critic.stores, mapGradients: false)
        }
        sn.normalize(critic.stores, iterate: false)
        let n = 200
        _ = critic.pointwiseForward(x: randomMatrix(n, critic.dimX, rng: &rng, scale: 3),
                                    y: randomMatrix(n, critic.dimY, rng: &rng, scale: 3))
        let (vx, vy) = critic.inputGradient()
        sn.restore(critic.stores, mapGradients: false)
        var largest = 0.0
        for r in 0..<n { largest = max(largest, (vx.row(r) + vy.row(r)).reduce(0) { $0 + $1 * $1 }.squareRoot()) }
        #expect(largest <= 1 + 1e-9, "input gradient norm \(largest)")
        #expect(largest > 0.05, "critic collapsed to a constant")
        #expect(critic.stores.map(\.snapshot) == before, "raw weights not restored")
    }
}
