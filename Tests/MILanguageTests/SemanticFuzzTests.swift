import Foundation
import XCTest
import MILanguage
#if canImport(Glibc)
import Glibc
#endif

/// Random programs written from the registry (`ProgramGenerator`) through
/// resolve and a short run. A crash fails (the signal handler names the
/// case), and so does an error that is not a positioned diagnostic; a
/// resolve error, a run-time failure with its message, a failed `expect`
/// and a run stopped at the step limit all pass.
///
///     MI_SFUZZ_SEED=S MI_SFUZZ_INDEX=N swift test --filter SemanticFuzzTests   prints case N and runs it
///     MI_SFUZZ_COUNT=N (default 4000), MI_SFUZZ_START=I                          which cases run
///     MI_SFUZZ_HEAVY=1                                                           the long run's larger budget
///     MI_SFUZZ_WORKERS=W, MI_SFUZZ_PROGRESS=FILE                                 threads; each writes its case there
///     MI_SFUZZ_VERBOSE=1 (=2)                                                    one line per case: its outcome (and its program)
///
/// `scripts/fuzz-long.sh` runs 100,000 cases in child processes and
/// survives crashes. A case over the time budget that fits in memory is
/// resolved but not run; one that clearly would not fit in memory (twice the
/// machine) runs, and mi must refuse it.
final class SemanticFuzzTests: XCTestCase {
    static let defaultSeed: UInt64 = 0x6D69_7365_6D61   // "misema"
    /// Longest one case may take before the run counts as hung: 60 s in
    /// CI (cases budgeted at 50 ms), 120 s in the long run (budgeted at 1 s,
    /// so a shared machine's slowdown alone does not reach it).
    static func hangLimit(heavy: Bool) -> Double { heavy ? 120 : 60 }
    /// Per-case budgets (as `RunCost` estimates them): CI keeps each case
    /// to 50 ms and 256 MiB, the long run allows a second and 2 GiB. A case
    /// drawn over budget is drawn again; the budget also picks the case,
    /// so a case number reproduces only with the same MI_SFUZZ_HEAVY.
    static let ciBudget = RunCost(bytes: 256 * 1_048_576, work: 0.05)
    static let heavyBudget = RunCost(bytes: 2048 * 1_048_576, work: 1)

