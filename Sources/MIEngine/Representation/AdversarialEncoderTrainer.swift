import Dispatch
import Foundation

/// Trains an encoder g1 to make a linear classifier on its features fail
/// (001 sec. 3.1, Fig. 1c, Appendix B), without any MI estimator: with an
/// invertible g1 (`CouplingEncoder`) every setting of its weights keeps
/// I(g1(X1); g2(X2)) = I(X1; X2), so a representation that a linear
/// classifier reads worse than the raw pixels is still a global maximiser
/// of the MI.
///
/// A linear layer maps g1(x1) to `classes` logits. The classifier is
/// trained by cross-entropy on the true labels (Adam, 001: learning rate
/// 1e-4); g1 is trained to minimise the cross-entropy of the classifier's
/// softmax to the uniform distribution over the classes (Adam, 001: 1e-6),
/// with the classifier held fixed. The run first trains the classifier
/// alone for `warmup` steps (001: 1k), then alternates `classifierSteps`
/// classifier steps (001: 10) with one encoder step. Every step, of either
/// kind, draws the next minibatch of an epoch's seeded shuffle of the
/// training split (the last partial batch dropped) with fresh coupled noise.
///
/// What 001 plots is the loss of a *separately* trained linear classifier
/// on the frozen representation: `hook` is called with g1 after the
/// warm-up, every `evalEvery` encoder steps and after the last, and what it
/// returns is recorded, beside the in-loop classifier's loss and accuracy
/// on a fixed set of test batches. Same seed, same bits; `.serial` and
/// `.allCores` give the same trace.
///
///     var rng = RNG(seed: 1)
///     let g1 = try CouplingEncoder<Float>(width: 392, rng: &rng)
///     let trainer = AdversarialEncoderTrainer(g1: .coupling(g1), classes: 10, rng: &rng,
///                                             options: AdversarialOptions(steps: 2000))
///     try trainer.check(views)
///     let trace = trainer.run(views)
public final class AdversarialEncoderTrainer {
    public let g1: FloatEncoder
    public let classes: Int
    /// The in-loop classifier: g1's features to `classes` logits, in `classifierStore`.
    public let classifier: Dense
    public let classifierStore: ParameterStore<Float>
    public var options: AdversarialOptions
    /// Called after every encoder step.
    public var onStep: ((AdversarialStep) -> Void)?
    /// Called after every evaluation, with the hook's metrics.
    public var onEvaluation: ((AdversarialEvaluation) -> Void)?
    /// Polled before every encoder step (and every 100 warm-up steps);
    /// returning true stops the run.
    public var shouldStop: (() -> Bool)?
    /// Called at every evaluation with the encoder steps completed and g1
    /// (a separately trained probe on the frozen features); what it returns
    /// is recorded. It may run g1 forward but must not change its parameters.
    public var hook: ((Int, FloatEncoder) -> [String: Double])?

    /// The classifier's weights are Glorot-uniform from `rng`, its bias zero.
    public init(g1: FloatEncoder, classes: Int = 10, rng: inout RNG, options: AdversarialOptions = AdversarialOptions()) {
        precondition(classes >= 1, "a classifier needs at least one class")
        self.g1 = g1
        self.classes = classes
        self.options = options
        var layout = ParameterLayout()
        classifier = Dense(inputs: g1.outputSize, outputs: classes, layout: &layout)
        classifierStore = ParameterStore(count: layout.count)
        classifier.initialize(classifierStore, rng: &rng)
    }

    public var name: String { "adversarial \(g1.name) against a linear classifier" }

