import Testing
@testable import MIEngine

/// The concat critic's streaming passes (activations of one block per
/// group, recomputed before backward) give the stored passes' scores and
/// gradients bit for bit, with and without dropout, and hold O(block) memory.
@Suite struct ConcatStreamingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var k: Int, hidden: [Int], activation: Activation, shuffled: Bool, dropout: Double
        var testDescription: String {
            "K=\(k) hidden=\(hidden) \(activation) \(shuffled ? "shuffled" : "all pairs") dropout=\(dropout)"
        }
    }

    static let cases: [Case] = [
        Case(k: 40, hidden: [96, 80], activation: .relu, shuffled: false, dropout: 0),   // 4 blocks
        Case(k: 40, hidden: [64], activation: .elu, shuffled: false, dropout: 0),
        Case(k: 24, hidden: [32, 48, 40], activation: .tanh, shuffled: false, dropout: 0.3),
        Case(k: 300, hidden: [40, 32], activation: .relu, shuffled: true, dropout: 0),
        Case(k: 300, hidden: [40, 32], activation: .relu, shuffled: true, dropout: 0.4),
        Case(k: 40, hidden: [96, 80], activation: .relu, shuffled: false, dropout: 0.2),
    ]

    /// Scores, parameter gradients and the generator state after forward
    /// and backward on two consecutive batches.
    static func run(_ c: Case, limit: Int?, parallelism: Parallelism) -> ([[Float]], [[Float]], UInt64, Bool) {
        var rng = RNG(seed: 44)
        let critic = ConcatCritic<Float>(dimX: 5, dimY: 3, shape: NetworkShape(hidden: c.hidden, activation: c.activation),
                                         parallelism: parallelism, rng: &rng)
        if let limit { critic.storedActivationLimit = limit }
        var scores: [[Float]] = [], grads: [[Float]] = []
        var streamed = false
        for _ in 0..<2 {
            let x = Matrix<Float>(rows: c.k, cols: 5, storage: rng.normals(c.k * 5).map(Float.init))
            let y = Matrix<Float>(rows: c.k, cols: 3, storage: rng.normals(c.k * 3).map(Float.init))
            let pairs: PairSet = c.shuffled ? .shuffled(rng.derangement(c.k)) : .all(c.k)
            let s = critic.forward(x: x, y: y, pairs: pairs, dropout: Dropout(c.dropout), rng: &rng)
            streamed = critic.streaming
            critic.zeroGrad()
            critic.backward(rng.normals(s.count).map(Float.init))
            scores.append(s)
            grads.append(Array(critic.store.grads))
        }
        return (scores, grads, rng.next(), streamed)
    }

    @Test(arguments: cases)
    func streamingGivesTheStoredBits(_ c: Case) {
        let stored = Self.run(c, limit: nil, parallelism: .allCores)
        let streamed = Self.run(c, limit: 0, parallelism: .allCores)
        #expect(!stored.3 && streamed.3)
        #expect(stored.0 == streamed.0)
        #expect(stored.1 == streamed.1)
        #expect(stored.2 == streamed.2)
        #expect(Self.run(c, limit: 0, parallelism: .serial).1 == stored.1)
    }

    /// At K = 4096 the stored activations would take 16 GiB per layer;
    /// streaming holds a few blocks.
    @Test func largeBatchesStream() {
        let shape = NetworkShape(hidden: [256, 256])
        let small = ConcatCritic<Float>.memoryFootprint(dimX: 20, dimY: 20, shape: shape, batch: 64, pairs: .all(64),
                                                        dropout: .none).total
        let large = ConcatCritic<Float>.memoryFootprint(dimX: 20, dimY: 20, shape: shape, batch: 4096,
                                                        pairs: .all(4096), dropout: .none).total
        #expect(small < 32 << 20, "\(small) bytes at K=64")
        // Scores and their gradients (2 x K^2 Floats, 128 MiB) dominate.
        #expect(large < 256 << 20, "\(large) bytes at K=4096")
    }
}
