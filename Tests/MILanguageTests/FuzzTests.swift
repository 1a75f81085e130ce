import Foundation
import XCTest
import MILanguage

/// Random and mutated programs through lex, parse and resolve (nothing
/// runs): none may crash or hang, and every rejection must be a positioned
/// diagnostic whose range lies within the input's lines.
///
/// Inputs come from a seeded stream (`Mutator`), so a failure reproduces:
///     MI_FUZZ_SEED=S MI_FUZZ_INDEX=N swift test --filter FuzzTests   prints input N
///     MI_FUZZ_COUNT=N                                              changes how many run (default 100000)
/// A crash prints the input's index from a signal handler (`CrashReporter`).
final class FuzzTests: XCTestCase {
    static let defaultSeed: UInt64 = 0x6D69_6C61_6E67   // "milang"
    /// Longest one input may take before the run counts as hung.
    static let hangLimit = 10.0
    /// Longest one input may take in a healthy run (a debug build).
    static let slowLimit = 1.0

    func testMutatedProgramsNeverCrashAndAlwaysGivePositionedErrors() throws {
        let env = ProcessInfo.processInfo.environment
        let seed = env["MI_FUZZ_SEED"].flatMap { UInt64($0) } ?? FuzzTests.defaultSeed
        let count = env["MI_FUZZ_COUNT"].flatMap { Int($0) } ?? 100_000
        let mutator = Mutator(corpus: try corpus())
        if let one = env["MI_FUZZ_INDEX"].flatMap({ Int($0) }) {
            let text = mutator.input(seed: seed, index: one)
            print("fuzz input #\(one) (seed \(seed)), as a Swift literal:\n\(text.debugDescription)")
            if let problem = FuzzTests.examine(text, firstLine: FuzzTests.firstLine(one)).problem { XCTFail(problem) }
            return
        }

        // Worker threads of their own: a hang can be detected from here, and
        // 4 MiB stacks show that nesting limits keep the recursion shallow.
        let workers = min(2, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let run = FuzzRun(workers: workers)
        CrashReporter.seed = seed
        CrashReporter.install()
        defer { CrashReporter.uninstall() }
        let started = Date()
        for w in 0..<workers {
            let thread = Thread {
                CrashReporter.useAlternateStack()
                CrashReporter.register(worker: w)
                let session = Session(observer: CollectingObserver())
                for i in stride(from: w, to: count, by: workers) {
                    let text = mutator.input(seed: seed, index: i)
                    run.begin(i, worker: w)
                    CrashReporter.begin(i, worker: w)
                    let (rejected, problem) = FuzzTests.examine(text, firstLine: FuzzTests.firstLine(i), session: session)
                    run.end(i, worker: w, rejected: rejected,
                            problem: problem.map { "input #\(i) (seed \(seed)): \($0)\ninput: \(text.debugDescription)" })
                }
                run.finish(worker: w)
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        while true {
            Thread.sleep(forTimeInterval: 0.05)
            let state = run.state
            if state.finished == workers { break }
            for (index, since) in state.running where Date().timeIntervalSince(since) > FuzzTests.hangLimit {
                let text = mutator.input(seed: seed, index: index)
                XCTFail("input #\(index) (seed \(seed)) has run for over \(FuzzTests.hangLimit) s: " + text.debugDescription)
                return   // the worker is abandoned; the process ends with the test run
            }
        }
        let state = run.state
        let elapsed = Date().timeIntervalSince(started)
        print("fuzz: \(count) inputs (seed \(seed)) in \(String(format: "%.1f", elapsed)) s, "
              + "\(state.rejected) rejected, slowest \(String(format: "%.1f", state.slowest * 1000)) ms (#\(state.slowestIndex))")
        for problem in state.problems.prefix(10) { XCTFail(problem) }
        if state.problems.count > 10 { XCTFail("... and \(state.problems.count - 10) more problems") }
        XCTAssertLessThan(state.slowest, FuzzTests.slowLimit,
                          "input #\(state.slowestIndex) took \(state.slowest) s: "
                          + mutator.input(seed: seed, index: state.slowestIndex).debugDescription)
        XCTAssertGreaterThan(state.rejected, count / 4, "suspiciously few inputs were rejected")
    }

    /// Some inputs are checked as cells that start further down a notebook.
    static func firstLine(_ index: Int) -> Int { index % 4 == 0 ? 1 + index % 37 : 1 }

    /// Checks `text`: whether it was rejected, and what is wrong with how, if anything.
    static func examine(_ text: String, firstLine: Int, session: Session = Session(observer: CollectingObserver()))
        -> (rejected: Bool, problem: String?) {
        let problem = problem(with: text, firstLine: firstLine, session: session)
        return (problem.rejected, problem.text)
    }

    private static func problem(with text: String, firstLine: Int, session: Session) -> (rejected: Bool, text: String?) {
        let source = SourceFile(name: "fuzz.mi", text: text, firstLine: firstLine)
        let (statements, _, diagnostics) = session.check(source)
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        let lastLine = firstLine + lines.count - 1
        var lengths = [Int?](repeating: nil, count: lines.count)
        func valid(_ at: SourceLocation) -> Bool {
            guard at.line >= firstLine, at.line <= lastLine else { return false }
            let i = at.line - firstLine
            if lengths[i] == nil { lengths[i] = lines[i].count }
            return at.column >= 1 && at.column <= lengths[i]! + 1
        }
        for (n, d) in diagnostics.enumerated() {
            guard let range = d.range else { return (true, "a diagnostic without a position: \(d.message)") }
            guard valid(range.start), valid(range.end), range.start <= range.end else {
                return (true, "a diagnostic outside the input (lines \(firstLine)...\(lastLine)) at "
                        + "\(range.start)-\(range.end): \(d.message)")
            }
            guard d.lineText != nil else { return (true, "a diagnostic without its line: \(d.message)") }
            // Rendering is the same code for every diagnostic: one per input is checked.
            guard n > 0 || d.description.hasPrefix("fuzz.mi:\(range.start.line):\(range.start.column): ") else {
                return (true, "a badly rendered diagnostic: \(d.description)")
            }
        }
        for s in statements where !(valid(s.range.start) && valid(s.range.end)) {
            return (!diagnostics.isEmpty, "a statement outside the input at \(s.range.start)-\(s.range.end)")
        }
        return (!diagnostics.isEmpty, nil)
    }

    private func corpus() throws -> [String] {
        var texts: [String] = []
        for folder in ["good", "bad"] {
            let dir = PackagePaths.golden.appendingPathComponent(folder)
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".mi") {
                texts.append(try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8))
            }
        }
        XCTAssertFalse(texts.isEmpty, "no golden programs to mutate")
        return texts
    }
}

/// Progress of the fuzz workers, read by the test's watchdog.
final class FuzzRun: @unchecked Sendable {
    struct State {
        /// Each worker's input in progress and when it began.
        var running: [(index: Int, since: Date)] = []
        var finished = 0
        var rejected = 0
        var slowest = 0.0
        var slowestIndex = 0
        var problems: [String] = []
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

    func end(_ i: Int, worker: Int, rejected: Bool, problem: String?) {
        lock.withLock {
            let took = current[worker].map { Date().timeIntervalSince($0.since) } ?? 0
            if took > _state.slowest { _state.slowest = took; _state.slowestIndex = i }
            current[worker] = nil
            if rejected { _state.rejected += 1 }
            if let problem { _state.problems.append(problem) }
        }
    }

    func finish(worker: Int) { lock.withLock { _state.finished += 1 } }
}
