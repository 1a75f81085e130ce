import Foundation
import Testing
@testable import MIEngine

/// The adversarial game of 001 Appendix B: both players' gradients against
/// central finite differences in Double, the game doing what it is for (the
/// encoder makes a linear classifier fail while staying invertible), runs
/// reproducible bit for bit, the hook, and every way a run cannot start.
@Suite struct AdversarialEncoderTrainerTests {
    /// Gaussian views labelled by the sign of x1's first coordinate plus
    /// N(0, 0.5^2) noise: a linear classifier on the raw x1 is right about
    /// 85% of the time, and no classifier does much better.
    static let views = NoisyLabelViews(GaussianViews(dim: 4, mi: 1, train: 4000, test: 1024, seed: 5), noise: 0.5,
                                       seed: 1)

    /// A player at a time on a small coupling encoder; the encoder learns
    /// faster than the classifier (001's rates are the other way round, for
    /// runs of thousands of steps on 392 pixels).
    static func trainer(seed: UInt64 = 2, steps: Int, encoderLearningRate: Double = 1e-2,
                        parallelism: Parallelism = .allCores) throws -> AdversarialEncoderTrainer {
        var rng = RNG(seed: seed, stream: 1)
        let g1 = try CouplingEncoder<Float>(width: 4, layers: 4, hidden: 32, initialStd: 0.1, rng: &rng)
        let options = AdversarialOptions(steps: steps, batch: 64, classifierLearningRate: 3e-3,
                                         encoderLearningRate: encoderLearningRate, classifierSteps: 1, warmup: 500,
                                         seed: seed, evalEvery: 25, evalBatches: 8, parallelism: parallelism)
        return AdversarialEncoderTrainer(g1: .coupling(g1), classes: 2, rng: &rng, options: options)
    }

    /// The encoder's loss (cross-entropy to uniform) differentiated through
    /// the fixed classifier into every parameter of a coupling encoder, and
    /// the classifier's loss into the classifier's weights and bias.
    @Test func gradientsMatchFiniteDifferences() throws {
        var rng = RNG(seed: 23)
        let g1 = try CouplingEncoder<Double>(width: 6, layers: 3, hidden: 5, parallelism: .serial, rng: &rng)
        LayerCheck.perturb(g1.stores, scale: 0.3, rng: &rng)
        var layout = ParameterLayout()
        let classifier = Dense(inputs: 6, outputs: 4, layout: &layout)
        let store = ParameterStore<Double>(count: layout.count)
        classifier.initialize(store, rng: &rng)
        for i in 0..<store.count { store.values[i] += 0.3 * rng.normal() }
        let pass = AdversarialPass(encoder: GenericEncoderPass(encoder: g1), classifier: classifier, store: store,
                                   parallelism: .serial)
        let k = 5
        let x = rng.normals(k * 6), labels = [0, 3, 1, 1, 2]
        func confuse(_ train: Bool) -> Double { x.withUnsafeBufferPointer { pass.confuse($0.baseAddress!, rows: k, train: train) } }
        func classify(_ train: Bool) -> Double {
            x.withUnsafeBufferPointer { a in
                labels.withUnsafeBufferPointer { pass.classify(a.baseAddress!, labels: $0.baseAddress!, rows: k, train: train).loss }
            }
        }
        // The losses' definitions, from the logits.
        let f = g1.forward(Matrix(rows: k, cols: 6, storage: x))
        var uniform = 0.0, labelled = 0.0
        for r in 0..<k {
            let z = (0..<4).map { c in
                store.values[classifier.biasOffset + c] + (0..<6).reduce(0.0) { $0 + f[r, $1] * store.values[$1 * 4 + c] }
            }
            let logSum = Foundation.log(z.reduce(0) { $0 + Foundation.exp($1) })
            uniform += (logSum - z.reduce(0, +) / 4) / Double(k)
            labelled += (logSum - z[labels[r]]) / Double(k)
        }
        #expect(abs(confuse(false) - uniform) < 1e-12 && abs(classify(false) - labelled) < 1e-12)

        store.grads.update(repeating: 7)
        _ = confuse(true)
        #expect(store.grads.prefix(store.count).allSatisfy { $0 == 7 }, "the encoder's step leaves the classifier's gradients")
        for (i, err) in storeGradientErrors(g1.stores, loss: { confuse(false) }).enumerated() {
            #expect(err < gradientTolerance, "encoder store \(i): relative error \(err)")
        }
        let encoderGrads = g1.stores.map { Array($0.grads.prefix($0.count)) }
        _ = classify(true)
        #expect(g1.stores.map { Array($0.grads.prefix($0.count)) } == encoderGrads, "the classifier's step leaves g1's")
        let err = storeGradientErrors([store], loss: { classify(false) })[0]
        #expect(err < gradientTolerance, "classifier: relative error \(err)")
    }

