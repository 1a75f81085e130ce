import Testing
@testable import MIEngine

/// Dropout in the critics: exact gradients for a fixed mask, rate 0 equal
/// to no dropout, masks per (pair, unit) that do not depend on the cores.
@Suite struct CriticDropoutTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var kind: String, k: Int, hidden: [Int], activation: Activation, shuffled: Bool, dropout: Dropout
        var testDescription: String {
            "\(kind) K=\(k) hidden=\(hidden) \(activation) \(shuffled ? "shuffled" : "all pairs") p=\(dropout)"
        }
    }

    static let gradientCases: [Case] = Activation.allCases.flatMap { act in [
        Case(kind: "concat", k: 4, hidden: [5, 4, 3], activation: act, shuffled: false, dropout: Dropout(0.4)),
        Case(kind: "concat", k: 4, hidden: [6], activation: act, shuffled: false, dropout: Dropout(0.5)),
        Case(kind: "separable", k: 4, hidden: [5, 4], activation: act, shuffled: false, dropout: Dropout(0.4)),
    ] } + [
        // One rate per layer, one of them 0 (that layer takes the plain path).
        Case(kind: "concat", k: 4, hidden: [5, 4, 3], activation: .elu, shuffled: false,
             dropout: Dropout(rates: [0.5, 0, 0.2])),
        Case(kind: "concat", k: 5, hidden: [5, 4, 3], activation: .relu, shuffled: false,
             dropout: Dropout(rates: [0, 0.3, 0.3])),
        Case(kind: "separable", k: 4, hidden: [5, 4], activation: .tanh, shuffled: true,
             dropout: Dropout(rates: [0.5, 0.3])),
        // Several blocks and reduction groups; shuffled pairs share dHx partials.
        Case(kind: "concat", k: 40, hidden: [8, 6], activation: .elu, shuffled: false, dropout: Dropout(0.3)),
        Case(kind: "concat", k: 300, hidden: [8, 6], activation: .tanh, shuffled: true, dropout: Dropout(0.3)),
        Case(kind: "concat", k: 7, hidden: [6, 5], activation: .elu, shuffled: true, dropout: Dropout(0.5)),
    ]

    static func make(_ c: Case, dimX: Int = 3, dimY: Int = 2, rng: inout RNG) -> any Critic<Double> {
        let shape = NetworkShape(hidden: c.hidden, activation: c.activation)
        return c.kind == "concat"
            ? ConcatCritic<Double>(dimX: dimX, dimY: dimY, shape: shape, rng: &rng)
            : SeparableCritic<Double>(dimX: dimX, dimY: dimY, shape: shape, embedding: 3, rng: &rng)
    }

    /// The parameter gradient of L = sum_r w_r f(pair_r) under dropout
    /// against central finite differences, every evaluation drawing its
    /// masks from the same generator state (so the masks are held fixed).
    @Test(arguments: gradientCases)
    func gradientWithFixedMask(_ c: Case) {
        var rng = RNG(seed: 21)
        let critic = Self.make(c, rng: &rng)
        for store in critic.stores { for i in 0..<store.count { store.values[i] += 0.05 * rng.normal() } }
        let k = c.k
        let x = Matrix<Double>(rows: k, cols: 3, storage: rng.normals(k * 3))
        let y = Matrix<Double>(rows: k, cols: 2, storage: rng.normals(k * 2))
        let pairs: PairSet = c.shuffled ? .shuffled(rng.derangement(k)) : .all(k)
        let weights = rng.normals(pairs.count)
        let maskState = RNG(seed: 99, stream: 5)

        func loss() -> Double {
            var r = maskState
            return zip(critic.forward(x: x, y: y, pairs: pairs, dropout: c.dropout, rng: &r), weights)
                .reduce(0) { $0 + $1.0 * $1.1 }
        }
        let plain = critic.forward(x: x, y: y, pairs: pairs)
        var r = maskState
        #expect(critic.forward(x: x, y: y, pairs: pairs, dropout: c.dropout, rng: &r) != plain, "nothing dropped")

        _ = loss()
        critic.zeroGrad()
        critic.backward(weights)
        for (si, err) in storeGradientErrors(critic.stores, loss: loss).enumerated() {
            #expect(err < gradientTolerance, "\(c.testDescription) store \(si): relative error \(err)")
        }
    }

    /// Rate 0 gives the plain scores and gradients bit for bit and draws
    /// nothing; the bilinear and inner critics ignore any rate.
    @Test(arguments: ["concat", "separable", "bilinear", "inner"])
    func zeroRateIsBitIdentical(_ kind: String) {
        var rng = RNG(seed: 6)
        let k = 24
        let shape = NetworkShape(hidden: [32, 24], activation: .relu)
        let critic: FloatCritic
        switch kind {
        case "concat": critic = .concat(ConcatCritic(dimX: 4, dimY: 4, shape: shape, rng: &rng))
        case "separable": critic = .separable(SeparableCritic(dimX: 4, dimY: 4, shape: shape, embedding: 8, rng: &rng))
        case "bilinear": critic = .bilinear(BilinearCritic(dimX: 4, dimY: 4, rng: &rng))
        default: critic = .bilinear(BilinearCritic(innerProductOf: 4))
        }
        let x = Matrix<Float>(rows: k, cols: 4, storage: rng.normals(k * 4).map(Float.init))
        let y = Matrix<Float>(rows: k, cols: 4, storage: rng.normals(k * 4).map(Float.init))
        let d = rng.normals(k * k).map(Float.init)
        func pass(_ dropout: Dropout?) -> (scores: [Float], grads: [[Float]], next: UInt64) {
            var masks = RNG(seed: 8)
            let s = dropout.map { critic.forward(x: x, y: y, pairs: .all(k), dropout: $0, rng: &masks) }
                ?? critic.forward(x: x, y: y, pairs: .all(k))
            for st in critic.stores { st.zeroGrad() }
            critic.backward(d)
            return (s, critic.stores.map { Array($0.grads) }, masks.next())
        }
        let plain = pass(nil)
        let zeroRates: [Dropout] = kind.hasPrefix("concat") || kind == "separable"
            ? [.none, Dropout(rates: [0, 0])] : [.none, Dropout(0.5)]
        for dropout in zeroRates {
            let other = pass(dropout)
            #expect(other.scores == plain.scores, "\(kind) \(dropout)")
            #expect(other.grads == plain.grads, "\(kind) \(dropout)")
            #expect(other.next == plain.next, "\(kind) \(dropout) drew random numbers")
        }
    }

    /// The concat critic's first hidden layer under dropout, on K = 40 (four
    /// blocks): every (pair, unit) is the plain activation zeroed or scaled
    /// by exactly 1/(1-p); a fraction 1-p is kept; the blocks' masks differ;
    /// and one core draws the same masks as all of them.
    @Test func concatMasksPerPairAndUnit() {
        var rng = RNG(seed: 14)
        let k = 40, width = 64, p = 0.3
        let critic = ConcatCritic<Float>(dimX: 5, dimY: 5, shape: NetworkShape(hidden: [width, 16], activation: .tanh),
                                         rng: &rng)
        let x = Matrix<Float>(rows: k, cols: 5, storage: rng.normals(k * 5).map(Float.init))
        let y = Matrix<Float>(rows: k, cols: 5, storage: rng.normals(k * 5).map(Float.init))
        let rows = k * k
        _ = critic.forward(x: x, y: y, pairs: .all(k))
        let plain = Array(UnsafeBufferPointer(start: critic.activations(layer: 0), count: rows * width))
        let maskState = RNG(seed: 1)
        var r = maskState
        let scores = critic.forward(x: x, y: y, pairs: .all(k), dropout: Dropout(p), rng: &r)
        let dropped = Array(UnsafeBufferPointer(start: critic.activations(layer: 0), count: rows * width))
        let scale = Float(1 / (1 - p))
        var kept = 0, units = 0, bad = 0
        for i in plain.indices where plain[i] != 0 {
            units += 1
            if dropped[i] != 0 { kept += 1 }
            if dropped[i] != 0 && dropped[i] != plain[i] * scale { bad += 1 }
        }
        #expect(bad == 0)
        let q = 1 - p, se = (q * p / Double(units)).squareRoot()
        #expect(abs(Double(kept) / Double(units) - q) < 4 * se, "kept \(Double(kept) / Double(units))")

        // Per pair: the masks of the first rows of consecutive blocks (and of
        // neighbouring pairs) are not copies of one another.
        let plan = BlockPlan(pairs: .all(k))
        #expect(plan.blocks.count == 4)
        func keptPattern(_ row: Int) -> [Bool] { (0..<width).map { dropped[row * width + $0] != 0 } }
        #expect(keptPattern(0) != keptPattern(1))
        #expect(keptPattern(plan.blocks[0].lowerBound) != keptPattern(plan.blocks[1].lowerBound))

        critic.parallelism = .serial
        var serial = maskState
        #expect(critic.forward(x: x, y: y, pairs: .all(k), dropout: Dropout(p), rng: &serial) == scores)
    }
}
