import RealModule

/// One training step's record.
public struct TraceStep: Sendable, Equatable, Codable {
    public var step: Int
    /// The estimate on this step's batch (nats).
    public var estimate: Double
    /// The true MI at this step, when known.
    public var truth: Double?
    /// Seconds since training started, after this step.
    public var time: Double
    /// The mean estimate over the held-out split, on steps where it was evaluated.
    public var heldOut: Double?

    public init(step: Int, estimate: Double, truth: Double? = nil, time: Double, heldOut: Double? = nil) {
        self.step = step
        self.estimate = estimate
        self.truth = truth
        self.time = time
        self.heldOut = heldOut
    }
}

/// The per-step record of a run, with the summaries people ask for.
public struct Trace: Sendable, Codable {
    public var name: String
    public var steps: [TraceStep]
    /// The estimate's ceiling at this batch size (log K for nce), if any.
    public var ceiling: Double?
    /// True when the run was stopped before its last step.
    public var interrupted: Bool

    public init(name: String, steps: [TraceStep] = [], ceiling: Double? = nil, interrupted: Bool = false) {
        self.name = name
        self.steps = steps
        self.ceiling = ceiling
        self.interrupted = interrupted
    }

    public var estimates: [Double] { steps.map(\.estimate) }
    public var truths: [Double?] { steps.map(\.truth) }

    /// The last `n` estimates (all of them if fewer).
    public func tail(_ n: Int) -> ArraySlice<Double> { estimates.suffix(n) }

    /// Mean of the last `n` estimates.
    public func finalMean(last n: Int) -> Double { Statistics.mean(tail(n)) }

    /// Standard deviation of the last `n` estimates.
    public func finalStd(last n: Int) -> Double { Statistics.standardDeviation(tail(n)) }

    /// The truth at the last step, if known.
    public var finalTruth: Double? { steps.last?.truth }

    /// Steps per second over the whole run.
    public var stepsPerSecond: Double {
        guard let t = steps.last?.time, t > 0 else { return 0 }
        return Double(steps.count) / t
    }

    /// The held-out evaluations as (step, mean estimate).
    public var heldOut: [(step: Int, estimate: Double)] {
        steps.compactMap { s in s.heldOut.map { (s.step, $0) } }
    }
}

/// Summary statistics accumulated in Double.
public enum Statistics {
    public static func mean<C: Collection>(_ xs: C) -> Double where C.Element == Double {
        xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
    }

    /// The unbiased sample variance.
    public static func variance<C: Collection>(_ xs: C) -> Double where C.Element == Double {
        guard xs.count > 1 else { return .nan }
        let m = mean(xs)
        return xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
    }

    public static func standardDeviation<C: Collection>(_ xs: C) -> Double where C.Element == Double {
        variance(xs).squareRoot()
    }

    /// The standard error of the mean.
    public static func standardError<C: Collection>(_ xs: C) -> Double where C.Element == Double {
        (variance(xs) / Double(xs.count)).squareRoot()
    }
}