    /// Checks that the run can start on `views`; `run` would stop on a
    /// precondition otherwise.
    public func check(_ views: any ViewPairs) throws(RepresentationError) {
        let o = options
        func positive(_ name: String, _ v: Double) throws(RepresentationError) {
            if !(v > 0 && v.isFinite) { throw .invalidOption(name: name, value: "\(v)", expected: "positive") }
        }
        if o.steps < 0 { throw .invalidOption(name: "steps", value: "\(o.steps)", expected: "0 or more") }
        if o.batch < 1 { throw .invalidOption(name: "the batch", value: "\(o.batch)", expected: "at least 1") }
        try positive("the classifier's learning rate", o.classifierLearningRate)
        try positive("the encoder's learning rate", o.encoderLearningRate)
        if o.classifierSteps < 1 {
            throw .invalidOption(name: "classifier steps per encoder step", value: "\(o.classifierSteps)",
                                 expected: "at least 1")
        }
        if o.warmup < 0 { throw .invalidOption(name: "warm-up steps", value: "\(o.warmup)", expected: "0 or more") }
        if o.evalEvery < 0 { throw .invalidOption(name: "evalEvery", value: "\(o.evalEvery)", expected: "0 or more") }
        if o.evalEvery > 0 && o.evalBatches < 1 {
            throw .invalidOption(name: "evalBatches", value: "\(o.evalBatches)", expected: "at least 1")
        }
        if g1.inputSize != views.shape1.size {
            throw .encoderInput(encoder: g1.name, role: "g1", expects: g1.inputSize, view: views.shape1)
        }
        if views.labelSlots != 1 {
            throw .invalidOption(name: "the views' labels", value: "\(views.labelSlots) per item",
                                 expected: "one class label per item")
        }
        if views.classes != classes {
            throw .invalidOption(name: "the classifier's classes", value: "\(classes)",
                                 expected: "the views' \(views.classes) classes")
        }
        if o.batch > views.count(.train) {
            throw .notEnoughItems(split: .train, needed: o.batch, available: views.count(.train),
                                  what: "a training batch of \(o.batch)")
        }
        if o.evalEvery > 0 && o.evalBatches * o.batch > views.count(.test) {
            throw .notEnoughItems(split: .test, needed: o.evalBatches * o.batch, available: views.count(.test),
                                  what: "\(o.evalBatches) test batches of \(o.batch)")
        }
    }

