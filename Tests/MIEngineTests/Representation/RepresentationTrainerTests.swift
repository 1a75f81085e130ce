import Foundation
import Testing
@testable import MIEngine

/// The representation trainer on Gaussian views with a closed-form MI:
/// MLP encoders trained through InfoNCE with a bilinear critic reach the
/// truth on the test split, the target loss drives I_EST to t, the
/// encoders learn, and runs are reproducible bit for bit.
@Suite struct RepresentationTrainerTests {
    /// 1 nat over 4 coordinates: far below log 128 = 4.85, where InfoNCE with
    /// a good critic is nearly unbiased ((e^I - 1) / K ~ 0.013 at the optimum).
    static let views = GaussianViews(dim: 4, mi: 1, train: 20_000, test: 4096, seed: 3)

    static func trainer(seed: UInt64 = 1, shared: Bool = false, objective: RepresentationObjective = .maximize,
                        steps: Int, parallelism: Parallelism = .allCores, bound: any Bound = InfoNCE(),
                        baseline: Bool = false) -> RepresentationTrainer {
        var rng = RNG(seed: seed, stream: 1)
        let g1 = MLPEncoder<Float>(sizes: [4, 64, 64, 16], rng: &rng)
        let g2 = shared ? g1 : MLPEncoder<Float>(sizes: [4, 64, 64, 16], rng: &rng)
        let critic = BilinearCritic<Float>(dimX: 16, dimY: 16, rng: &rng)
        let b = baseline ? MLP<Float>(sizes: [16, 8, 1], activation: .tanh, rng: &rng) : nil
        let options = RepresentationOptions(steps: steps, batch: 128, learningRate: 1e-3, seed: seed,
                                            evalEvery: 250, evalBatches: 32, objective: objective,
                                            parallelism: parallelism)
        return RepresentationTrainer(g1: .mlp(g1), g2: .mlp(g2), critic: .bilinear(critic), bound: bound,
                                     baseline: b, options: options)
    }

