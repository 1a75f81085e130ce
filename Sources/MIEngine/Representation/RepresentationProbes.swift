/// Which classifier judges a representation.
public enum ProbeKind: Sendable, Equatable, Hashable {
    /// Multinomial logistic regression (`LogisticProbe`, scikit-learn's
    /// objective with C = 1): the linear evaluation protocol of 001 sec. 3.
    case logistic
    /// An MLP with these hidden layers (`MLPProbe`, early stopping): the
    /// non-linear protocol of 002 sec. 5 is `.mlp(hidden: [300, 300])`.
    case mlp(hidden: [Int])
}

/// What `RepresentationProbes` measures, on which items.
public struct RepresentationProbeOptions: Sendable, Equatable, Hashable {
    /// nil: no probe.
    public var probe: ProbeKind?
    /// The first N items of the train split the probe fits on (nil = all).
    public var trainLimit: Int?
    /// The first N test items it is scored on (nil = all).
    public var testLimit: Int?
    /// Test inputs sampled for Jacobian condition numbers; 0 = off (001 uses 128).
    public var conditioning: Int
    /// Seeds the views' noise, the sampled conditioning inputs and the MLP probe.
    public var seed: UInt64
    public var parallelism: Parallelism

    public init(probe: ProbeKind? = .logistic, trainLimit: Int? = nil, testLimit: Int? = nil, conditioning: Int = 0,
                seed: UInt64 = 1, parallelism: Parallelism = .allCores) {
        self.probe = probe
        self.trainLimit = trainLimit
        self.testLimit = testLimit
        self.conditioning = conditioning
        self.seed = seed
        self.parallelism = parallelism
    }
}

/// How representation learning is judged during training (001 sec. 3):
/// a probe on the frozen features g1(x1) against class labels the encoders
/// never saw, and the condition numbers of g1's Jacobian.
///
/// The inputs are view 1 as the views define it, coupled noise included:
/// 001 sec. 3.1 probes g1 on the noisy top halves (its pixel baseline
/// "drops to about 84% due to the added noise") and takes the Jacobian at
/// "inputs randomly sampled from the data distribution", which the noise
/// is part of. The noise is drawn once from the seed when the hook or the
/// baseline is made, so every evaluation of a run probes the same inputs
/// and its numbers change only through g1; the same seed gives the raw
/// pixel baseline on exactly those pixels. Without noise the inputs are
/// the clean halves.
///
/// The probe fits on the first `trainLimit` training items and is scored
/// on the first `testLimit` test items; the conditioning inputs are
/// `conditioning` test items drawn without replacement from the whole test
/// split. Views with several labels per item (a grid of items, 000 sec. 5)
/// get one probe per slot, and the accuracies are the slots' mean. Same
/// seed, same bits, on one core or all.
public enum RepresentationProbes {
    /// The trainer's hook: encodes view 1 of the train/test items with g1,
    /// fits the probe, and returns "probe" (test accuracy in [0, 1]),
    /// "probe_train" (accuracy on the items it fitted), "probe_loss" (the
    /// fitted probe's mean test cross-entropy, what 001 Fig. 1c plots) and, when
    /// conditioning > 0, "cond_p0", "cond_p20", ..., "cond_p100" (the
    /// percentiles of `ConditionSummary`). Everything is checked here; the
    /// hook itself cannot throw, so a measurement that fails when called
    /// (features that are not finite after a diverged run, an encoder that
    /// does not read view 1) is reported as NaN under its keys.
    public static func hook(views: any ViewPairs,
                            options: RepresentationProbeOptions) throws -> (Int, FloatEncoder) -> [String: Double] {
        let fixture = try ProbeFixture(views: views, options: options)
        return { _, g1 in fixture.measureOrNaN(g1) }
    }

    /// The raw-pixel baseline: the same probe on view 1's pixels; "probe",
    /// "probe_train" and "probe_loss" as above (a `conditioning` count is ignored: the
    /// identity's Jacobian has condition number 1).
    public static func rawPixels(views: any ViewPairs, options: RepresentationProbeOptions) throws -> [String: Double] {
        guard options.probe != nil else {
            throw RepresentationError.invalidOption(name: "the probe", value: "none",
                                                    expected: "logistic or an MLP for the raw-pixel baseline")
        }
        var o = options
        o.conditioning = 0
        let fixture = try ProbeFixture(views: views, options: o)
        return try fixture.probe(train: fixture.trainX, test: fixture.testX)
    }

