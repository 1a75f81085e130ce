import MIPlot

/// What running a statement shows. Hosts (CLI, REPL, notebook renderer)
/// decide how: human text or JSON.
public enum Output: Sendable {
    /// A value printed by `print` or an expression statement.
    case value(Value)
    /// Text such as help.
    case text(String)
    /// An `estimate` that gave one run.
    case result(ResultValue)
    /// An `estimate` sweep, or `table`.
    case table(TableValue)
    /// An `expect` that held.
    case expectation(String)
    /// A figure to show (`plot` or `figure` as a statement).
    case figure(Figure)
}

/// Progress of a long estimate, for progress lines.
public struct RunProgress: Sendable {
    public let label: String
    /// 1-based step just finished, and the run's total.
    public let step: Int
    public let total: Int
    /// Which run of a sweep this is (1-based) and how many there are.
    public let run: Int
    public let runs: Int
    public let estimate: Double
    public let smoothed: Double
    public let truth: Double?
    public let stepsPerSecond: Double
    public let elapsed: Double

    /// Seconds left in this run at the current rate.
    public var remaining: Double {
        stepsPerSecond > 0 ? Double(total - step) / stepsPerSecond : 0
    }
}

/// The host's side of a running program: where output goes, how progress
/// is shown, and whether the user asked to stop.
public protocol Observer: AnyObject {
    func emit(_ output: Output)
    func progress(_ p: RunProgress)
    /// Polled between training steps; true stops the run (Ctrl-C).
    func shouldStop() -> Bool
}

extension Observer {
    public func progress(_ p: RunProgress) {}
    public func shouldStop() -> Bool { false }
}

/// Collects outputs in memory (tests, notebooks).
public final class CollectingObserver: Observer {
    public private(set) var outputs: [Output] = []
    public init() {}
    public func emit(_ output: Output) { outputs.append(output) }
}
