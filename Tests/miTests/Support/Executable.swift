import Foundation

/// Where the built `mi` executable is, for tests that drive it.
///
/// Building it is the test runner's job: `swift test` builds `mi` first,
/// because this target depends on it. The executable is looked up, in order:
/// `$MI_EXECUTABLE`; next to the running test bundle (the build directory of
/// whatever configuration is being tested, e.g. `.build/debug` or
/// `.build/release`); `.build/debug/mi` under the package root, found by
/// walking up from this file.
enum Executable {
    static let mi: String? = locate()

    private static func locate() -> String? {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["MI_EXECUTABLE"], fm.isExecutableFile(atPath: explicit) {
            return explicit
        }
        if let bundle = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let sibling = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("mi").path
            if fm.isExecutableFile(atPath: sibling) { return sibling }
        }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if fm.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                let candidate = directory.appendingPathComponent(".build/debug/mi").path
                return fm.isExecutableFile(atPath: candidate) ? candidate : nil
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}

/// A temporary directory removed when the value is released.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mi-tests-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
        return path(name)
    }
}
