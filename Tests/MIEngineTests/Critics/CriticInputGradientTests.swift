import Testing
@testable import MIEngine

/// Each critic's input gradients d L / d x and d L / d y for the K rows of
/// each side, L = sum_r w_r f(pair_r), against central finite differences
/// in Double: all pairs and shuffled pairs, with dropout masks held fixed,
/// and through the concat critic's streaming pass. Asking for them leaves
/// the parameter gradients' bits unchanged.
@Suite struct CriticInputGradientTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var kind: String, k: Int, hidden: [Int], activation: Activation, shuffled: Bool
        var dropout = Dropout.none
        /// Run the concat critic's streaming pass (no stored activations).
        var streaming = false
        var testDescription: String {
            "\(kind) K=\(k) hidden=\(hidden) \(activation) \(shuffled ? "shuffled" : "all pairs")"
                + (dropout.isActive ? " p=\(dropout)" : "") + (streaming ? " streaming" : "")
        }
    }

    static let cases: [Case] = Activation.allCases.flatMap { act in [
        Case(kind: "separable", k: 4, hidden: [5, 4], activation: act, shuffled: false),
        Case(kind: "concat", k: 4, hidden: [5, 4, 3], activation: act, shuffled: false),
        Case(kind: "concat", k: 4, hidden: [6], activation: act, shuffled: false),
    ] } + [
        Case(kind: "bilinear", k: 5, hidden: [], activation: .relu, shuffled: false),
        Case(kind: "bilinear", k: 5, hidden: [], activation: .relu, shuffled: true),
        Case(kind: "inner", k: 5, hidden: [], activation: .relu, shuffled: false),
        Case(kind: "inner", k: 5, hidden: [], activation: .relu, shuffled: true),
        Case(kind: "separable", k: 5, hidden: [5, 4], activation: .elu, shuffled: true),
        Case(kind: "concat", k: 5, hidden: [5, 4], activation: .tanh, shuffled: true),
        // Dropout: masks held fixed by redrawing them from the same state.
        Case(kind: "separable", k: 4, hidden: [5, 4], activation: .elu, shuffled: false, dropout: Dropout(0.4)),
        Case(kind: "concat", k: 4, hidden: [5, 4, 3], activation: .tanh, shuffled: false, dropout: Dropout(0.4)),
        Case(kind: "concat", k: 6, hidden: [6, 5], activation: .elu, shuffled: true,
             dropout: Dropout(rates: [0.5, 0.2])),
        // Several blocks and reduction groups; shuffled pairs share dHx partials.
        Case(kind: "concat", k: 40, hidden: [8, 6], activation: .elu, shuffled: false),
        Case(kind: "concat", k: 300, hidden: [6, 5], activation: .tanh, shuffled: true),
        // The streaming pass (large K), with and without dropout.
        Case(kind: "concat", k: 40, hidden: [8, 6], activation: .elu, shuffled: false, streaming: true),
        Case(kind: "concat", k: 24, hidden: [6, 5, 4], activation: .tanh, shuffled: false, dropout: Dropout(0.3),
             streaming: true),
        Case(kind: "concat", k: 300, hidden: [6, 5], activation: .relu, shuffled: true, dropout: Dropout(0.3),
             streaming: true),
    ]

    static let dimX = 3, dimY = 2

    static func make<T: MIScalar>(_ c: Case, dimX: Int = dimX, dimY: Int = dimY, rng: inout RNG) -> any Critic<T> {
        let shape = NetworkShape(hidden: c.hidden.isEmpty ? [1] : c.hidden, activation: c.activation)
        switch c.kind {
        case "separable":
            return SeparableCritic<T>(dimX: dimX, dimY: dimY, shape: shape, embedding: 3, rng: &rng)
        case "concat":
            let critic = ConcatCritic<T>(dimX: dimX, dimY: dimY, shape: shape, rng: &rng)
            if c.streaming { critic.storedActivationLimit = 0 }
            return critic
        case "bilinear":
            return BilinearCritic<T>(dimX: dimX, dimY: dimY, rng: &rng)
        default:
            return BilinearCritic<T>(innerProductOf: dimX)
        }
    }

    @Test(arguments: cases)
    func inputGradientsMatchFiniteDifferences(_ c: Case) {
        var rng = RNG(seed: 31)
        let dimY = c.kind == "inner" ? Self.dimX : Self.dimY
        let critic: any Critic<Double> = Self.make(c, dimY: dimY, rng: &rng)
        // Small random biases so no unit sits exactly at a ReLU kink.
        for store in critic.stores { for i in 0..<store.count { store.values[i] += 0.05 * rng.normal() } }
        let k = c.k
        let x = Matrix<Double>(rows: k, cols: Self.dimX, storage: rng.normals(k * Self.dimX))
        let y = Matrix<Double>(rows: k, cols: dimY, storage: rng.normals(k * dimY))
        let pairs: PairSet = c.shuffled ? .shuffled(rng.derangement(k)) : .all(k)
        let weights = rng.normals(pairs.count)
        let maskState = RNG(seed: 99, stream: 5)

        func scores(_ x: Matrix<Double>, _ y: Matrix<Double>) -> [Double] {
            var r = maskState
            return c.dropout.isActive
                ? critic.forward(x: x, y: y, pairs: pairs, dropout: c.dropout, rng: &r)
                : critic.forward(x: x, y: y, pairs: pairs)
        }
        func loss(_ x: Matrix<Double>, _ y: Matrix<Double>) -> Double {
            zip(scores(x, y), weights).reduce(0) { $0 + $1.0 * $1.1 }
        }
        if c.dropout.isActive { #expect(scores(x, y) != critic.forward(x: x, y: y, pairs: pairs), "nothing dropped") }

        _ = scores(x, y)
        critic.zeroGrad()
        var dX = [Double](repeating: .nan, count: k * Self.dimX), dY = [Double](repeating: .nan, count: k * dimY)
        dX.withUnsafeMutableBufferPointer { xp in
            dY.withUnsafeMutableBufferPointer { yp in critic.backward(weights, dX: xp.baseAddress!, dY: yp.baseAddress!) }
        }
        if let concat = critic as? ConcatCritic<Double> { #expect(concat.streaming == c.streaming) }
        let fdX = FiniteDifference.gradient(x.storage) { loss(Matrix(rows: k, cols: Self.dimX, storage: $0), y) }
        let fdY = FiniteDifference.gradient(y.storage) { loss(x, Matrix(rows: k, cols: dimY, storage: $0)) }
        let errX = FiniteDifference.relativeError(dX, fdX), errY = FiniteDifference.relativeError(dY, fdY)
        #expect(errX < gradientTolerance, "\(c.testDescription) dX: relative error \(errX)")
        #expect(errY < gradientTolerance, "\(c.testDescription) dY: relative error \(errY)")
        #expect(fdX.contains { $0 != 0 } && fdY.contains { $0 != 0 }, "a zero gradient checks nothing")

        // The parameter gradient of the same pass is still exact.
        _ = scores(x, y)
        for (si, err) in storeGradientErrors(critic.stores, loss: { loss(x, y) }).enumerated() {
            #expect(err < gradientTolerance, "\(c.testDescription) store \(si): relative error \(err)")
        }
    }

    /// In Float, on every critic: the parameter gradients with input
    /// gradients asked for are the bits of `backward(_:)`, and one core
    /// gives the input gradients of all of them.
    @Test(arguments: ["separable", "concat", "concat-streaming", "bilinear", "inner"], [false, true])
    func parameterGradientsUnchanged(_ kind: String, _ shuffled: Bool) {
        func run(inputs: Bool, parallelism: Parallelism) -> (grads: [[Float]], dX: [Float], dY: [Float]) {
            var rng = RNG(seed: 12)
            let k = 40, dim = 6
            let shape = NetworkShape(hidden: [32, 24], activation: .elu)
            let critic: FloatCritic
            switch kind {
            case "separable": critic = .separable(SeparableCritic(dimX: dim, dimY: dim, shape: shape, embedding: 8, rng: &rng))
            case "concat", "concat-streaming":
                let c = ConcatCritic<Float>(dimX: dim, dimY: dim, shape: shape, rng: &rng)
                if kind == "concat-streaming" { c.storedActivationLimit = 0 }
                critic = .concat(c)
            case "bilinear": critic = .bilinear(BilinearCritic(dimX: dim, dimY: dim, rng: &rng))
            default: critic = .bilinear(BilinearCritic(innerProductOf: dim))
            }
            critic.parallelism = parallelism
            let x = Matrix<Float>(rows: k, cols: dim, storage: rng.normals(k * dim).map(Float.init))
            let y = Matrix<Float>(rows: k, cols: dim, storage: rng.normals(k * dim).map(Float.init))
            let pairs: PairSet = shuffled ? .shuffled(rng.derangement(k)) : .all(k)
            let d = rng.normals(pairs.count).map(Float.init)
            _ = critic.forward(x: x, y: y, pairs: pairs, dropout: Dropout(0.25), rng: &rng)
            for s in critic.stores { s.zeroGrad() }
            var dX = [Float](repeating: 0, count: k * dim), dY = dX
            if inputs {
                dX.withUnsafeMutableBufferPointer { xp in
                    dY.withUnsafeMutableBufferPointer { yp in critic.backward(d, dX: xp.baseAddress!, dY: yp.baseAddress!) }
                }
            } else {
                critic.backward(d)
            }
            return (critic.stores.map { Array($0.grads) }, dX, dY)
        }
        let plain = run(inputs: false, parallelism: .allCores)
        let withInputs = run(inputs: true, parallelism: .allCores)
        #expect(plain.grads == withInputs.grads)
        #expect(withInputs.dX.contains { $0 != 0 } && withInputs.dY.contains { $0 != 0 })
        let serial = run(inputs: true, parallelism: .serial)
        #expect(serial.grads == withInputs.grads && serial.dX == withInputs.dX && serial.dY == withInputs.dY)
    }
}
