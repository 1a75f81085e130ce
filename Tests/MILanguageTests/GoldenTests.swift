import Foundation
import XCTest
import MILanguage

/// Golden programs: Tests/MILanguageTests/Golden/good/NAME.mi must run and
/// print NAME.out exactly; Golden/bad/NAME.mi must fail with NAME.err (the
/// outputs before the failure, the error text with file:line:col, the line
/// and a caret, and `-- exit N`). See `GoldenRunner` for how output is made
/// deterministic.
///
/// After an intended change of output, rewrite the expected files with
///     MI_UPDATE_GOLDEN=1 swift test --filter GoldenTests
/// and review the diff.
final class GoldenTests: XCTestCase {
    static let update = ProcessInfo.processInfo.environment["MI_UPDATE_GOLDEN"] == "1"

    func testGoodProgramsPrintTheirOutput() throws {
        let names = try programs(in: "good")
        XCTAssertGreaterThanOrEqual(names.count, 15, "too few good golden programs")
        for name in names { try check(name, in: "good", expected: "out") }
    }

    func testBadProgramsReportTheirErrors() throws {
        let names = try programs(in: "bad")
        XCTAssertGreaterThanOrEqual(names.count, 40, "too few bad golden programs")
        for name in names { try check(name, in: "bad", expected: "err") }
    }

    /// Every expected file belongs to a program, and every error names its
    /// file with a line and column.
    func testExpectedFilesMatchPrograms() throws {
        for (folder, ext) in [("good", "out"), ("bad", "err")] {
            let dir = PackagePaths.golden.appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            for file in files where file.hasSuffix("." + ext) {
                let program = String(file.dropLast(ext.count + 1)) + ".mi"
                XCTAssertTrue(files.contains(program), "\(folder)/\(file) has no program \(program)")
            }
            if folder == "bad" {
                for file in files where file.hasSuffix(".err") {
                    let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                    let stem = String(file.dropLast(4))
                    XCTAssertTrue(text.contains("\(stem).mi:"), "bad/\(file) does not name \(stem).mi:LINE:COL")
                }
            }
        }
    }

    // MARK: Helpers

    private func programs(in folder: String) throws -> [String] {
        let dir = PackagePaths.golden.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".mi") }.map { String($0.dropLast(3)) }.sorted()
    }

    private func check(_ name: String, in folder: String, expected ext: String) throws {
        let dir = PackagePaths.golden.appendingPathComponent(folder)
        let text = try String(contentsOf: dir.appendingPathComponent(name + ".mi"), encoding: .utf8)
        let transcript = GoldenRunner.run(name: name + ".mi", text: text, baseDirectory: PackagePaths.golden.path)
        let label = "\(folder)/\(name).mi"
        if folder == "good" {
            XCTAssertFalse(transcript.failed, "\(label) failed:\n\(transcript.text)")
        } else {
            XCTAssertTrue(transcript.failed, "\(label) ran without an error:\n\(transcript.text)")
        }
        if GoldenTests.update {
            let target = PackagePaths.goldenSource.appendingPathComponent("\(folder)/\(name).\(ext)")
            try transcript.text.write(to: target, atomically: true, encoding: .utf8)
            return
        }
        let expectedURL = dir.appendingPathComponent("\(name).\(ext)")
        guard let expected = try? String(contentsOf: expectedURL, encoding: .utf8) else {
            XCTFail("\(label): no \(name).\(ext); run MI_UPDATE_GOLDEN=1 swift test --filter GoldenTests\n"
                    + "actual:\n\(transcript.text)")
            return
        }
        if expected != transcript.text {
            XCTFail("\(label) differs from \(name).\(ext) \(firstDifference(expected, transcript.text))\n"
                    + "--- expected\n\(expected)--- actual\n\(transcript.text)---")
        }
    }

    private func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(x.count, y.count) where i >= x.count || i >= y.count || x[i] != y[i] {
            return "at line \(i + 1)"
        }
        return ""
    }
}
