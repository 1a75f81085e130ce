import Foundation
import MIEngine
import MILanguage

/// Hooks for showing a notebook run as it happens.
public protocol NotebookObserver: AnyObject {
    func cellStarted(_ cell: Cell, number: Int, of total: Int)
    func cellFinished(_ record: CellRecord)
    /// An output, as soon as a running cell produces it.
    func output(_ output: Output, cell: Cell)
    func progress(_ p: RunProgress, cell: Cell)
    /// Polled between training steps; true stops the notebook.
    func shouldStop() -> Bool
}

extension NotebookObserver {
    public func cellStarted(_ cell: Cell, number: Int, of total: Int) {}
    public func cellFinished(_ record: CellRecord) {}
    public func output(_ output: Output, cell: Cell) {}
    public func progress(_ p: RunProgress, cell: Cell) {}
    public func shouldStop() -> Bool { false }
}

/// Runs a notebook's cells top to bottom in one session.
///
/// Every cell runs every time; what is cached are its runs (each training
/// run of `estimate`, each `analyze` study), keyed by everything their
/// numbers depend on (see `RunKey`, `RunStore`). So editing prose, a plot or
/// an `expect` recomputes nothing, changing a parameter recomputes exactly
/// the runs that read it, and every `expect` is checked against the numbers
/// on every run, replayed or not. A failing cell does not stop the notebook:
/// cells that need a value it should have defined are skipped, the rest run.
public final class NotebookRunner {
    public let notebook: Notebook
    public let overrides: [String: Value]
    public let cache: RunStore?
    public weak var observer: NotebookObserver?

    private let router = Router()
    private lazy var session = Session(observer: router)
    /// Variables a failed cell should have defined, with that cell's number.
    private var poisoned: [String: Int] = [:]

    public init(notebook: Notebook, overrides: [String: Value] = [:], cache: RunStore?, baseDirectory: String? = nil) {
        self.notebook = notebook
        self.overrides = overrides
        self.cache = cache
        let base = baseDirectory ?? (notebook.path as NSString).deletingLastPathComponent
        session.environment.baseDirectory = base.isEmpty ? FileManager.default.currentDirectoryPath : base
        session.environment.parameterOverrides = overrides
        session.runCache = cache
    }

    public func run() -> NotebookRun {
        router.runner = self
        let start = Date()
        var records: [CellRecord] = []
        let cells = notebook.cells
        var stopped = false
        for (i, cell) in cells.enumerated() {
            if stopped || observer?.shouldStop() == true {
                stopped = true
                records.append(CellRecord(cell: cell, status: .interrupted))
                continue
            }
            let record = runCell(cell, number: i + 1, of: cells.count)
            if record.status == .interrupted { stopped = true }
            records.append(record)
            observer?.cellFinished(record)
        }
        return NotebookRun(notebook: notebook, records: records, parameters: session.environment.parameters,
                           seconds: Date().timeIntervalSince(start))
    }

    private func runCell(_ cell: Cell, number: Int, of total: Int) -> CellRecord {
        let source = cell.source(in: notebook)
        let assumed = poisoned.keys.filter { session.environment.values[$0] == nil }
        let (statements, resolution, diagnostics) = session.check(
            source, assuming: Dictionary(uniqueKeysWithValues: assumed.map { ($0, ValueType.any) }))
        let deps = Dependencies(statements, resolution: resolution)
        var record = CellRecord(cell: cell, status: .ran)
        if let (name, culprit) = deps.reads.compactMap({ n in poisoned[n].map { (n, $0) } }).first {
            record.status = .skipped
            record.error = "\(notebook.path):\(cell.firstLine): skipped: needs '\(name)', which cell \(culprit) failed to define"
            record.errorCode = 70
            for w in deps.writes { poisoned[w] = poisoned[w] ?? culprit }
            return record
        }
        observer?.cellStarted(cell, number: number, of: total)
        if !diagnostics.isEmpty {
            return fail(&record, Diagnostics(diagnostics).description, code: 65, writes: deps.writes, number: number)
        }
        router.begin(cell)
        session.interpreter.tally = RunTally()
        let started = Date()
        var failure: (text: String, code: Int32)?
        do {
            try session.run(statements, resolution: resolution, source: source)
        } catch is Interpreter.Interrupted {
            record.status = .interrupted
        } catch let d as Diagnostic {
            failure = (d.description, d.kind == .inputOutput ? 74 : (d.kind == .syntax || d.kind == .resolve ? 65 : 70))
        } catch {
            failure = ("\(error)", 70)
        }
        record.outputs = router.finish()
        record.runs = session.interpreter.tally
        // Replayed runs count the time they took when they were computed.
        record.seconds = Date().timeIntervalSince(started) + record.runs.replayedSeconds
        if let failure { return fail(&record, failure.text, code: failure.code, writes: deps.writes, number: number) }
        if record.status == .ran && record.runs.computed == 0 && record.runs.replayed > 0 { record.status = .cached }
        return record
    }

    private func fail(_ record: inout CellRecord, _ text: String, code: Int32, writes: [String], number: Int) -> CellRecord {
        record.status = .failed
        record.error = text
        record.errorCode = code
        for w in writes { poisoned[w] = number }
        return record
    }

    // MARK: Routing outputs

    /// The session's observer: collects the current cell's outputs and
    /// forwards them, with progress and stop requests, to the notebook observer.
    final class Router: Observer {
        weak var runner: NotebookRunner?
        private var cell: Cell?
        private var collected: [Output] = []

        func begin(_ cell: Cell) {
            self.cell = cell
            collected = []
        }

        func finish() -> [Output] {
            defer { collected = []; cell = nil }
            return collected
        }

        func emit(_ output: Output) {
            collected.append(output)
            if let cell { runner?.observer?.output(output, cell: cell) }
        }

        func progress(_ p: RunProgress) {
            if let cell { runner?.observer?.progress(p, cell: cell) }
        }

        func shouldStop() -> Bool { runner?.observer?.shouldStop() ?? false }
    }
}
