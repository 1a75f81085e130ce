import Foundation
import MIEngine
import MILanguage

/// Hooks for showing a notebook run as it happens.
public protocol NotebookObserver: AnyObject {
    func cellStarted(_ cell: Cell, number: Int, of total: Int, cached: Bool)
    func cellFinished(_ record: CellRecord)
    /// An output, as soon as a running cell produces it.
    func output(_ output: Output, cell: Cell)
    func progress(_ p: RunProgress, cell: Cell)
    /// Polled between training steps; true stops the notebook.
    func shouldStop() -> Bool
}

extension NotebookObserver {
    public func cellStarted(_ cell: Cell, number: Int, of total: Int, cached: Bool) {}
    public func cellFinished(_ record: CellRecord) {}
    public func output(_ output: Output, cell: Cell) {}
    public func progress(_ p: RunProgress, cell: Cell) {}
    public func shouldStop() -> Bool { false }
}

/// Runs a notebook's cells top to bottom in one session, replaying cells
/// whose meaning has not changed from the cache.
///
/// A cell's cache key covers its canonical code with what each name means,
/// the seed in force, the `-p` overrides of parameters it declares, the keys
/// of the values it reads (so changing a parameter reruns exactly the cells
/// that depend on it), the size and date of files it names, and the engine
/// and language versions. A failing cell does not stop the notebook: cells
/// that need a value it should have defined are skipped, the rest run.
public final class NotebookRunner {
    public let notebook: Notebook
    public let overrides: [String: Value]
    public let cache: CellCache?
    public weak var observer: NotebookObserver?

    private let router = Router()
    private lazy var session = Session(observer: router)
    /// The cache key of each variable's value: the key of the cell that defined it.
    private var valueKeys: [String: String] = [:]
    /// Variables a failed cell should have defined, with that cell's number.
    private var poisoned: [String: Int] = [:]

    /// Cells still run and refresh the cache when `refreshCache` is set (`--no-cache`).
    public let refreshCache: Bool

    public init(notebook: Notebook, overrides: [String: Value] = [:], cache: CellCache?, refreshCache: Bool = false,
                baseDirectory: String? = nil) {
        self.notebook = notebook
        self.overrides = overrides
        self.cache = cache
        self.refreshCache = refreshCache
        let base = baseDirectory ?? (notebook.path as NSString).deletingLastPathComponent
        session.environment.baseDirectory = base.isEmpty ? FileManager.default.currentDirectoryPath : base
        session.environment.parameterOverrides = overrides
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
        if !diagnostics.isEmpty {
            observer?.cellStarted(cell, number: number, of: total, cached: false)
            return fail(&record, Diagnostics(diagnostics).description, code: 65, writes: deps.writes, number: number)
        }
        record.key = key(for: cell, statements: statements, resolution: resolution, deps: deps, source: source)
        if cell.cacheable, !refreshCache, let entry = cache?.load(record.key) {
            observer?.cellStarted(cell, number: number, of: total, cached: true)
            restore(entry, writes: deps.writes, key: record.key)
            record.status = .cached
            record.outputs = entry.outputs
            record.seconds = entry.seconds
            return record
        }
        observer?.cellStarted(cell, number: number, of: total, cached: false)
        router.begin(cell)
        let started = Date()
        do {
            try session.run(statements, resolution: resolution, source: source)
        } catch is Interpreter.Interrupted {
            record.outputs = router.finish()
            record.seconds = Date().timeIntervalSince(started)
            record.status = .interrupted
            return record
        } catch let d as Diagnostic {
            record.outputs = router.finish()
            record.seconds = Date().timeIntervalSince(started)
            let code: Int32 = d.kind == .inputOutput ? 74 : (d.kind == .syntax || d.kind == .resolve ? 65 : 70)
            return fail(&record, d.description, code: code, writes: deps.writes, number: number)
        } catch {
            record.outputs = router.finish()
            record.seconds = Date().timeIntervalSince(started)
            return fail(&record, "\(error)", code: 70, writes: deps.writes, number: number)
        }
        record.outputs = router.finish()
        record.seconds = Date().timeIntervalSince(started)
        for w in deps.writes { valueKeys[w] = record.key }
        store(record, writes: deps.writes, seconds: record.seconds)
        return record
    }

    private func fail(_ record: inout CellRecord, _ text: String, code: Int32, writes: [String], number: Int) -> CellRecord {
        record.status = .failed
        record.error = text
        record.errorCode = code
        for w in writes { poisoned[w] = number }
        return record
    }

    // MARK: Cache

    private func key(for cell: Cell, statements: [Statement], resolution: Resolution, deps: Dependencies,
                     source: SourceFile) -> String {
        var k = CacheKey()
        k.add("engine", EngineVersion.current)
        k.add("language", LanguageVersion.current)
        k.add("code", CanonicalText.of(statements, resolution: resolution))
        k.add("seed", String(session.environment.seed))
        for s in statements {
            if case .param(let name, _, _) = s.kind {
                k.add("param " + name, overrides[name]?.shortDescription ?? "default")
            }
        }
        for name in deps.reads { k.add("read " + name, valueKeys[name] ?? "outside") }
        for path in referencedFiles(statements) { k.add("file " + path, fileStamp(path)) }
        return k.digest
    }

    /// Existing files named by string literals in the cell (csv and npy data).
    private func referencedFiles(_ statements: [Statement]) -> [String] {
        let base = session.environment.baseDirectory
        var found: [String] = []
        for s in statements {
            for literal in stringLiterals(s.text) {
                let path = literal.hasPrefix("/") ? literal : base + "/" + literal
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    found.append(path)
                }
            }
        }
        return found
    }

    private func stringLiterals(_ text: String) -> [String] {
        let (tokens, _) = Lexer.scan(SourceFile(name: "", text: text))
        return tokens.compactMap { if case .string(let s) = $0.kind { return s } else { return nil } }
    }

    private func fileStamp(_ path: String) -> String {
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size) \(date)"
    }

    private func store(_ record: CellRecord, writes: [String], seconds: Double) {
        guard record.cell.cacheable, let cache else { return }
        let env = session.environment
        var variables: [String: Value] = [:]
        for w in writes {
            guard let v = env.values[w], v.isStorable else { return }   // e.g. a data source: always rerun
            variables[w] = v
        }
        guard record.outputs.allSatisfy(\.isStorable) else { return }
        let params = env.parameters.filter { writes.contains($0.key) }
        let entry = CachedCell(outputs: record.outputs, variables: variables, parameters: params, seed: env.seed,
                               seconds: seconds)
        try? cache.store(entry, key: record.key)
    }

    private func restore(_ entry: CachedCell, writes: [String], key: String) {
        var env = session.environment
        for (name, value) in entry.variables {
            env.values[name] = value
            env.types[name] = value.type
        }
        for (name, value) in entry.parameters { env.parameters[name] = value }
        env.seed = entry.seed
        session.environment = env
        for w in writes { valueKeys[w] = key }
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