    func testGeneratedProgramsRunWithoutCrashing() throws {
        let env = ProcessInfo.processInfo.environment
        let seed = env["MI_SFUZZ_SEED"].flatMap { UInt64($0) } ?? SemanticFuzzTests.defaultSeed
        let start = env["MI_SFUZZ_START"].flatMap { Int($0) } ?? 0
        let count = env["MI_SFUZZ_COUNT"].flatMap { Int($0) } ?? 4000
        let heavy = env["MI_SFUZZ_HEAVY"] == "1"
        let budget = heavy ? SemanticFuzzTests.heavyBudget : SemanticFuzzTests.ciBudget
        let files = try FuzzFiles.make()
        let one = env["MI_SFUZZ_INDEX"].flatMap { Int($0) }
        defer { if one == nil { files.remove() } }   // one case: its files stay, to rerun it with `mi`
        let generator = ProgramGenerator(files: files, budget: budget,
                                         fashionInstalled: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist"))
        let runner = CaseRunner(generator: generator, budget: budget)

        if let one {
            let c = generator.program(seed: seed, index: one)
            // Written unbuffered, so it shows even if the run crashes.
            let cost = RunCost.of(c, files: files)
            FileHandle.standardError.write(Data(("semantic fuzz case #\(one) (seed \(seed)), files in \(files.folder):\n\(c.text)\n"
                + "--- estimated \(Int(cost.bytes / 1_048_576)) MiB, \(cost.work) s (budget \(Int(budget.bytes / 1_048_576)) MiB, "
                + "\(budget.work) s)\n").utf8))
            let outcome = runner.run(c)
            print("outcome: \(outcome.kind)\(outcome.detail.map { ": \($0)" } ?? "")")
            if let problem = outcome.problem { XCTFail(problem) }
            return
        }

        let verbose = env["MI_SFUZZ_VERBOSE"] == "1" || env["MI_SFUZZ_VERBOSE"] == "2"
        let program = env["MI_SFUZZ_VERBOSE"] == "2"
        let workers = min(8, max(1, env["MI_SFUZZ_WORKERS"].flatMap { Int($0) } ?? 2))
        let progress = env["MI_SFUZZ_PROGRESS"].map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } ?? -1
        let tally = FuzzTally(workers: workers)
        CrashReporter.seed = seed
        CrashReporter.environmentPrefix = "MI_SFUZZ"
        CrashReporter.testName = "SemanticFuzzTests"
        CrashReporter.extraEnvironment = heavy ? " MI_SFUZZ_HEAVY=1" : ""
        CrashReporter.install()
        defer {
            CrashReporter.uninstall()
            CrashReporter.extraEnvironment = ""
            CrashReporter.environmentPrefix = "MI_FUZZ"
            CrashReporter.testName = "FuzzTests"
            if progress >= 0 { close(progress) }
        }
        let began = Date()
        for w in 0..<workers {
            let thread = Thread {
                CrashReporter.useAlternateStack()
                CrashReporter.register(worker: w)
                for i in stride(from: start + w, to: start + count, by: workers) {
                    let c = generator.program(seed: seed, index: i)
                    tally.begin(i, worker: w)
                    CrashReporter.begin(i, worker: w)
                    if progress >= 0 { SemanticFuzzTests.note(i, worker: w, in: progress) }
                    let outcome = runner.run(c)
                    CrashReporter.end(worker: w)
                    if verbose { print("#\(i) \(outcome.kind): \(outcome.detail ?? "")" + (program ? "\n" + c.text : "")) }
                    tally.end(worker: w, case: c, outcome: outcome, seed: seed)
                }
                tally.finish()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        while true {
            Thread.sleep(forTimeInterval: 0.05)
            let state = tally.state
            if state.finished == workers { break }
            let limit = SemanticFuzzTests.hangLimit(heavy: heavy)
            for (index, since) in state.running where Date().timeIntervalSince(since) > limit {
                // The hung worker cannot be stopped, and returning would let the
                // process exit under it (inside sgemm, a SIGSEGV that looks like
                // a crash of its own). Report and end the process here instead;
                // scripts/fuzz-long.sh reads this line and records a hang.
                let message = "semantic fuzz hang: case #\(index) (seed \(seed)) has run for over \(Int(limit)) s; "
                    + "print it with MI_SFUZZ_SEED=\(seed) MI_SFUZZ_INDEX=\(index)\(heavy ? " MI_SFUZZ_HEAVY=1" : "")\n"
                FileHandle.standardError.write(Data(message.utf8))
                FileHandle.standardOutput.write(Data(message.utf8))
                _exit(1)
            }
        }
        let state = tally.state
        let elapsed = Date().timeIntervalSince(began)
        print(state.summary(count: count, seed: seed, start: start, elapsed: elapsed))
        for problem in state.problems.prefix(10) { XCTFail(problem) }
        if state.problems.count > 10 { XCTFail("... and \(state.problems.count - 10) more problems") }
        // The long run's chunks are checked for crashes and problems only: a
        // chunk of 2,000 may miss a rare name (CI's 4,000 with the fixed seed must not).
        guard count >= 1000, !heavy else { return }
        // The generator must keep reaching every part of the language: each
        // kind of outcome, and every registry name in a case that resolved.
        XCTAssertGreaterThan(state.counts[.ran, default: 0], count / 10, "too few cases ran to the end")
        XCTAssertGreaterThan(state.counts[.refused, default: 0], count / 20, "too few cases were refused")
        XCTAssertGreaterThan(state.counts[.failed, default: 0], count / 20, "too few cases failed at run time")
        let missing = generator.registryNames.filter { !state.covered.contains($0) }
            .filter { $0 != "fashion_mnist" || generator.fashionInstalled }
        XCTAssertEqual(missing, [], "never in a case that resolved")
    }

    /// Writes `index` into worker `worker`'s slot of the progress file (a
    /// crash that no handler sees, such as SIGKILL, still leaves its case).
    static func note(_ index: Int, worker: Int, in fd: Int32) {
        var text = Array(String(index).utf8)
        text += Array(repeating: UInt8(ascii: " "), count: max(0, 20 - text.count))
        text.append(UInt8(ascii: "\n"))
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(worker * 21)) }
    }
}
