import MILanguage

/// What happened to one cell.
public struct CellRecord: Sendable {
    public enum Status: String, Sendable {
        /// Ran, computing at least one run (or having none to replay).
        case ran
        /// Ran with every run it holds replayed from the cache.
        case cached
        /// Had a language error, a runtime error or a failed expect.
        case failed
        /// Not run: it needs a value a failed cell should have defined.
        case skipped
        /// Not run: the user stopped the notebook.
        case interrupted
    }

    public let cell: Cell
    public var status: Status
    public var outputs: [Output] = []
    /// The error text (diagnostics with carets), for failed and skipped cells.
    public var error: String?
    /// The exit-code class of the failure (65 language, 70 runtime, 74 I/O).
    public var errorCode: Int32 = 0
    /// Seconds the cell took, counting replayed runs at the time they took when computed.
    public var seconds: Double = 0
    /// What the cell's runs did: computed now or replayed.
    public var runs = RunTally()

    public init(cell: Cell, status: Status) {
        self.cell = cell
        self.status = status
    }
}

/// The outcome of running a whole notebook.
public struct NotebookRun: Sendable {
    public let notebook: Notebook
    public var records: [CellRecord]
    /// Parameters in force (declared defaults with `-p` overrides applied).
    public var parameters: [String: Value]
    public var seconds: Double

    public var failed: [CellRecord] { records.filter { $0.status == .failed || $0.status == .skipped } }
    public var ranCount: Int { records.filter { $0.status == .ran }.count }
    public var cachedCount: Int { records.filter { $0.status == .cached }.count }
    /// Runs computed now, and runs replayed from the cache, over all cells.
    public var computedRuns: Int { records.reduce(0) { $0 + $1.runs.computed } }
    public var replayedRuns: Int { records.reduce(0) { $0 + $1.runs.replayed } }
    public var interrupted: Bool { records.contains { $0.status == .interrupted } }

    /// 0 when every cell succeeded; otherwise the most serious failure's code.
    public var exitCode: Int32 {
        if interrupted { return 130 }
        let codes = failed.map(\.errorCode)
        if codes.contains(65) { return 65 }
        if codes.contains(74) { return 74 }
        return codes.isEmpty ? 0 : 70
    }
}
