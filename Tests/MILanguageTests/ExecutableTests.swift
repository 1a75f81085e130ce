import Foundation
import XCTest
import MILanguage

/// Every estimator with every critic in `Registry.standard`, run through the
/// `mi` executable as a user would:
///     mi --json -e 'estimate EST batch=16 data=gaussian(dim=4, mi=1) critic=CRITIC steps=5 hidden=[8]'
/// A valid combination exits 0 with a JSON result holding `final`; an
/// estimator that scores with the known density given a learned critic must
/// be refused before running (exit 65, "takes no critic").
///
/// The executable is the `mi` built beside this test bundle (`swift test`
/// builds it, in the same configuration); failing that, `.build/debug/mi` or
/// `.build/release/mi` under the package root. Run `swift build` first when
/// running the test binary by hand.
final class ExecutableTests: XCTestCase {
    /// Exit statuses of `mi` (see ExitStatus in the executable).
    static let ok: Int32 = 0, languageError: Int32 = 65

    func testEveryEstimatorWithEveryCriticThroughTheExecutable() throws {
        let mi = try ExecutableTests.executable()
        let registry = Registry.standard
        var runs: [(label: String, arguments: [String], invalid: Bool)] = []
        for estimator in registry.estimatorEntries {
            let spelling = try ExecutableTests.spelling(estimator.entry)
            for critic in registry.criticEntries {
                let statement = "estimate \(spelling) batch=16 data=gaussian(dim=4, mi=1) "
                    + "critic=\(try ExecutableTests.spelling(critic.entry)) steps=5 hidden=[8]"
                let invalid = estimator.usesKnownDensity && critic.entry.name != "optimal"
                runs.append(("\(estimator.entry.name) with \(critic.entry.name)", ["--json", "-e", statement], invalid))
            }
        }
        XCTAssertEqual(runs.count, registry.estimatorEntries.count * registry.criticEntries.count)
        let results = ProcessRunner.runAll(mi, runs.map(\.arguments), parallel: 2, timeout: 120)
        print("mi: \(runs.count) estimator x critic runs through \(mi.path), "
              + "\(runs.filter(\.invalid).count) refused as documented")
        for (run, result) in zip(runs, results) {
            let context = "\(run.label): mi \(run.arguments.joined(separator: " "))\nstatus \(result.status)\n"
                + "stdout: \(result.stdout)\nstderr: \(result.stderr)"
            if run.invalid {
                XCTAssertEqual(result.status, ExecutableTests.languageError, context)
                XCTAssertTrue(result.stderr.contains("takes no critic"), context)
                XCTAssertTrue(result.stdout.isEmpty, "nothing may run: \(context)")
                continue
            }
            XCTAssertEqual(result.status, ExecutableTests.ok, context)
            let lines = result.stdout.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "one JSON object expected: \(context)")
            guard let last = lines.last,
                  let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
                XCTFail("not a JSON object: \(context)")
                continue
            }
            XCTAssertNotNil(object["final"], "no final: \(context)")
            XCTAssertEqual(object["steps"] as? Int, 5, context)
            XCTAssertEqual(object["batch"] as? Int, 16, context)
        }
    }

    /// The exit statuses scripts rely on, one of each class.
    func testExitStatuses() throws {
        let mi = try ExecutableTests.executable()
        let cases: [(String, Int32)] = [
            ("print 1 + 1", 0),
            ("estimate nce bach=64", 65),
            ("print 1 / 0", 70),
            ("expect 1 > 2", 70),
            ("estimate nce critic=bilinear data=csv(\"/nonexistent/x.csv\", x=[0], y=[1])", 74),
        ]
        let results = ProcessRunner.runAll(mi, cases.map { ["-e", $0.0] }, parallel: 2, timeout: 60)
        for ((statement, status), result) in zip(cases, results) {
            XCTAssertEqual(result.status, status, "mi -e '\(statement)': \(result.stderr)")
        }
    }

    /// How an entry is written with its required arguments filled in:
    /// `nce`, `alpha(0.5)`.
    static func spelling(_ entry: Entry) throws -> String {
        let required = entry.parameters.filter(\.isRequired)
        if required.isEmpty { return entry.name }
        let values = try required.map { p -> String in
            let label = entry.parameters.firstIndex { $0.name == p.name }! < entry.positional ? "" : "\(p.name)="
            switch p.type {
            case .number: return label + "0.5"
            case .integer: return label + "1"
            default:
                XCTFail("no sample value for \(entry.name)'s required \(p.name) (\(p.type)); add one here")
                throw XCTSkip("no sample value for \(entry.name)")
            }
        }
        return "\(entry.name)(\(values.joined(separator: ", ")))"
    }

    /// The `mi` executable to test.
    static func executable() throws -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [beside.appendingPathComponent("mi")]
            + ["debug", "release"].map { PackagePaths.root.appendingPathComponent(".build/\($0)/mi") }
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) { return url }
        XCTFail("no mi executable at \(candidates.map(\.path)); run `swift build` first")
        throw XCTSkip("no mi executable")
    }
}

/// Runs a program several times, a few at once, collecting what each printed.
enum ProcessRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func runAll(_ executable: URL, _ argumentLists: [[String]], parallel: Int, timeout: TimeInterval) -> [Result] {
        let results = Locked([Result?](repeating: nil, count: argumentLists.count))
        DispatchQueue.concurrentPerform(iterations: parallel) { worker in
            for i in stride(from: worker, to: argumentLists.count, by: parallel) {
                let r = run(executable, argumentLists[i], timeout: timeout)
                results.update { $0[i] = r }
            }
        }
        return results.value.map { $0! }
    }

    static func run(_ executable: URL, _ arguments: [String], timeout: TimeInterval) -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return Result(status: -1, stdout: "", stderr: "could not start \(executable.path): \(error)")
        }
        let deadline = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
        // Read both pipes to the end before waiting, so neither can fill and block the child.
        let errData = Locked(Data())
        let errDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errData.update { $0 = err.fileHandleForReading.readDataToEndOfFile() }
            errDone.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        process.waitUntilExit()
        deadline.cancel()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

/// A value shared between threads behind a lock.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ value: T) { _value = value }
    var value: T { lock.withLock { _value } }
    func update(_ body: (inout T) -> Void) { lock.withLock { body(&_value) } }
}
