import MIEngine

/// The outcome of one `estimate` or `learn` run: its settings, the per-step
/// trace and the summaries people ask for (`r.final`, `r.truth`, `r.std`, ...).
/// A `learn` run also keeps its evaluations (test I_EST, probes, conditioning).
public final class ResultValue: Sendable {
    public let estimator: String
    public let critic: String
    public let data: String
    public let batch: Int
    /// Every option the run used, in a stable order (JSON output, caching).
    public let settings: [(String, Value)]
    public let trace: Trace
    /// Steps summarised by `final`, `std` and `mse`.
    public let tail: Int
    /// Span of the exponential moving average in `smoothed`.
    public let span: Double
    /// Steps per epoch when `smoothed` is 002's triangular window over epoch
    /// means; nil for the moving average.
    public let epoch: Int?
    /// A `learn` run's record: test I_EST, probe accuracy and conditioning at each evaluation.
    public let representation: RepresentationTrace?
    /// A `learn adversarial` run's record: the in-loop classifier and, at
    /// each evaluation, the separately trained probe (001 Fig. 1c).
    public let adversarial: AdversarialTrace?
    /// A `learn reconstruct` run's record: the decoder's test loss, I_V and
    /// the probes at each evaluation (002 sec. 5.1).
    public let reconstruction: ReconstructionTrace?
    /// A `learn` run's baseline: the same probe on view 1's raw pixels, its
    /// test accuracy and test cross-entropy.
    public let baselineAccuracy: Double?
    public let baselineLoss: Double?

    public init(estimator: String, critic: String, data: String, batch: Int, settings: [(String, Value)],
                trace: Trace, tail: Int, span: Double, epoch: Int? = nil,
                representation: RepresentationTrace? = nil, adversarial: AdversarialTrace? = nil,
                reconstruction: ReconstructionTrace? = nil, baselineAccuracy: Double? = nil, baselineLoss: Double? = nil) {
        self.estimator = estimator
        self.critic = critic
        self.data = data
        self.batch = batch
        self.settings = settings
        self.trace = trace
        self.tail = max(1, min(tail, trace.steps.count))
        self.span = span
        self.epoch = epoch
        self.representation = representation
        self.adversarial = adversarial
        self.reconstruction = reconstruction
        self.baselineAccuracy = baselineAccuracy
        self.baselineLoss = baselineLoss
    }

    /// Whether the run recorded evaluations (`learn`, either kind).
    public var hasEvaluations: Bool { representation != nil || adversarial != nil || reconstruction != nil }

    /// The smoothed trace and the steps it is drawn at: the moving average
    /// at every step, or (with `epoch`) the means of whole epochs smoothed
    /// by the triangular window of +-10 epochs (002 App. C.1), drawn at the
    /// middle of each epoch.
    public var smoothedCurve: (x: [Double], y: [Double]) {
        let estimates = trace.estimates
        guard let epoch, estimates.count >= epoch else {
            return (estimates.indices.map { Double($0 + 1) }, Smoothing.exponential(estimates, span: span))
        }
        let y = Smoothing.triangular(Smoothing.epochMeans(estimates, epochLength: epoch), radius: 10)
        return (y.indices.map { (Double($0) + 0.5) * Double(epoch) }, y)
    }

    private var tailValues: ArraySlice<Double> { trace.tail(tail) }

    /// The number to report: a `learn` run's last test I_EST (held out, never
    /// the training batches'); a `learn adversarial` run's last probe test
    /// loss (001 Fig. 1c's y; the in-loop classifier's without a probe); a
    /// `learn reconstruct` run's last test reconstruction loss; else the
    /// mean estimate over the last `tail` steps.
    public var final: Double {
        if let reconstruction { return reconstruction.evaluations.last?.testLoss ?? .nan }
        if let adversarial {
            guard let last = adversarial.evaluations.last else { return .nan }
            return last.metrics["probe_loss"] ?? last.classifierLoss
        }
        return representation?.evaluations.last?.testEstimate ?? trainingFinal
    }
    /// Mean training estimate over the last `tail` steps.
    public var trainingFinal: Double { Statistics.mean(tailValues) }
    public var std: Double { Statistics.standardDeviation(tailValues) }
    public var truth: Double? { trace.finalTruth }
    public var bias: Double? { truth.map { final - $0 } }
    /// Mean squared error against the truth over the last `tail` steps.
    public var mse: Double? {
        let pairs = trace.steps.suffix(tail).compactMap { s in s.truth.map { (s.estimate - $0) } }
        guard pairs.count == tail else { return nil }
        return Statistics.mean(pairs.map { $0 * $0 })
    }

