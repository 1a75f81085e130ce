import Foundation
import MILanguage

/// What became of one semantic fuzz case.
struct CaseOutcome: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        /// Resolved and ran to the end.
        case ran
        /// A positioned syntax or resolve error; nothing ran.
        case refused
        /// A run-time failure, an I/O error or a failed `expect`, with its position.
        case failed
        /// The observer stopped a long run (`RunCost.stepLimit` steps, or ten times the budget's time).
        case stopped
        /// Over the budget (yet within the machine's memory): resolved only.
        case heavy
    }
    var kind: Kind
    /// The error message.
    var detail: String? = nil
    /// What is wrong, if anything (a failure of the test).
    var problem: String? = nil
}

/// Resolves and runs fuzz cases, each in a fresh session.
struct CaseRunner: Sendable {
    let generator: ProgramGenerator
    let budget: RunCost

    func run(_ c: FuzzCase) -> CaseOutcome {
        let source = SourceFile(name: "fuzz.mi", text: c.text)
        // A case over the time budget is only resolved, unless it clearly would
        // not fit in memory (twice the machine by this model): then it runs, and
        // mi must refuse it before it allocates. Between the two, mi's own
        // estimate may rightly find that it fits, and the run would take long.
        let cost = RunCost.of(c, files: generator.files)
        let skip: CaseOutcome? = !cost.fits(budget) && cost.bytes < 2 * RunCost.machineMemory ? CaseOutcome(kind: .heavy) : nil
        // Training may take ten times its budget before it is stopped.
        let observer = FuzzObserver(stepLimit: RunCost.stepLimit, timeLimit: 10 * budget.work)
        let session = Session(observer: observer)
        session.environment.baseDirectory = generator.files.folder
        if var skip {
            let diagnostics = session.check(source).diagnostics
            skip.problem = positioned(diagnostics, in: c.text)
            return skip
        }
        do {
            try session.run(source)
            return CaseOutcome(kind: .ran, problem: observer.problem)
        } catch let d as Diagnostics {
            return CaseOutcome(kind: .refused, detail: d.items.first?.message, problem: positioned(d.items, in: c.text))
        } catch let d as Diagnostic {
            return CaseOutcome(kind: .failed, detail: d.message, problem: positioned([d], in: c.text) ?? observer.problem)
        } catch is Interpreter.Interrupted {
            return CaseOutcome(kind: .stopped, problem: observer.problem)
        } catch {
            return CaseOutcome(kind: .failed, detail: "\(error)",
                               problem: "an error that is no positioned diagnostic: \(type(of: error)): \(error)")
        }
    }

    /// What is wrong with how `diagnostics` point into `text`, if anything.
    func positioned(_ diagnostics: [Diagnostic], in text: String) -> String? {
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for d in diagnostics {
            guard let range = d.range, d.lineText != nil else { return "an error without a position: \(d.message)" }
            guard range.start.line >= 1, range.end.line <= lines.count, range.start <= range.end,
                  range.start.column >= 1, range.start.column <= lines[range.start.line - 1].count + 1 else {
                return "an error positioned outside the program (\(range.start)-\(range.end)): \(d.message)"
            }
            if d.message.isEmpty { return "an error without a message at \(range.start)" }
            for leak in ["Optional(", "Swift.", "MIEngine.", "MILanguage.", "Error(", "fatal", "<unknown>"]
                where d.message.contains(leak) {
                return "an error message that shows program internals (\(leak)): \(d.message)"
            }
        }
        return nil
    }
}

/// Stops runs after `stepLimit` steps or `timeLimit` seconds (as Ctrl-C
/// would: the case's outcome may then differ between machines, never
/// whether it crashes); renders every output as the terminal and the
/// notebook cache would (text, and JSON both ways).
final class FuzzObserver: Observer, @unchecked Sendable {
    let stepLimit: Int
    let deadline: Date
    private var steps = 0
    private(set) var problem: String? = nil

    init(stepLimit: Int, timeLimit: Double) {
        self.stepLimit = stepLimit
        deadline = Date(timeIntervalSinceNow: timeLimit)
    }

    func emit(_ output: Output) {
        _ = Format.text(output, timing: false)
        if problem == nil { problem = CacheCoding.roundTrip(output) }
    }

    func progress(_ p: RunProgress) { steps += 1 }
    func shouldStop() -> Bool { steps >= stepLimit || Date() > deadline }
}

/// The outcomes of a fuzz run so far, shared by its worker threads.
final class FuzzTally: @unchecked Sendable {
    struct State {
        var running: [(index: Int, since: Date)] = []
        var finished = 0
        var counts: [CaseOutcome.Kind: Int] = [:]
        var problems: [String] = []
        /// Registry names seen in cases that resolved.
        var covered: Set<String> = []
        var slowest = 0.0
        var slowestIndex = 0

        func summary(count: Int, seed: UInt64, start: Int, elapsed: Double) -> String {
            let kinds = CaseOutcome.Kind.allCases.map { "\(counts[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", ")
            return "semantic fuzz: \(count) cases from #\(start) (seed \(seed)) in \(String(format: "%.1f", elapsed)) s: "
                + kinds + "; \(problems.count) problems; slowest \(String(format: "%.0f", slowest * 1000)) ms (#\(slowestIndex))"
        }
    }

    private let lock = NSLock()
    private var _state = State()
    private var current: [(index: Int, since: Date)?]

    init(workers: Int) { current = Array(repeating: nil, count: workers) }

    var state: State {
        lock.withLock {
            var s = _state
            s.running = current.compactMap { $0 }
            return s
        }
    }

    func begin(_ i: Int, worker: Int) { lock.withLock { current[worker] = (i, Date()) } }

    func end(worker: Int, case c: FuzzCase, outcome: CaseOutcome, seed: UInt64) {
        let words = outcome.kind == .refused ? [] : Set(c.text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
        lock.withLock {
            let took = current[worker].map { Date().timeIntervalSince($0.since) } ?? 0
            if took > _state.slowest { _state.slowest = took; _state.slowestIndex = c.index }
            current[worker] = nil
            _state.counts[outcome.kind, default: 0] += 1
            _state.covered.formUnion(words)
            if let problem = outcome.problem {
                _state.problems.append("case #\(c.index) (seed \(seed)): \(problem)\n\(c.text)")
            }
        }
    }

    func finish() { lock.withLock { _state.finished += 1 } }
}

/// JSON coding of outputs as the notebook cache codes the values it keeps
/// (MINotebook's `RunStore`: non-finite numbers as strings).
enum CacheCoding {
    /// What went wrong encoding and decoding `output`, if anything (outputs
    /// the cache does not store, such as a printed data source, are skipped).
    static func roundTrip(_ output: Output) -> String? {
        guard output.isStorable else { return nil }
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            _ = try decoder.decode(Output.self, from: try encoder.encode(output))
            return nil
        } catch EncodingError.invalidValue(_, let context) where context.debugDescription == "data sources are not stored" {
            // A table of a sweep over data sources: `isStorable` says yes, the
            // encoder says no, and the cache skips the cell (`try? cache.store`).
            return nil
        } catch {
            return "an output did not round-trip through the cache's JSON: \(error)"
        }
    }
}