    /// The warm-up teaches the classifier; encoder steps then keep its test
    /// accuracy near chance (the classifier chases a moving
    /// representation), while g1 stays a bijection. With the encoder's
    /// learning rate tiny the classifier keeps its 85%.
    @Test func theEncoderDefeatsTheClassifier() throws {
        let trainer = try Self.trainer(steps: 400)
        try trainer.check(Self.views)
        let trace = trainer.run(Self.views)
        let control = try Self.trainer(steps: 400, encoderLearningRate: 1e-9).run(Self.views)
        #expect(trace.warmupLosses.count == 500 && trace.steps.count == 400)
        #expect(trace.evaluations.map(\.step) == Array(stride(from: 0, through: 400, by: 25)))
        #expect(Statistics.mean(trace.warmupLosses.suffix(50)) < Statistics.mean(trace.warmupLosses.prefix(50)) - 0.1)
        let first = try #require(trace.evaluations.first)
        #expect(first.classifierAccuracy > 0.8 && first == control.evaluations.first, "after the warm-up: \(first)")
        func meanAccuracy(_ t: AdversarialTrace) -> Double { Statistics.mean(t.evaluations.dropFirst().map(\.classifierAccuracy)) }
        func meanEncoderLoss(_ t: AdversarialTrace) -> Double { Statistics.mean(t.steps.map(\.encoderLoss)) }
        #expect(meanAccuracy(control) > 0.8)
        #expect(meanAccuracy(trace) < meanAccuracy(control) - 0.2, "\(meanAccuracy(trace)) vs \(meanAccuracy(control))")
        #expect(meanEncoderLoss(trace) < meanEncoderLoss(control) - 0.2, "closer to log 2 = 0.69")
        guard case .coupling(let g1) = trainer.g1 else { Issue.record("not a coupling encoder"); return }
        let x = Self.views.views(.test, seed: 3).x1
        let back = g1.inverse(g1.forward(x))
        #expect(zip(back.storage, x.storage).allSatisfy { abs($0 - $1) < 1e-3 }, "g1 is still a bijection")
    }

    /// 5 classifier steps of (g1 forward, logits, weight gradient), then g1
    /// forward and backward with the logits and their feature gradient.
    @Test func flops() throws {
        let trainer = try Self.trainer(steps: 1)
        trainer.options.classifierSteps = 5
        let g1 = trainer.g1.flops(rows: 64), linear = 2.0 * 64 * 4 * 2
        #expect(g1 == 2 * 3 * 64 * 4 * Double(2 * 32 + 32 * 32 + 32 * 2))
        #expect(trainer.flopsPerEncoderStep() == 5 * (g1 / 3 + 2 * linear) + g1 + 2 * linear)
    }

    /// Same seed, same bits, on one core or all; another seed differs.
    @Test func reproducible() throws {
        func run(_ seed: UInt64, _ p: Parallelism) throws -> AdversarialTrace {
            var trace = try Self.trainer(seed: seed, steps: 20, parallelism: p).run(Self.views)
            for i in trace.steps.indices { trace.steps[i].time = 0 }
            return trace
        }
        let a = try run(4, .allCores)
        #expect(a.evaluations.map(\.step) == [0, 20])
        #expect(a == (try run(4, .allCores)))
        #expect(a == (try run(4, .serial)))
        #expect(a.steps.map(\.encoderLoss) != (try run(5, .allCores)).steps.map(\.encoderLoss))
    }

    /// The hook sees g1 at every evaluation and its metrics are recorded;
    /// `shouldStop` ends the run; the trace round-trips through JSON.
    @Test func hookStopAndCodable() throws {
        let trainer = try Self.trainer(steps: 100)
        trainer.options.evalEvery = 15
        var seen: [Int] = []
        trainer.hook = { step, g1 in
            seen.append(step)
            #expect(g1.name == "coupling(4 x 2x32)")
            return ["step": Double(step)]
        }
        var steps = 0
        trainer.onStep = { _ in steps += 1 }
        trainer.shouldStop = { steps >= 40 }
        let trace = trainer.run(Self.views)
        #expect(seen == [0, 15, 30])
        #expect(trace.interrupted && trace.steps.count == 40)
        #expect(trace.metric("step").map(\.value) == [0, 15, 30])
        let decoded = try JSONDecoder().decode(AdversarialTrace.self, from: JSONEncoder().encode(trace))
        #expect(decoded == trace)
        // Stopped during the warm-up: no encoder step, no evaluation.
        let early = try Self.trainer(steps: 10)
        early.shouldStop = { true }
        let none = early.run(Self.views)
        #expect(none.interrupted && none.warmupLosses.isEmpty && none.steps.isEmpty && none.evaluations.isEmpty)
    }