    /// One line for lists and tables.
    public var summaryLine: String {
        var s = "\(estimator) \(formatNumber(final.rounded(toPlaces: 3)))"
        if let t = truth { s += " truth \(formatNumber(t.rounded(toPlaces: 3)))" }
        return s
    }

    /// The fields `r.name` can read, with their types and meaning.
    public static let fields: [(name: String, type: ValueType, doc: String)] = [
        ("final", .number, "mean estimate over the last `tail` steps (learn: the last test I_EST; learn adversarial: "
         + "the probe's last test loss; learn reconstruct: the last test reconstruction loss)"),
        ("truth", .number, "true MI at the last step (nan if unknown)"),
        ("bias", .number, "final - truth"),
        ("std", .number, "standard deviation of the estimate over the last `tail` steps"),
        ("var", .number, "variance of the estimate over the last `tail` steps"),
        ("mse", .number, "mean squared error against the truth over the last `tail` steps"),
        ("trace", .list(.number), "the estimate at every step"),
        ("se", .number, "learn: the standard error of `final` over the test batches"),
        ("test", .list(.number), "learn: the test-split I_EST at each evaluation"),
        ("test_se", .list(.number), "learn: its standard error over the test batches"),
        ("eval_steps", .list(.number), "learn: the training steps completed at each evaluation"),
        ("probe", .list(.number), "learn: the probe's test accuracy on g1's features at each evaluation"),
        ("probe_train", .list(.number), "learn: the probe's training accuracy at each evaluation"),
        ("probe_loss", .list(.number), "learn: the probe's test cross-entropy (nats) on g1's features at each evaluation"),
        ("grad_norm", .list(.number), "learn: with lipschitz=gp (wpc), the mean norm of the gradient in (x1, x2) of "
         + "f = critic(g1(x1), g2(x2)) at interpolates of the test batches, at each evaluation (nan without)"),
        ("accuracy", .number, "learn: the probe's test accuracy at the last evaluation"),
        ("baseline_accuracy", .number, "learn: the same probe's test accuracy on raw pixels of view 1"),
        ("baseline_loss", .number, "learn: the same probe's test cross-entropy on raw pixels of view 1"),
        ("classifier_loss", .list(.number),
         "learn: (adversarial) the in-loop linear classifier's test cross-entropy at each evaluation"),
        ("classifier_accuracy", .list(.number),
         "learn: (adversarial) the in-loop linear classifier's test accuracy at each evaluation"),
        ("encoder_loss", .list(.number),
         "learn: (adversarial) g1's loss at each evaluation: the in-loop softmax's test cross-entropy to uniform"),
        ("reconstruction", .list(.number),
         "learn: (reconstruct) the decoder's test reconstruction loss (mean squared error per pixel) at each evaluation"),
        ("vinfo", .list(.number), "learn: (reconstruct) I_V(g1(X1) -> X2) in nats on the test batches at each evaluation"),
        ("mlp_probe", .list(.number), "learn: (reconstruct, mlp_probe=true) the MLP probe's test accuracy at each evaluation"),
        ("mlp_probe_loss", .list(.number),
         "learn: (reconstruct, mlp_probe=true) the MLP probe's test cross-entropy at each evaluation"),
        ("mlp_accuracy", .number, "learn: (reconstruct, mlp_probe=true) the MLP probe's test accuracy at the last evaluation"),
    ] + conditioningFields + [
        ("truths", .list(.number), "the true MI at every step"),
        ("smoothed", .list(.number), "the smoothed trace: moving average (span `span`) per step, or triangular per epoch"),
        ("heldout", .list(.number), "mean estimates on the held-out split, when a fixed dataset is used"),
        ("ceiling", .number, "the largest value the estimate can take at this batch size (nan if none)"),
        ("steps", .integer, "steps run"),
        ("steps_per_s", .number, "training steps per second"),
        ("time", .number, "wall time in seconds"),
        ("batch", .integer, "batch size K"),
        ("estimator", .string, "the estimator's name"),
        ("critic", .string, "the critic's description"),
        ("data", .string, "the data source's description"),
        ("interrupted", .bool, "true if the run was stopped early"),
    ]

    /// Percentiles of the condition number of g1's Jacobian (001 Fig. 2c).
    static let conditioningPercentiles = [0, 20, 40, 60, 80, 100]
    static let conditioningFields: [(name: String, type: ValueType, doc: String)] = conditioningPercentiles.map {
        ("cond_p\($0)", .list(.number), "learn: the \($0)th percentile of g1's Jacobian condition number at each evaluation")
    }