    /// Runs the warm-up and `options.steps` encoder steps (fewer when
    /// `shouldStop` says so) with fresh Adam optimisers, from the current
    /// weights of g1 and the classifier.
    public func run(_ views: any ViewPairs) -> AdversarialTrace {
        let o = options, k = o.batch
        precondition(k > 0 && k <= views.count(.train), "batch \(k) does not fit the \(views.count(.train)) training items")
        g1.parallelism = o.parallelism
        let pass = AdversarialPass(encoder: g1, classifier: classifier, store: classifierStore,
                                   parallelism: o.parallelism)
        let classifierAdam = Adam(stores: [classifierStore], learningRate: o.classifierLearningRate,
                                  parallelism: o.parallelism)
        let encoderAdam = Adam(stores: g1.stores, learningRate: o.encoderLearningRate, parallelism: o.parallelism)
        var batches = TrainingBatches(views: views, batch: k, seed: o.seed)
        let test = o.evalEvery > 0 ? TestSet(views: views, batch: k, count: o.evalBatches, seed: o.seed,
                                             parallelism: o.parallelism) : nil
        var trace = AdversarialTrace(name: "\(name) on \(views.name)")
        trace.warmupLosses.reserveCapacity(o.warmup)
        trace.steps.reserveCapacity(o.steps)
        let start = DispatchTime.now().uptimeNanoseconds

        func classifierStep() -> (loss: Double, correct: Int) {
            batches.next(o.parallelism) { x, labels in
                let r = pass.classify(x, labels: labels, rows: k, train: true)
                classifierAdam.step()
                return r
            }
        }

        func evaluate(after step: Int) {
            guard let test else { return }
            var loss = 0.0, uniform = 0.0, correct = 0
            for b in 0..<test.x.count {
                test.x[b].withUnsafeBufferPointer { x in
                    test.labels[b].withUnsafeBufferPointer { y in
                        let r = pass.evaluate(x.baseAddress!, labels: y.baseAddress!, rows: k)
                        loss += r.loss
                        correct += r.correct
                        uniform += r.uniformLoss
                    }
                }
            }
            let n = Double(test.x.count)
            let record = AdversarialEvaluation(step: step, classifierLoss: loss / n,
                                               classifierAccuracy: Double(correct) / (n * Double(k)),
                                               encoderLoss: uniform / n, metrics: hook?(step, g1) ?? [:])
            trace.evaluations.append(record)
            onEvaluation?(record)
        }

        for w in 0..<o.warmup {
            if w % 100 == 0, let shouldStop, shouldStop() {
                trace.interrupted = true
                return trace
            }
            trace.warmupLosses.append(classifierStep().loss)
        }
        evaluate(after: 0)
        for step in 0..<o.steps {
            if let shouldStop, shouldStop() {
                trace.interrupted = true
                break
            }
            var loss = 0.0, correct = 0
            for _ in 0..<o.classifierSteps {
                let r = classifierStep()
                loss += r.loss
                correct += r.correct
            }
            let uniform = batches.next(o.parallelism) { x, _ in pass.confuse(x, rows: k, train: true) }
            encoderAdam.step()
            let record = AdversarialStep(
                step: step, classifierLoss: loss / Double(o.classifierSteps),
                classifierAccuracy: Double(correct) / Double(o.classifierSteps * k), encoderLoss: uniform,
                time: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            trace.steps.append(record)
            onStep?(record)
            let done = step + 1
            if o.evalEvery > 0 && (done % o.evalEvery == 0 || done == o.steps) { evaluate(after: done) }
        }
        return trace
    }

    /// FLOPs of one encoder step with its classifier steps (to size a run):
    /// per classifier step a forward pass of g1 (a third of
    /// `flops(rows:)`), the logits and the classifier's weight gradient;
    /// then g1 forward and backward, the logits and their feature gradient.
    public func flopsPerEncoderStep() -> Double {
        let k = options.batch
        let linear = 2 * Double(k * classifier.inputs * classes)
        let classifierStep = g1.flops(rows: k) / 3 + 2 * linear
        return Double(options.classifierSteps) * classifierStep + g1.flops(rows: k) + 2 * linear
    }

    /// Minibatches of the training split's x1 with their labels: epochs of
    /// a seeded shuffle, the last partial batch of each dropped.
    private struct TrainingBatches {
        let views: any ViewPairs, k: Int
        let labels: [Int]
        var order: [Int] = [], taken = 0
        var orderRNG: RNG, noiseRNG: RNG
        var x1: [Float], x2: [Float], y: [Int]

        init(views: any ViewPairs, batch: Int, seed: UInt64) {
            self.views = views
            k = batch
            labels = views.labels(.train)
            orderRNG = RNG(seed: seed, stream: 2)
            noiseRNG = RNG(seed: seed, stream: 3)
            x1 = [Float](repeating: 0, count: batch * views.shape1.size)
            x2 = [Float](repeating: 0, count: batch * views.shape2.size)
            y = [Int](repeating: 0, count: batch)
        }

        /// Fills the next batch and runs `body` on its x1 rows and labels.
        mutating func next<R>(_ parallelism: Parallelism,
                              _ body: (UnsafePointer<Float>, UnsafePointer<Int>) -> R) -> R {
            let perEpoch = views.count(.train) / k
            let b = taken % perEpoch
            if b == 0 { order = orderRNG.permutation(views.count(.train)) }
            taken += 1
            let items = Array(order[(b * k)..<((b + 1) * k)])
            for (r, i) in items.enumerated() { y[r] = labels[i] }
            var noise = noiseRNG
            let views = self.views
            x1.withUnsafeMutableBufferPointer { a in
                x2.withUnsafeMutableBufferPointer { c in
                    views.fill(.train, items: items, x1: a.baseAddress!, x2: c.baseAddress!, rng: &noise,
                               parallelism: parallelism)
                }
            }
            noiseRNG = noise
            return x1.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { body(a.baseAddress!, $0.baseAddress!) } }
        }
    }