    /// Every way a run cannot start is a `RepresentationError` with a message.
    @Test func checkFindsEveryMisfit() throws {
        func failure(classes: Int = 2, views: any ViewPairs = Self.views,
                     _ change: (inout AdversarialOptions) -> Void = { _ in }) throws -> String? {
            var rng = RNG(seed: 1)
            let g1 = try CouplingEncoder<Float>(width: 4, layers: 1, hidden: 3, rng: &rng)
            var options = AdversarialOptions(steps: 10, evalBatches: 8)
            change(&options)
            let trainer = AdversarialEncoderTrainer(g1: .coupling(g1), classes: classes, rng: &rng, options: options)
            do { try trainer.check(views) } catch { return error.description }
            return nil
        }
        #expect(try failure() == nil)
        #expect(try failure { $0.steps = -1 } == "steps must be 0 or more, got -1")
        #expect(try failure { $0.batch = 0 } == "the batch must be at least 1, got 0")
        #expect(try failure { $0.classifierLearningRate = .nan }
            == "the classifier's learning rate must be positive, got nan")
        #expect(try failure { $0.encoderLearningRate = 0 } == "the encoder's learning rate must be positive, got 0.0")
        #expect(try failure { $0.classifierSteps = 0 }
            == "classifier steps per encoder step must be at least 1, got 0")
        #expect(try failure { $0.warmup = -5 } == "warm-up steps must be 0 or more, got -5")
        #expect(try failure { $0.evalEvery = -1 } == "evalEvery must be 0 or more, got -1")
        #expect(try failure { $0.evalBatches = 0 } == "evalBatches must be at least 1, got 0")
        #expect(try failure { $0.evalBatches = 9 }
            == "9 test batches of 128 needs 1152 items of the test split, which holds 1024")
        #expect(try failure { $0.batch = 5000 }
            == "a training batch of 5000 needs 5000 items of the train split, which holds 4000")
        #expect(try failure(classes: 10) == "the classifier's classes must be the views' 2 classes, got 10")
        let wide = GaussianViews(dim: 5, mi: 1, train: 200, test: 200, seed: 1)
        #expect(try failure(views: SlotViews(base: Self.views))
            == "the views' labels must be one class label per item, got 2 per item")
        #expect(try failure(views: wide) == "g1 coupling(1 x 2x3) reads 4 values per row, but its view is 1x1x5 (5 values)")
    }
}

/// Views with the labels replaced: the sign of x1's first coordinate plus
/// N(0, noise^2), drawn once from `seed`.
struct NoisyLabelViews: ViewPairs {
    let base: GaussianViews
    private let train: [Int], test: [Int]

    init(_ base: GaussianViews, noise: Double, seed: UInt64) {
        self.base = base
        var rng = RNG(seed: seed, stream: 9)
        func labels(_ split: ViewSplit) -> [Int] {
            let x = base.views(split, seed: 0).x1
            return (0..<x.rows).map { Double(x[$0, 0]) + noise * rng.normal() > 0 ? 1 : 0 }
        }
        train = labels(.train)
        test = labels(.test)
    }

    var name: String { base.name + ", noisy sign labels" }
    var shape1: ViewShape { base.shape1 }
    var shape2: ViewShape { base.shape2 }
    var labelSlots: Int { 1 }
    var classes: Int { 2 }
    var files: [DataFileStamp] { [] }
    func count(_ split: ViewSplit) -> Int { base.count(split) }
    func labels(_ split: ViewSplit) -> [Int] { split == .train ? train : test }
    func fill(_ split: ViewSplit, items: [Int], x1: UnsafeMutablePointer<Float>, x2: UnsafeMutablePointer<Float>,
              rng: inout RNG, parallelism: Parallelism) {
        base.fill(split, items: items, x1: x1, x2: x2, rng: &rng, parallelism: parallelism)
    }
}

/// Views whose items carry two labels each (as 000's grids of items do).
private struct SlotViews: ViewPairs {
    let base: NoisyLabelViews
    var name: String { base.name }
    var shape1: ViewShape { base.shape1 }
    var shape2: ViewShape { base.shape2 }
    var labelSlots: Int { 2 }
    var classes: Int { 2 }
    var files: [DataFileStamp] { [] }
    func count(_ split: ViewSplit) -> Int { base.count(split) }
    func labels(_ split: ViewSplit) -> [Int] { base.labels(split).flatMap { [$0, 1 - $0] } }
    func fill(_ split: ViewSplit, items: [Int], x1: UnsafeMutablePointer<Float>, x2: UnsafeMutablePointer<Float>,
              rng: inout RNG, parallelism: Parallelism) {
        base.fill(split, items: items, x1: x1, x2: x2, rng: &rng, parallelism: parallelism)
    }
}
