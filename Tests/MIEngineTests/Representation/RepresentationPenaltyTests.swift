import Testing
@testable import MIEngine

/// The gradient penalty on f(x1, x2) = critic(g1(x1), g2(x2)) in the views,
/// through the encoders (000 sec. 4.1 with encoders; RepresentationPass+Penalty.swift):
/// the penalised loss's parameter gradient (double backpropagation through
/// encoders and critic) against central finite differences in Double, for
/// every store: both encoders' (or the shared one's) and the critic's.
@Suite struct RepresentationPenaltyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var critic: String, bound = "wpc", shared = false, activation = Activation.tanh, lambda = 10.0
        var residual = false
        var testDescription: String {
            "\(critic) \(bound)\(shared ? " shared" : "")\(residual ? " residual" : "") \(activation) λ=\(lambda)"
        }
    }

    static let cases: [Case] = [
        Case(critic: "bilinear"),
        Case(critic: "bilinear", shared: true),
        Case(critic: "inner"),
        Case(critic: "inner", shared: true, activation: .elu),
        Case(critic: "separable"),
        Case(critic: "separable", shared: true, activation: .elu),
        Case(critic: "concat"),
        Case(critic: "concat", bound: "wdm", activation: .elu),
        Case(critic: "bilinear", activation: .relu),
        Case(critic: "separable", bound: "nwj", lambda: 0.3),
        Case(critic: "bilinear", residual: true),
        Case(critic: "separable", shared: true, activation: .elu, residual: true),
    ]

    /// An encoder of `inputs` values to `features` (residual: the same number), weights well away from zero.
    static func encoder(_ c: Case, inputs: Int, features: Int, hidden: [Int], rng: inout RNG) -> any FeatureEncoder<Double> {
        guard c.residual else {
            return MLPEncoder<Double>(sizes: [inputs] + hidden + [features], activation: c.activation,
                                      parallelism: .serial, rng: &rng)
        }
        let e = try! ResidualEncoder<Double>(width: inputs, blocks: hidden.count, activation: c.activation,
                                             parallelism: .serial, rng: &rng)
        for i in 0..<e.store.count { e.store.values[i] += 0.3 * rng.normal() }
        return e
    }

    static func bound(_ name: String) -> any Bound {
        switch name {
        case "wpc": return wassersteinPredictiveCoding()
        case "wdm": return WassersteinDependency()
        default: return NWJ()
        }
    }

    @Test(arguments: cases)
    func penalisedLossGradientMatchesFiniteDifferences(_ c: Case) throws {
        var rng = RNG(seed: 41)
        let inputs = c.residual ? 4 : 3, features = 4, k = 5
        let g1 = Self.encoder(c, inputs: inputs, features: features, hidden: [6], rng: &rng)
        let g2 = c.shared ? g1 : Self.encoder(c, inputs: inputs, features: features, hidden: [5, 3], rng: &rng)
        let shape = NetworkShape(hidden: [6, 5], activation: .tanh)
        let critic: any Critic<Double>
        switch c.critic {
        case "bilinear": critic = BilinearCritic<Double>(dimX: features, dimY: features, rng: &rng)
        case "inner": critic = BilinearCritic<Double>(innerProductOf: features)
        case "separable": critic = SeparableCritic<Double>(dimX: features, dimY: features, shape: shape, embedding: 3,
                                                            parallelism: .serial, rng: &rng)
        default: critic = ConcatCritic<Double>(dimX: features, dimY: features, shape: shape, parallelism: .serial,
                                               rng: &rng)
        }
        let penalty = GradientPenalty(lambda: c.lambda)
        let pass = RepresentationPass(g1: GenericEncoderPass(encoder: g1), g2: GenericEncoderPass(encoder: g2),
                                      critic: GenericCriticPass(critic: critic), baseline: nil, parallelism: .serial,
                                      penalty: penalty, penaltyRNG: RNG(seed: 77))
        // Nonzero biases everywhere, so no unit sits at a kink and every parameter matters.
        for store in pass.stores { for i in 0..<store.count { store.values[i] += 0.1 * rng.normal() } }
        let x1 = rng.normals(k * inputs), x2 = rng.normals(k * inputs)
        let bound = Self.bound(c.bound)

        func run(train: Bool) -> RepresentationPass<GenericEncoderPass<Double>, GenericCriticPass<Double>>.Outcome {
            var b = bound
            return x1.withUnsafeBufferPointer { a in
                x2.withUnsafeBufferPointer { y in
                    pass.run(x1: a.baseAddress!, x2: y.baseAddress!, k: k, pairs: .all(k), bound: &b,
                             objective: .maximize, train: train)
                }
            }
        }
        let outcome = run(train: true)
        // The interpolates that step drew, drawn again from the same seed.
        var again = RNG(seed: 77)
        let (h1, h2) = x1.withUnsafeBufferPointer { a in
            x2.withUnsafeBufferPointer { y in pass.interpolates(a.baseAddress!, y.baseAddress!, k: k, rng: &again) }
        }
        let evaluation = try #require(outcome.penalty)
        let value = pass.evaluatePenalty(penalty, x1: h1, x2: h2).value
        #expect(abs(evaluation.value - value) < 1e-12)
        #expect(evaluation.value > 1e-3, "the penalty should matter: \(evaluation.value)")
        #expect(abs(outcome.loss - (run(train: false).loss + value)) < 1e-12)
        func penalisedLoss() -> Double { run(train: false).loss + pass.evaluatePenalty(penalty, x1: h1, x2: h2).value }
        // The stores' gradients are still the training step's: evaluations accumulate nothing.
        for (i, err) in storeGradientErrors(pass.stores, loss: penalisedLoss).enumerated() {
            #expect(err < gradientTolerance, "\(c.testDescription) store \(i): relative error \(err)")
        }
        #expect(pass.stores.allSatisfy { s in s.grads.prefix(s.count).contains { $0 != 0 } })
    }

    /// The penalty term alone: with the bound's gradient taken out (the
    /// same pass without a penalty), what remains is the gradient of P,
    /// which must not vanish in any store (it reaches the encoders).
    @Test(arguments: [false, true])
    func penaltyReachesEveryStore(_ shared: Bool) {
        var rng = RNG(seed: 5)
        let g1 = MLPEncoder<Double>(sizes: [3, 5, 4], activation: .tanh, parallelism: .serial, rng: &rng)
        let g2 = shared ? g1 : MLPEncoder<Double>(sizes: [3, 5, 4], activation: .tanh, parallelism: .serial, rng: &rng)
        let critic = BilinearCritic<Double>(dimX: 4, dimY: 4, rng: &rng)
        func pass(_ penalty: GradientPenalty?) -> RepresentationPass<GenericEncoderPass<Double>, GenericCriticPass<Double>> {
            RepresentationPass(g1: GenericEncoderPass(encoder: g1), g2: GenericEncoderPass(encoder: g2),
                               critic: GenericCriticPass(critic: critic), baseline: nil, parallelism: .serial,
                               penalty: penalty, penaltyRNG: RNG(seed: 2))
        }
        let x1 = rng.normals(12), x2 = rng.normals(12)
        func grads(_ p: RepresentationPass<GenericEncoderPass<Double>, GenericCriticPass<Double>>) -> [[Double]] {
            var b: any Bound = wassersteinPredictiveCoding()
            _ = x1.withUnsafeBufferPointer { a in
                x2.withUnsafeBufferPointer { y in
                    p.run(x1: a.baseAddress!, x2: y.baseAddress!, k: 4, pairs: .all(4), bound: &b, objective: .maximize,
                          train: true)
                }
            }
            return p.stores.map { Array($0.grads.prefix($0.count)) }
        }
        let plain = grads(pass(nil)), zero = grads(pass(GradientPenalty(lambda: 0)))
        let penalised = grads(pass(GradientPenalty(lambda: 10)))
        #expect(plain == zero, "λ = 0 must leave the gradient as it is")
        for (i, (a, b)) in zip(plain, penalised).enumerated() {
            let change = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(change > 1e-6, "store \(i): the penalty changed nothing")
        }
    }
}
