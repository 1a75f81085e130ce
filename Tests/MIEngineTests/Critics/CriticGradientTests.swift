import Testing
@testable import MIEngine

/// Each critic's parameter gradient against central finite differences of
/// L = sum_r w_r f(pair_r), in Double.
@Suite struct CriticGradientTests {
    enum Kind: String, CaseIterable { case separable, concat, concat1, bilinear }

    static func make(_ kind: Kind, _ act: Activation, rng: inout RNG) -> any Critic<Double> {
        switch kind {
        case .separable:
            return SeparableCritic<Double>(dimX: 3, dimY: 2, shape: NetworkShape(hidden: [5, 4], activation: act),
                                           embedding: 3, rng: &rng)
        case .concat:
            return ConcatCritic<Double>(dimX: 3, dimY: 2, shape: NetworkShape(hidden: [5, 4, 3], activation: act), rng: &rng)
        case .concat1:
            return ConcatCritic<Double>(dimX: 3, dimY: 2, shape: NetworkShape(hidden: [6], activation: act), rng: &rng)
        case .bilinear:
            return BilinearCritic<Double>(dimX: 3, dimY: 2, rng: &rng)
        }
    }

    @Test(arguments: Kind.allCases, Activation.allCases)
    func parameterGradientAllPairs(_ kind: Kind, _ act: Activation) {
        check(kind, act, shuffled: false)
    }

    @Test(arguments: Kind.allCases, [Activation.elu])
    func parameterGradientShuffled(_ kind: Kind, _ act: Activation) {
        check(kind, act, shuffled: true)
    }

    private func check(_ kind: Kind, _ act: Activation, shuffled: Bool) {
        var rng = RNG(seed: 21)
        let critic = Self.make(kind, act, rng: &rng)
        // Small random biases so no unit sits exactly at a ReLU kink.
        for store in critic.stores { for i in 0..<store.count { store.values[i] += 0.05 * rng.normal() } }
        let k = 4
        let x = Matrix<Double>(rows: k, cols: 3, storage: rng.normals(k * 3))
        let y = Matrix<Double>(rows: k, cols: 2, storage: rng.normals(k * 2))
        let pairs: PairSet = shuffled ? .shuffled(rng.derangement(k)) : .all(k)
        let weights = rng.normals(pairs.count)

        func loss() -> Double {
            zip(critic.forward(x: x, y: y, pairs: pairs), weights).reduce(0) { $0 + $1.0 * $1.1 }
        }
        _ = loss()
        critic.zeroGrad()
        critic.backward(weights)
        for (si, err) in storeGradientErrors(critic.stores, loss: loss).enumerated() {
            #expect(err < gradientTolerance, "\(kind) \(act) store \(si): relative error \(err)")
        }
    }
}

/// The fused, factorised concat critic against the plain computation it
/// replaces: an MLP run on every explicit row [x_i, y_j]. Sizes are large
/// enough that the parallel chunked passes run.
@Suite struct ConcatCriticOracleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var k: Int, hidden: [Int], activation: Activation, shuffled: Bool
        var testDescription: String { "K=\(k) hidden=\(hidden) \(activation) \(shuffled ? "shuffled" : "all pairs")" }
    }

    static let cases: [Case] = [
        Case(k: 40, hidden: [96, 80], activation: .relu, shuffled: false),     // 4 blocks, 4 groups
        Case(k: 40, hidden: [96, 80], activation: .tanh, shuffled: false),
        Case(k: 40, hidden: [64], activation: .elu, shuffled: false),          // output fused with layer 1
        Case(k: 24, hidden: [32, 48, 40], activation: .relu, shuffled: false), // widths differ
        Case(k: 300, hidden: [40, 32], activation: .relu, shuffled: true),     // shared dHx partials
        Case(k: 7, hidden: [16, 16], activation: .elu, shuffled: true),
    ]

    @Test(arguments: cases)
    func matchesExplicitMLP(_ c: Case) {
        var rng = RNG(seed: 8)
        let dx = 5, dy = 4
        let critic = ConcatCritic<Double>(dimX: dx, dimY: dy, shape: NetworkShape(hidden: c.hidden, activation: c.activation),
                                          rng: &rng)
        var mlpRng = RNG(seed: 1)
        let mlp = MLP<Double>(sizes: [dx + dy] + c.hidden + [1], activation: c.activation, rng: &mlpRng)
        // Same layout (first layer, middle layers, output layer): share the weights,
        // with random biases so every path is exercised.
        #expect(mlp.store.count == critic.store.count)
        for i in 0..<mlp.store.count {
            let v = critic.store.values[i] + 0.1 * rng.normal()
            critic.store.values[i] = v
            mlp.store.values[i] = v
        }
        let k = c.k
        let x = Matrix<Double>(rows: k, cols: dx, storage: rng.normals(k * dx))
        let y = Matrix<Double>(rows: k, cols: dy, storage: rng.normals(k * dy))
        let pairs: PairSet = c.shuffled ? .shuffled(rng.derangement(k)) : .all(k)
        let explicit = Matrix(pairs.indexPairs.map { x.row($0.0) + y.row($0.1) })
        let weights = rng.normals(pairs.count)

        let fused = critic.forward(x: x, y: y, pairs: pairs)
        let reference = mlp.forward(explicit).storage
        #expect(FiniteDifference.relativeError(fused, reference) < 1e-12)

        critic.zeroGrad()
        critic.backward(weights)
        mlp.store.zeroGrad()
        mlp.backward(Matrix(rows: pairs.count, cols: 1, storage: weights))
        let err = FiniteDifference.relativeError(Array(critic.store.grads), Array(mlp.store.grads))
        #expect(err < 1e-12, "gradient mismatch \(err)")
    }
}