    /// The run's fixed test batches: disjoint items of a seeded shuffle of
    /// the test split, their views (noise included) drawn once.
    private struct TestSet {
        var x: [[Float]] = [], labels: [[Int]] = []

        init(views: any ViewPairs, batch: Int, count: Int, seed: UInt64, parallelism: Parallelism) {
            var pick = RNG(seed: seed, stream: 5), noise = RNG(seed: seed, stream: 6)
            let items = pick.permutation(views.count(.test)), all = views.labels(.test)
            for b in 0..<count {
                let chosen = Array(items[(b * batch)..<((b + 1) * batch)])
                x.append(views.views(.test, items: chosen, rng: &noise, parallelism: parallelism).x1.storage)
                labels.append(chosen.map { all[$0] })
            }
        }
    }
}

/// Settings of an adversarial run (defaults: 001 Appendix B where it says).
public struct AdversarialOptions: Sendable, Equatable {
    /// Encoder steps after the warm-up.
    public var steps: Int
    /// Items per minibatch, for both players (001 does not say; its other runs use 128).
    public var batch: Int
    /// Adam's learning rate for the classifier (001: 1e-4).
    public var classifierLearningRate: Double
    /// Adam's learning rate for the encoder (001: 1e-6).
    public var encoderLearningRate: Double
    /// Classifier steps before each encoder step (001: 10).
    public var classifierSteps: Int
    /// Classifier steps before the first encoder step (001: 1000).
    public var warmup: Int
    /// Seeds the minibatch order, the views' noise and the test batches.
    public var seed: UInt64
    /// Evaluate after the warm-up, every this many encoder steps and after the last (0: never).
    public var evalEvery: Int
    /// Test batches (of `batch` items, fixed for the run) in each evaluation.
    public var evalBatches: Int
    /// Whether the run may use every core; the trace is the same bits either way.
    public var parallelism: Parallelism

    public init(steps: Int = 1000, batch: Int = 128, classifierLearningRate: Double = 1e-4,
                encoderLearningRate: Double = 1e-6, classifierSteps: Int = 10, warmup: Int = 1000, seed: UInt64 = 0,
                evalEvery: Int = 100, evalBatches: Int = 20, parallelism: Parallelism = .allCores) {
        self.steps = steps
        self.batch = batch
        self.classifierLearningRate = classifierLearningRate
        self.encoderLearningRate = encoderLearningRate
        self.classifierSteps = classifierSteps
        self.warmup = warmup
        self.seed = seed
        self.evalEvery = evalEvery
        self.evalBatches = evalBatches
        self.parallelism = parallelism
    }
}

/// One encoder step's record.
public struct AdversarialStep: Sendable, Equatable, Codable {
    /// The encoder step's index, 0-based.
    public var step: Int
    /// The classifier's mean cross-entropy on the true labels over the
    /// classifier steps before this encoder step (each on its batch, before its update).
    public var classifierLoss: Double
    /// Its accuracy on those batches.
    public var classifierAccuracy: Double
    /// The encoder's loss on its batch before its update: the mean
    /// cross-entropy of the classifier's softmax to the uniform distribution
    /// (log classes at best).
    public var encoderLoss: Double
    /// Seconds since the run started, after this step.
    public var time: Double
}

/// An evaluation on the run's fixed test batches, with what the hook returned.
public struct AdversarialEvaluation: Sendable, Equatable, Codable {
    /// Encoder steps completed (0: after the warm-up, before the first).
    public var step: Int
    /// The in-loop classifier's mean cross-entropy on the true test labels.
    public var classifierLoss: Double
    public var classifierAccuracy: Double
    /// The encoder's loss on the test batches (cross-entropy to uniform).
    public var encoderLoss: Double
    /// What the hook returned (a separately trained probe's loss and accuracy).
    public var metrics: [String: Double]
}

