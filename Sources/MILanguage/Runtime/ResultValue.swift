import MIEngine

/// The outcome of one `estimate` run: its settings, the per-step trace and
/// the summaries people ask for (`r.final`, `r.truth`, `r.std`, ...).
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

    public init(estimator: String, critic: String, data: String, batch: Int, settings: [(String, Value)],
                trace: Trace, tail: Int, span: Double, epoch: Int? = nil) {
        self.estimator = estimator
        self.critic = critic
        self.data = data
        self.batch = batch
        self.settings = settings
        self.trace = trace
        self.tail = max(1, min(tail, trace.steps.count))
        self.span = span
        self.epoch = epoch
    }

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

    /// Mean estimate over the last `tail` steps.
    public var final: Double { Statistics.mean(tailValues) }
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
        ("final", .number, "mean estimate over the last `tail` steps"),
        ("truth", .number, "true MI at the last step (nan if unknown)"),
        ("bias", .number, "final - truth"),
        ("std", .number, "standard deviation of the estimate over the last `tail` steps"),
        ("var", .number, "variance of the estimate over the last `tail` steps"),
        ("mse", .number, "mean squared error against the truth over the last `tail` steps"),
        ("trace", .list(.number), "the estimate at every step"),
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
