import Testing
@testable import MIEngine

/// Critics trained from scratch against the closed-form truth (issue 2's
/// acceptance settings: batch 64, Adam 5e-4, 4000 steps, fixed seeds,
/// judged on the mean of the last 500 steps).
@Suite(.enabled(if: optimisedBuild, releaseOnlyReason))
struct TrainingAccuracyTests {
    static let data = GaussianSource(dim: 20, mi: 2)
    static let options = TrainingOptions(steps: 4000, batch: 64, learningRate: 5e-4, seed: 1)

    static func critic(_ kind: String, seed: UInt64 = 1) -> FloatCritic {
        var rng = RNG(seed: seed, stream: 1)
        switch kind {
        case "concat":
            return .concat(ConcatCritic(dimX: 20, dimY: 20, shape: NetworkShape(hidden: [256, 256]), rng: &rng))
        default:
            return .separable(SeparableCritic(dimX: 20, dimY: 20, shape: NetworkShape(hidden: [256, 256]),
                                              embedding: 32, rng: &rng))
        }
    }

    /// NWJ is unbiased at its optimum; a trained concat critic gets within a
    /// quarter nat of the truth.
    @Test func concatCriticNWJReachesTheTruth() {
        let trace = Trainer(options: Self.options)
            .run(CriticEstimator(critic: Self.critic("concat"), bound: NWJ()), on: Self.data)
        let final = trace.finalMean(last: 500)
        #expect(abs(final - 2) < 0.25, "nwj with concat critic ended at \(final)")
    }

    /// InfoNCE cannot reach the truth at K = 64; trained critics get within
    /// 0.15 of what the optimal critic gives at the same batch size.
    @Test(arguments: ["concat", "separable"])
    func nceReachesTheOptimalCriticsValue(_ kind: String) {
        let optimal = Trainer(options: TrainingOptions(steps: 1000, batch: 64, seed: 5))
            .run(OptimalEstimator(bound: InfoNCE(), source: Self.data), on: Self.data)
        let ceiling = optimal.finalMean(last: 1000)
        // The optimal critic's own estimate of that value is tight (SE ~ 0.006).
        #expect(Statistics.standardError(optimal.estimates) < 0.01)
        let trace = Trainer(options: Self.options)
            .run(CriticEstimator(critic: Self.critic(kind), bound: InfoNCE()), on: Self.data)
        let final = trace.finalMean(last: 500)
        #expect(abs(final - ceiling) < 0.15, "nce with \(kind) critic ended at \(final), optimal \(ceiling)")
        #expect(trace.estimates.allSatisfy { $0 <= LogDomain.log(64) + 1e-9 })
    }
}

/// Paper 001 Section 4 / Appendix E: with Z shared within a batch, trained
/// InfoNCE and NWJ exceed the true MI; with i.i.d. pairs they do not.
/// MLP critic 5 x 10 (ReLU) on [x, y], batch 128.
@Suite(.enabled(if: optimisedBuild, releaseOnlyReason))
struct NonIIDTests {
    static func train(_ bound: any Bound, shared: Bool) -> (mean: Double, se: Double, truth: Double) {
        var rng = RNG(seed: 1, stream: 1)
        let source = NonIIDSource(shared: shared)
        let critic = FloatCritic.concat(ConcatCritic(dimX: 1, dimY: 1, shape: NetworkShape(hidden: [10, 10, 10, 10, 10]),
                                                     rng: &rng))
        let trace = Trainer(options: TrainingOptions(steps: 3000, batch: 128, learningRate: 1e-3, seed: 2))
            .run(CriticEstimator(critic: critic, bound: bound), on: source)
        let tail = trace.tail(1000)
        return (Statistics.mean(tail), Statistics.standardError(tail), source.mi)
    }

    @Test(arguments: ["nce", "nwj"])
    func dependentNegativesOverestimate(_ name: String) {
        let r = Self.train(name == "nce" ? InfoNCE() : NWJ(), shared: true)
        #expect(r.mean > r.truth + 10 * r.se, "\(name) on non-i.i.d. batches: \(r.mean) vs truth \(r.truth)")
    }

    @Test(arguments: ["nce", "nwj"])
    func independentPairsStayBelowTheTruth(_ name: String) {
        let r = Self.train(name == "nce" ? InfoNCE() : NWJ(), shared: false)
        #expect(r.mean < r.truth + 3 * r.se, "\(name) on i.i.d. batches: \(r.mean) vs truth \(r.truth)")
    }
}