/// The record of an adversarial run.
public struct AdversarialTrace: Sendable, Equatable, Codable {
    public var name: String
    /// The classifier's training loss at each warm-up step.
    public var warmupLosses: [Double]
    public var steps: [AdversarialStep]
    public var evaluations: [AdversarialEvaluation]
    /// True when the run was stopped before its last step.
    public var interrupted: Bool

    public init(name: String, warmupLosses: [Double] = [], steps: [AdversarialStep] = [],
                evaluations: [AdversarialEvaluation] = [], interrupted: Bool = false) {
        self.name = name
        self.warmupLosses = warmupLosses
        self.steps = steps
        self.evaluations = evaluations
        self.interrupted = interrupted
    }

    /// (encoder steps completed, value) of a hook metric, where the hook returned it.
    public func metric(_ key: String) -> [(step: Int, value: Double)] {
        evaluations.compactMap { e in e.metrics[key].map { (e.step, $0) } }
    }
}

/// One batch through g1 and the linear classifier, for either player.
/// Generic over the encoder (as `RepresentationPass`) so the encoder's
/// gradient is checked in Double.
final class AdversarialPass<E: EncoderPass> {
    typealias Scalar = E.Scalar
    let encoder: E
    let classifier: Dense
    let store: ParameterStore<Scalar>
    var parallelism: Parallelism
    private let logits = Scratch<Scalar>(), dFeatures = Scratch<Scalar>()

    init(encoder: E, classifier: Dense, store: ParameterStore<Scalar>, parallelism: Parallelism) {
        precondition(classifier.inputs == encoder.outputSize, "the classifier reads \(classifier.inputs) features")
        self.encoder = encoder
        self.classifier = classifier
        self.store = store
        self.parallelism = parallelism
    }

    private var classes: Int { classifier.outputs }

    /// z = g1(x) W + b for `rows` rows; also returns the features.
    private func forward(_ x: UnsafePointer<Scalar>, rows: Int) -> (f: UnsafePointer<Scalar>, z: UnsafeMutablePointer<Scalar>) {
        let f = encoder.forward(x, rows: rows)
        let z = logits.reserve(rows * classes)
        classifier.forward(store, input: f, rows: rows, output: z, parallelism: parallelism)
        addBias(z, rows: rows, cols: classes, bias: classifier.bias(store))
        return (f, z)
    }

    /// The classifier's player: the mean cross-entropy of softmax(z) to
    /// the labels and the number of rows whose largest logit is the label.
    /// When training, the classifier's gradient of that mean replaces its
    /// store's gradients (g1 is left alone).
    func classify(_ x: UnsafePointer<Scalar>, labels: UnsafePointer<Int>, rows: Int,
                  train: Bool) -> (loss: Double, correct: Int) {
        let (f, z) = forward(x, rows: rows)
        let correct = Self.correct(z, labels: labels, rows: rows, classes: classes)
        // d/dz_c of (log sum exp z - z_y) / K is (softmax(z)_c - [c == y]) / K.
        let loss = SoftmaxLoss.rows(z, rows: rows, classes: classes, scale: 1 / Double(rows), gradient: train) { r, c in
            c == labels[r] ? 1 : 0
        }
        if train {
            store.zeroGrad()
            Kernels.columnSums(z, rows: rows, cols: classes, into: classifier.biasGrad(store))
            ParallelGemm.gemm(transA: true, transB: false, m: classifier.inputs, n: classes, k: rows, alpha: 1,
                              a: f, lda: classifier.inputs, b: z, ldb: classes, beta: 1,
                              c: classifier.weightGrad(store), ldc: classes, parallelism: parallelism)
        }
        return (loss, correct)
    }