    /// The hook's measurement of one encoder, once, with errors thrown.
    public static func evaluate(_ g1: FloatEncoder, views: any ViewPairs,
                                options: RepresentationProbeOptions) throws -> [String: Double] {
        try ProbeFixture(views: views, options: options).measure(g1)
    }
}

/// The inputs and labels a probe run reads, drawn once.
final class ProbeFixture: Sendable {
    let options: RepresentationProbeOptions
    let shape: ViewShape
    let classes: Int, slots: Int
    let trainX: Matrix<Float>, testX: Matrix<Float>
    /// Per slot, the labels of the train and test items.
    let trainLabels: [[Int]], testLabels: [[Int]]
    /// The sampled conditioning inputs (nil when off).
    let conditioningX: Matrix<Float>?

    /// Items per fill when drawing the views (fixed, so the noise is too).
    static let fillChunk = 1024

    init(views: any ViewPairs, options o: RepresentationProbeOptions) throws {
        if views.labelSlots < 1 { throw RepresentationError.noLabels(views: views.name) }
        if views.classes < 2 { throw ProbeError.tooFewClasses(classes: views.classes) }
        let classes = views.classes
        let nTrain = try Self.limit(o.trainLimit, name: "trainLimit", split: .train, views: views, minimum: classes,
                                    expected: "at least the \(classes) classes",
                                    unlimited: "a probe of \(classes) classes (an item of each, at least)")
        let nTest = try Self.limit(o.testLimit, name: "testLimit", split: .test, views: views, minimum: 1,
                                   expected: "at least 1", unlimited: "scoring a probe")
        if o.conditioning < 0 {
            throw RepresentationError.invalidOption(name: "conditioning", value: "\(o.conditioning)",
                                                    expected: "0 or more test inputs")
        }
        if o.conditioning > views.count(.test) {
            throw RepresentationError.notEnoughItems(split: .test, needed: o.conditioning,
                                                     available: views.count(.test),
                                                     what: "sampling \(o.conditioning) inputs for condition numbers")
        }
        if case .mlp(let hidden) = o.probe { try MLPProbeOptions(hidden: hidden).validate() }
        options = o
        shape = views.shape1
        self.classes = classes
        slots = views.labelSlots
        let needsData = o.probe != nil
        trainX = needsData ? Self.view1(views, .train, items: Array(0..<nTrain), seed: o.seed, stream: 1,
                                        parallelism: o.parallelism) : Matrix(rows: 0, cols: views.shape1.size)
        testX = needsData ? Self.view1(views, .test, items: Array(0..<nTest), seed: o.seed, stream: 2,
                                       parallelism: o.parallelism) : Matrix(rows: 0, cols: views.shape1.size)
        let s = views.labelSlots
        let train = views.labels(.train), test = views.labels(.test)
        trainLabels = (0..<s).map { slot in (0..<(needsData ? nTrain : 0)).map { train[$0 * s + slot] } }
        testLabels = (0..<s).map { slot in (0..<(needsData ? nTest : 0)).map { test[$0 * s + slot] } }
        if o.conditioning > 0 {
            var pick = RNG(seed: o.seed, stream: 3)
            let items = Array(pick.permutation(views.count(.test)).prefix(o.conditioning))
            conditioningX = Self.view1(views, .test, items: items, seed: o.seed, stream: 4, parallelism: o.parallelism)
        } else {
            conditioningX = nil
        }
    }

    /// The number of items a limit names: all of the split when nil.
    private static func limit(_ limit: Int?, name: String, split: ViewSplit, views: any ViewPairs, minimum: Int,
                              expected: String, unlimited: String) throws -> Int {
        let available = views.count(split)
        let n = limit ?? available
        if let limit, limit < minimum {
            throw RepresentationError.invalidOption(name: name, value: "\(limit)", expected: expected)
        }
        if n > available || n < minimum {
            throw RepresentationError.notEnoughItems(split: split, needed: limit ?? minimum, available: available,
                                                     what: limit.map { "the probe's \(name) of \($0)" } ?? unlimited)
        }
        return n
    }

