import Foundation
import Testing

/// Golden files: expected outputs checked in under `Tests/MIPlotTests/Golden/`.
///
/// After an intended change to the generated scripts or tables, rewrite them
/// with
///
///     MI_UPDATE_GOLDEN=1 swift test --filter GoldenTests
///
/// and review the diff (`git diff Tests/MIPlotTests/Golden`) before committing.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden", isDirectory: true)

    static var updating: Bool { ProcessInfo.processInfo.environment["MI_UPDATE_GOLDEN"] == "1" }

    static func url(_ file: String) -> URL { directory.appendingPathComponent(file) }

    /// Compares `actual` with the golden file `file` (or rewrites it when
    /// `MI_UPDATE_GOLDEN=1`), recording a failure that shows the first
    /// differing line.
    static func check(_ actual: String, file: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let target = url(file)
        if updating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: target)
            return
        }
        guard let expected = try? String(contentsOf: target, encoding: .utf8) else {
            Issue.record("missing golden file \(target.path); create it with MI_UPDATE_GOLDEN=1 swift test --filter GoldenTests",
                         sourceLocation: sourceLocation)
            return
        }
        if actual == expected { return }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        let got = line < a.count ? String(a[line]) : "<end of output>"
        let want = line < e.count ? String(e[line]) : "<end of file>"
        Issue.record("""
            \(file) differs from the golden file at line \(line + 1):
              expected: \(want)
              actual:   \(got)
            If the change is intended: MI_UPDATE_GOLDEN=1 swift test --filter GoldenTests
            """, sourceLocation: sourceLocation)
    }
}
