/// What a bound reports for one batch of scores.
public struct BoundResult: Sendable {
    /// The MI estimate reported for this batch (nats).
    public var estimate: Double
    /// The objective the critic maximises. It differs from `estimate` for
    /// bounds trained on a surrogate (js, js_plugin, smile, mine).
    public var objective: Double
    /// d objective / d score, aligned with `Scores.values`.
    public var dScores: [Double]
    /// d objective / d log-baseline per y index, for bounds with a learned baseline.
    public var dLogBaseline: [Double]?
}

/// Whether a bound uses a learned function of y beside the critic.
public enum BaselineUse: Sendable {
    case none
    /// A learned log-baseline log a(y) (tuba) or log q(y) (alpha), one value per y.
    case learned
}

/// A variational bound (or estimate) of MI computed from critic scores.
///
/// Conventions (DESIGN sec. 4): nats; scores f(x_i, y_j); positives on the
/// diagonal; everything in the log domain. A bound may keep state across
/// batches (MINE's moving average), hence `mutating`.
public protocol Bound: Sendable {
    /// The registry name, e.g. `nwj`, `alpha(0.5)`.
    var name: String { get }
    /// Whether a learned baseline network is needed.
    var baseline: BaselineUse { get }
    /// Whether the bound needs all K x K pairs (multi-sample bounds).
    var needsAllPairs: Bool { get }
    /// c such that log p(y|x)/p(y) + c is this bound's optimal critic
    /// (1 for nwj, whose critic must self-normalise, 0 for the rest:
    /// 004 sec. 2.2).
    var optimalShift: Double { get }
    /// The largest value the estimate can take with batch size K, if any.
    func ceiling(batch: Int) -> Double?
    /// The smallest batch the bound is defined on (2: one positive and one
    /// negative per x).
    var minimumBatch: Int { get }
    /// Value and gradient for one batch.
    mutating func evaluate(_ scores: Scores, logBaseline: [Double]?) -> BoundResult
}

extension Bound {
    public var baseline: BaselineUse { .none }
    public var needsAllPairs: Bool { false }
    public var optimalShift: Double { 0 }
    public func ceiling(batch: Int) -> Double? { nil }
    public var minimumBatch: Int { 2 }
}

/// Gradient buffer with the positives set to d/d(mean_P f) = 1/K.
@inline(__always)
func positiveMeanGradient(_ s: Scores, scale: Double = 1) -> [Double] {
    var d = [Double](repeating: 0, count: s.values.count)
    let w = scale / Double(s.batch)
    for i in 0..<s.batch { d[s.positiveIndex(i)] = w }
    return d
}