    /// View 1 of `items`, filled `fillChunk` items at a time with noise
    /// from RNG(seed, stream) (view 2 is drawn and dropped).
    private static func view1(_ views: any ViewPairs, _ split: ViewSplit, items: [Int], seed: UInt64, stream: UInt64,
                              parallelism: Parallelism) -> Matrix<Float> {
        let n1 = views.shape1.size, n2 = views.shape2.size
        var out = Matrix<Float>(rows: items.count, cols: n1)
        var rng = RNG(seed: seed, stream: stream)
        var scratch = [Float](repeating: 0, count: Swift.min(fillChunk, items.count) * n2)
        out.storage.withUnsafeMutableBufferPointer { x1 in
            scratch.withUnsafeMutableBufferPointer { x2 in
                for start in stride(from: 0, to: items.count, by: fillChunk) {
                    let part = Array(items[start..<Swift.min(start + fillChunk, items.count)])
                    views.fill(split, items: part, x1: x1.baseAddress! + start * n1, x2: x2.baseAddress!, rng: &rng,
                               parallelism: parallelism)
                }
            }
        }
        return out
    }

    /// The probe metrics and condition numbers of g1; throws when g1 does
    /// not read view 1 or the probe cannot fit its features.
    func measure(_ g1: FloatEncoder) throws -> [String: Double] {
        try checkEncoder(g1)
        var out = try probeEncoded(g1)
        out.merge(conditioning(g1)) { a, _ in a }
        return out
    }

    /// `measure`, with each failing part reported as NaN under its keys.
    func measureOrNaN(_ g1: FloatEncoder) -> [String: Double] {
        var out: [String: Double] = [:]
        let encoderFits = (try? checkEncoder(g1)) != nil
        if options.probe != nil {
            out = (encoderFits ? try? probeEncoded(g1) : nil) ?? ["probe": .nan, "probe_train": .nan, "probe_loss": .nan]
        }
        if options.conditioning > 0 {
            out.merge(encoderFits ? conditioning(g1) : ConditionSummary([.nan]).metrics) { a, _ in a }
        }
        return out
    }

    private func checkEncoder(_ g1: FloatEncoder) throws {
        if g1.inputSize != shape.size {
            throw RepresentationError.encoderInput(encoder: g1.name, role: "g1", expects: g1.inputSize, view: shape)
        }
    }

    private func probeEncoded(_ g1: FloatEncoder) throws -> [String: Double] {
        guard options.probe != nil else { return [:] }
        let p = options.parallelism
        return try probe(train: RepresentationTrainer.encode(trainX, with: g1, parallelism: p),
                         test: RepresentationTrainer.encode(testX, with: g1, parallelism: p))
    }

    private func conditioning(_ g1: FloatEncoder) -> [String: Double] {
        guard let x = conditioningX else { return [:] }
        return ConditionSummary(JacobianConditioning.conditionNumbers(of: g1, at: x,
                                                                      parallelism: options.parallelism)).metrics
    }

    /// Fits the probe on `train` and scores it on `test`, per label slot;
    /// "probe" and "probe_train" are the slots' mean accuracies, "probe_loss"
    /// their mean test cross-entropy.
    func probe(train: Matrix<Float>, test: Matrix<Float>) throws -> [String: Double] {
        guard let kind = options.probe else { return [:] }
        var testSum = 0.0, trainSum = 0.0, lossSum = 0.0
        for slot in 0..<slots {
            let report: ProbeReport
            switch kind {
            case .logistic:
                report = try LogisticProbe.evaluate(train: train, trainLabels: trainLabels[slot], test: test,
                                                    testLabels: testLabels[slot], classes: classes,
                                                    options: LogisticProbeOptions(parallelism: options.parallelism))
            case .mlp(let hidden):
                report = try MLPProbe.evaluate(train: train, trainLabels: trainLabels[slot], test: test,
                                               testLabels: testLabels[slot], classes: classes,
                                               options: MLPProbeOptions(hidden: hidden, seed: options.seed,
                                                                        parallelism: options.parallelism))
            }
            testSum += report.testAccuracy
            trainSum += report.trainAccuracy
            lossSum += report.testLoss
        }
        let n = Double(slots)
        return ["probe": testSum / n, "probe_train": trainSum / n, "probe_loss": lossSum / n]
    }
}