    @Test(.enabled(if: optimisedBuild, releaseOnlyReason))
    func infoNCEReachesTheTruth() throws {
        let trainer = Self.trainer(steps: 2000)
        try trainer.check(Self.views)
        let trace = trainer.run(Self.views)
        let first = try #require(trace.evaluations.first), last = try #require(trace.evaluations.last)
        #expect(first.step == 0 && last.step == 2000 && trace.evaluations.count == 9)
        // Random encoders know little; trained ones know the truth, 1 nat,
        // less InfoNCE's bias at K = 128, within 3 standard errors and 0.03.
        #expect(first.testEstimate < 0.7, "untrained: \(first.testEstimate)")
        let gap = abs(last.testEstimate - Self.views.mi)
        #expect(gap < 3 * last.standardError + 0.03,
                "test I_NCE \(last.testEstimate) +- \(last.standardError), truth \(Self.views.mi)")
        #expect(last.standardError > 0 && last.standardError < 0.03)
        #expect(trace.ceiling == LogDomain.log(128))
    }

    @Test(.enabled(if: optimisedBuild, releaseOnlyReason), arguments: [0.4, 0.7])
    func targetLossDrivesTheEstimateToT(_ t: Double) throws {
        let trace = Self.trainer(objective: .target(t), steps: 1500).run(Self.views)
        let last = try #require(trace.evaluations.last)
        #expect(abs(last.testEstimate - t) < 3 * last.standardError + 0.05,
                "target \(t): test I_NCE \(last.testEstimate) +- \(last.standardError)")
        let tail = trace.steps.suffix(300)
        #expect(Statistics.mean(tail.map(\.loss)) < 0.1)
        #expect(trace.target == t)
        // Maximising goes past it.
        #expect(Statistics.mean(tail.map(\.estimate)) < 0.85)
    }

    /// A few steps change every parameter: both encoders get gradient
    /// through the critic, and the baseline's input gradient reaches g2.
    @Test(arguments: [false, true])
    func everyParameterLearns(_ shared: Bool) {
        let trainer = Self.trainer(shared: shared, steps: 3, bound: TUBA(), baseline: true)
        let before = trainer.stores.map(\.snapshot)
        #expect(trainer.stores.count == (shared ? 3 : 4))
        _ = trainer.run(Self.views)
        for (i, (store, old)) in zip(trainer.stores, before).enumerated() {
            let changed = zip(store.snapshot, old).filter { $0 != $1 }.count
            #expect(changed > store.count * 9 / 10, "store \(i): \(changed) of \(store.count) parameters changed")
        }
    }

    /// Same seed, same bits (one core or all, shared weights or not); another seed differs.
    @Test(arguments: [false, true])
    func reproducible(_ shared: Bool) {
        func run(_ seed: UInt64, _ p: Parallelism) -> RepresentationTrace {
            var trace = Self.trainer(seed: seed, shared: shared, steps: 60, parallelism: p).run(Self.views)
            for i in trace.steps.indices { trace.steps[i].time = 0 }
            return trace
        }
        let a = run(4, .allCores)
        #expect(a.evaluations.map(\.step) == [0, 60])
        #expect(a == run(4, .allCores))
        #expect(a == run(4, .serial))
        #expect(a.estimates != run(5, .allCores).estimates)
    }

    /// The hook sees g1 at every evaluation and its metrics are recorded;
    /// `shouldStop` ends the run; the trace round-trips through JSON.
    @Test func hookStopAndCodable() throws {
        let trainer = Self.trainer(steps: 100)
        trainer.options.evalEvery = 30
        var seen: [Int] = []
        trainer.hook = { step, g1 in
            seen.append(step)
            #expect(g1.name == "mlp(64, 64, 16)")
            let features = RepresentationTrainer.encode(Self.views.views(.test, seed: 1).x1, with: g1)
            return ["step": Double(step), "mean": Statistics.mean(features.storage.map(Double.init))]
        }
        var steps = 0
        trainer.onStep = { _ in steps += 1 }
        trainer.shouldStop = { steps >= 70 }
        let trace = trainer.run(Self.views)
        #expect(seen == [0, 30, 60])
        #expect(trace.interrupted && trace.steps.count == 70)
        #expect(trace.metric("step").map(\.value) == [0, 30, 60])
        let decoded = try JSONDecoder().decode(RepresentationTrace.self, from: JSONEncoder().encode(trace))
        #expect(decoded == trace)
    }

    /// Chunked encoding: each chunk of rows as one forward pass over it
    /// (BLAS may round a row differently in a product with another number
    /// of rows, so the chunk size is fixed), the last chunk shorter.
    @Test func encodeInChunks() {
        let trainer = Self.trainer(steps: 0)
        let rows = Self.views.views(.test, seed: 2).x1.gatherRows(Array(0..<3000))   // chunks 1024, 1024, 952
        let chunked = trainer.encode(rows, with: trainer.g1)
        #expect(chunked.rows == 3000 && chunked.cols == 16)
        for start in [0, 1024, 2048] {
            let n = min(1024, 3000 - start)
            let chunk = rows.gatherRows(Array(start..<(start + n)))
            #expect(chunked.gatherRows(Array(start..<(start + n))) == trainer.g1.generic.forward(chunk))
        }
    }

    /// Every way a run cannot start is a `RepresentationError` with a message.
    @Test func checkFindsEveryMisfit() {
        func failure(_ change: (RepresentationTrainer) -> RepresentationTrainer) -> String? {
            do { try change(Self.trainer(steps: 10)).check(Self.views) } catch { return error.description }
            return nil
        }
        #expect(failure { $0 } == nil)
        var rng = RNG(seed: 1)
        let wide = MLPEncoder<Float>(sizes: [5, 8, 16], rng: &rng)
        #expect(failure { RepresentationTrainer(g1: .mlp(wide), g2: $0.g2, critic: $0.critic, bound: InfoNCE()) }
            == "g1 mlp(8, 16) reads 5 values per row, but its view is 1x1x4 (4 values)")
        let narrow = MLPEncoder<Float>(sizes: [4, 8, 10], rng: &rng)
        #expect(failure { RepresentationTrainer(g1: $0.g1, g2: .mlp(narrow), critic: $0.critic, bound: InfoNCE()) }
            == "the bilinear critic scores 16 and 16 features, but the encoders give 16 and 10")
        #expect(failure { RepresentationTrainer(g1: $0.g1, g2: $0.g2, critic: $0.critic, bound: TUBA()) }
            == "tuba needs a learned baseline network")
        #expect(failure { t in t.options.negatives = .shuffled; return t }
            == "nce scores all K x K pairs and cannot train on shuffled negatives")
        #expect(failure { t in t.options.batch = 1; return t } == "nce needs a batch of at least 2, got 1")
        #expect(failure { t in t.options.batch = 30_000; return t }
            == "a training batch of 30000 needs 30000 items of the train split, which holds 20000")
        // With no steps too (run's precondition would stop it otherwise).
        #expect(failure { t in t.options.batch = 30_000; t.options.steps = 0; return t }
            == "a training batch of 30000 needs 30000 items of the train split, which holds 20000")
        #expect(failure { t in t.options.evalBatches = 33; return t }
            == "33 test batches of 128 needs 4224 items of the test split, which holds 4096")
        #expect(failure { t in t.options.learningRate = 0; return t } == "the learning rate must be positive, got 0.0")
        #expect(failure { t in t.options.objective = .target(.nan); return t }
            == "the target must be a finite number of nats, got nan")
    }
}