    /// A `learn` run's series `name` at each evaluation, if it has one.
    public func evaluationSeries(_ name: String) -> [Double]? {
        if let adversarial { return Self.series(name, of: adversarial) }
        if let reconstruction { return Self.series(name, of: reconstruction) }
        guard let evaluations = representation?.evaluations else { return nil }
        switch name {
        case "test": return evaluations.map(\.testEstimate)
        case "test_se": return evaluations.map(\.standardError)
        case "eval_steps": return evaluations.map { Double($0.step) }
        case "grad_norm": return evaluations.map { $0.metrics["grad_norm"] ?? .nan }
        default:
            guard Self.hookSeries.contains(name) || name.hasPrefix("cond_p") else { return nil }
            return evaluations.map { $0.metrics[name] ?? .nan }
        }
    }

    /// The series the probe hook records.
    static let hookSeries: Set<String> = ["probe", "probe_train", "probe_loss"]

    /// A `learn adversarial` run's series `name`, if it records one.
    private static func series(_ name: String, of record: AdversarialTrace) -> [Double]? {
        let evaluations = record.evaluations
        switch name {
        case "eval_steps": return evaluations.map { Double($0.step) }
        case "classifier_loss": return evaluations.map(\.classifierLoss)
        case "classifier_accuracy": return evaluations.map(\.classifierAccuracy)
        case "encoder_loss": return evaluations.map(\.encoderLoss)
        default:
            guard hookSeries.contains(name) || name.hasPrefix("cond_p") else { return nil }
            return evaluations.map { $0.metrics[name] ?? .nan }
        }
    }

    /// A `learn reconstruct` run's series `name`, if it records one.
    private static func series(_ name: String, of record: ReconstructionTrace) -> [Double]? {
        let evaluations = record.evaluations
        switch name {
        case "eval_steps": return evaluations.map { Double($0.step) }
        case "reconstruction": return evaluations.map(\.testLoss)
        case "vinfo": return evaluations.map(\.vInformation)
        default:
            guard hookSeries.contains(name) || hookSeries.contains(name.replacingOccurrences(of: "mlp_", with: ""))
                    || name.hasPrefix("cond_p") else { return nil }
            return evaluations.map { $0.metrics[name] ?? .nan }
        }
    }

    /// The value of field `name`.
    public func field(_ name: String) -> Value? {
        switch name {
        case "final": return .number(final)
        case "truth": return .number(truth ?? .nan)
        case "bias": return .number(bias ?? .nan)
        case "std": return .number(std)
        case "var": return .number(std * std)
        case "mse": return .number(mse ?? .nan)
        case "trace": return .list(trace.estimates.map(Value.number))
        case "se":
            return .number(representation?.evaluations.last?.standardError
                           ?? reconstruction?.evaluations.last?.standardError ?? .nan)
        case "accuracy":
            let last = representation?.evaluations.last?.metrics ?? adversarial?.evaluations.last?.metrics
                ?? reconstruction?.evaluations.last?.metrics
            return .number(last?["probe"] ?? .nan)
        case "mlp_accuracy": return .number(reconstruction?.evaluations.last?.metrics["mlp_probe"] ?? .nan)
        case "baseline_accuracy": return .number(baselineAccuracy ?? .nan)
        case "baseline_loss": return .number(baselineLoss ?? .nan)
        case _ where Self.fields.contains { $0.name == name && $0.doc.hasPrefix("learn:") && $0.type == .list(.number) }:
            return .list((evaluationSeries(name) ?? []).map(Value.number))
        case "truths": return .list(trace.steps.map { .number($0.truth ?? .nan) })
        case "smoothed": return .list(smoothedCurve.y.map(Value.number))
        case "heldout": return .list(trace.heldOut.map { .number($0.estimate) })
        case "ceiling": return .number(trace.ceiling ?? .nan)
        case "steps": return .number(Double(trace.steps.count))
        case "steps_per_s": return .number(trace.stepsPerSecond)
        case "time": return .number(trace.steps.last?.time ?? 0)
        case "batch": return .number(Double(batch))
        case "estimator": return .string(estimator)
        case "critic": return .string(critic)
        case "data": return .string(data)
        case "interrupted": return .bool(trace.interrupted)
        default: return nil
        }
    }
}

extension Double {
    func rounded(toPlaces p: Int) -> Double {
        var scale = 1.0
        for _ in 0..<p { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
