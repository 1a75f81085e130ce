import Testing
@testable import MIEngine

/// The whole representation loss (encoders -> critic -> bound, with the
/// baseline where the bound needs one) differentiated by
/// `RepresentationPass` against central finite differences in Double, with
/// respect to every parameter: both encoders' (or the shared one's), the
/// critic's and the baseline's.
@Suite struct RepresentationGradientTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var critic: String, bound: String, shared = false, objective = RepresentationObjective.maximize
        var shuffled = false
        var testDescription: String {
            "\(critic) \(bound)\(shared ? " shared" : "")\(shuffled ? " shuffled" : "") \(objective)"
        }
    }

    static let cases: [Case] = [
        Case(critic: "bilinear", bound: "nce"),
        Case(critic: "bilinear", bound: "nce", shared: true),
        Case(critic: "inner", bound: "nce", shared: true),
        Case(critic: "separable", bound: "nwj"),
        Case(critic: "separable", bound: "nwj", shuffled: true),
        Case(critic: "concat", bound: "nce"),
        Case(critic: "concat", bound: "js", shared: true),
        Case(critic: "bilinear", bound: "tuba"),
        Case(critic: "concat", bound: "tuba", shared: true, shuffled: true),
        // L_t = |I - t| on either side of the target.
        Case(critic: "bilinear", bound: "nce", objective: .target(3)),
        Case(critic: "separable", bound: "nwj", shared: true, objective: .target(-2)),
    ]

    static func bound(_ name: String) -> any Bound {
        switch name {
        case "nce": return InfoNCE()
        case "nwj": return NWJ()
        case "js": return JSBound()
        default: return TUBA()
        }
    }

    @Test(arguments: cases)
    func lossGradientMatchesFiniteDifferences(_ c: Case) {
        var rng = RNG(seed: 17)
        let inputs = 3, features = 4, k = 5
        let g1 = MLPEncoder<Double>(sizes: [inputs, 6, features], activation: .tanh, parallelism: .serial, rng: &rng)
        let g2 = c.shared ? g1 : MLPEncoder<Double>(sizes: [inputs, 5, features], activation: .elu,
                                                     parallelism: .serial, rng: &rng)
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
        let bound = Self.bound(c.bound)
        let baseline = bound.baseline == .learned
            ? MLP<Double>(sizes: [features, 4, 1], activation: .tanh, parallelism: .serial, rng: &rng) : nil
        let pass = RepresentationPass(g1: GenericEncoderPass(encoder: g1), g2: GenericEncoderPass(encoder: g2),
                                      critic: GenericCriticPass(critic: critic), baseline: baseline, parallelism: .serial)
        #expect(pass.shared == c.shared)
        #expect(pass.stores.count == (c.shared ? 1 : 2) + critic.stores.count + (baseline == nil ? 0 : 1))
        // Nonzero biases everywhere, so no unit sits at a kink and every parameter matters.
        for store in pass.stores { for i in 0..<store.count { store.values[i] += 0.1 * rng.normal() } }
        let x1 = rng.normals(k * inputs), x2 = rng.normals(k * inputs)
        let pairs: PairSet = c.shuffled ? .shuffled(rng.derangement(k)) : .all(k)

        func run(train: Bool) -> RepresentationPass<GenericEncoderPass<Double>, GenericCriticPass<Double>>.Outcome {
            var b = bound
            return x1.withUnsafeBufferPointer { a in
                x2.withUnsafeBufferPointer { y in
                    pass.run(x1: a.baseAddress!, x2: y.baseAddress!, k: k, pairs: pairs, bound: &b,
                             objective: c.objective, train: train)
                }
            }
        }
        let outcome = run(train: true)
        if case .target(let t) = c.objective {
            #expect(abs(outcome.loss - abs(outcome.estimate - t)) < 1e-12)
        }
        for (i, err) in storeGradientErrors(pass.stores, loss: { run(train: false).loss }).enumerated() {
            #expect(err < gradientTolerance, "\(c.testDescription) store \(i): relative error \(err)")
        }
        #expect(pass.stores.allSatisfy { s in s.grads.prefix(s.count).contains { $0 != 0 } })
    }
}