    /// Both players' losses and the classifier's correct rows, from one forward pass.
    func evaluate(_ x: UnsafePointer<Scalar>, labels: UnsafePointer<Int>,
                  rows: Int) -> (loss: Double, correct: Int, uniformLoss: Double) {
        let (_, z) = forward(x, rows: rows)
        let scale = 1 / Double(rows), uniform = 1 / Double(classes)
        let loss = SoftmaxLoss.rows(z, rows: rows, classes: classes, scale: scale, gradient: false) { r, c in
            c == labels[r] ? 1 : 0
        }
        let uniformLoss = SoftmaxLoss.rows(z, rows: rows, classes: classes, scale: scale, gradient: false) { _, _ in
            uniform
        }
        return (loss, Self.correct(z, labels: labels, rows: rows, classes: classes), uniformLoss)
    }

    /// Rows whose largest logit (the first, on a tie) is the label.
    private static func correct(_ z: UnsafePointer<Scalar>, labels: UnsafePointer<Int>, rows: Int, classes: Int) -> Int {
        var n = 0
        for r in 0..<rows {
            let row = z + r * classes
            var best = 0
            for c in 1..<classes where row[c] > row[best] { best = c }
            if best == labels[r] { n += 1 }
        }
        return n
    }

    /// The encoder's player: the mean cross-entropy of softmax(z) to the
    /// uniform distribution, (1/K) sum_i (log sum_c exp z_ic - (1/C) sum_c z_ic).
    /// When training, g1's gradient of it (through the fixed classifier)
    /// replaces g1's stores' gradients.
    func confuse(_ x: UnsafePointer<Scalar>, rows: Int, train: Bool) -> Double {
        let (_, z) = forward(x, rows: rows)
        let uniform = 1 / Double(classes)
        // d/dz_c is (softmax(z)_c - 1/C) / K.
        let loss = SoftmaxLoss.rows(z, rows: rows, classes: classes, scale: 1 / Double(rows), gradient: train) { _, _ in
            uniform
        }
        if train {
            for s in encoder.stores { s.zeroGrad() }
            // d loss / d features = dz W^T.
            let df = dFeatures.reserve(rows * classifier.inputs)
            ParallelGemm.gemm(transA: false, transB: true, m: rows, n: classifier.inputs, k: classes, alpha: 1,
                              a: z, lda: classes, b: classifier.weight(store), ldb: classes, beta: 0,
                              c: df, ldc: classifier.inputs, parallelism: parallelism)
            encoder.backward(df, dInput: nil)
        }
        return loss
    }
}

/// Cross-entropy of softmax rows to a target distribution q (summing to 1
/// over each row), in Double:
///
///     loss = log sum_c exp(z_c) - sum_c q_c z_c = m + log sum_c exp(z_c - m) - sum_c q_c z_c,  m = max_c z_c,
///     d loss / d z_c = softmax(z)_c - q_c.
///
/// Shifting by the row maximum keeps every exponential in (0, 1].
enum SoftmaxLoss {
    /// Returns `scale` times the rows' summed loss (summed in row order);
    /// with `gradient`, overwrites each row of `z` with `scale` times its
    /// loss gradient.
    static func rows<T: MIScalar>(_ z: UnsafeMutablePointer<T>, rows: Int, classes: Int, scale: Double, gradient: Bool,
                                  target q: (Int, Int) -> Double) -> Double {
        var total = 0.0
        for r in 0..<rows {
            let row = z + r * classes
            var m = -Double.infinity
            for c in 0..<classes { m = Swift.max(m, Double(row[c])) }
            var sum = 0.0, expected = 0.0
            for c in 0..<classes {
                sum += Foundation.exp(Double(row[c]) - m)
                expected += q(r, c) * Double(row[c])
            }
            let logSum = m + Foundation.log(sum)
            total += logSum - expected
            if gradient {
                for c in 0..<classes { row[c] = T(scale * (Foundation.exp(Double(row[c]) - logSum) - q(r, c))) }
            }
        }
        return scale * total
    }
}
