import Foundation
import MILanguage

/// Runs `.mi` programs in-process, as `mi -e` would, and renders what a
/// person would see: each output in human form, then the error (if any) and
/// the exit status `mi` would return.
///
/// Determinism: outputs are rendered with `Format.text(_, timing: false)`,
/// which leaves out wall-clock measurements (steps/s, the `steps_per_s` and
/// `time` columns); the session seed is 0; absolute paths under the
/// program's folder are shown as `<golden>`.
///
/// A program may start with `# with -p NAME=VALUE` lines: parameter
/// overrides, parsed the way `mi -p` parses them.
enum GoldenRunner {
    struct Transcript {
        var text: String
        /// Whether the program stopped with an error.
        var failed: Bool
    }

    static func run(name: String, text: String, baseDirectory: String) -> Transcript {
        let observer = CollectingObserver()
        let session = Session(observer: observer)
        session.environment.baseDirectory = baseDirectory
        session.environment.parameterOverrides = overrides(in: text)
        var failure: Error? = nil
        do {
            try session.run(SourceFile(name: name, text: text))
        } catch {
            failure = error
        }
        var lines = observer.outputs.map { Format.text($0, timing: false) }
        if let failure {
            lines.append(describe(failure))
            lines.append("-- exit \(exitStatus(failure))")
        }
        let joined = lines.joined(separator: "\n").replacingOccurrences(of: baseDirectory, with: "<golden>")
        return Transcript(text: joined.isEmpty ? "" : joined + "\n", failed: failure != nil)
    }

    /// The error text `mi` writes to standard error.
    static func describe(_ error: Error) -> String {
        switch error {
        case let d as Diagnostics: return d.description
        case let d as Diagnostic: return d.description
        case is Interpreter.Interrupted: return "interrupted"
        default: return "error: \(error)"
        }
    }

    /// The exit status `mi` returns for `error`; mirrors `ExitStatus.code(for:)`
    /// in the executable (65 language error, 70 runtime or failed expect,
    /// 74 I/O, 130 interrupted).
    static func exitStatus(_ error: Error) -> Int32 {
        switch error {
        case is Diagnostics: return 65
        case let d as Diagnostic:
            switch d.kind {
            case .syntax, .resolve: return 65
            case .inputOutput: return 74
            case .runtime, .expectation: return 70
            }
        case is Interpreter.Interrupted: return 130
        default: return 70
        }
    }

    /// `# with -p NAME=VALUE` header lines, values parsed as language
    /// literals (a number, boolean, string or list), else taken as text.
    static func overrides(in text: String) -> [String: Value] {
        var out: [String: Value] = [:]
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("# with -p ") else { continue }
            let item = line.dropFirst("# with -p ".count)
            guard let eq = item.firstIndex(of: "=") else { continue }
            let name = String(item[..<eq]), valueText = String(item[item.index(after: eq)...])
            let probe = Session(observer: CollectingObserver())
            if (try? probe.run(SourceFile(name: "-p", text: "__value = \(valueText)"))) != nil,
               let v = probe.environment.values["__value"] {
                out[name] = v
            } else {
                out[name] = .string(valueText)
            }
        }
        return out
    }
}


/// Paths of the package this test target belongs to, found from this
/// source file's location (Tests/MILanguageTests/Support/PackagePaths.swift).
enum PackagePaths {
    /// The package root: the folder holding Package.swift.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// Tests/MILanguageTests/Golden in the source tree (where
    /// MI_UPDATE_GOLDEN=1 writes expected files).
    static var goldenSource: URL { root.appendingPathComponent("Tests/MILanguageTests/Golden") }

    /// The golden programs as copied into the test bundle, or the source
    /// tree's folder when the bundle has none.
    static var golden: URL {
        Bundle.module.url(forResource: "Golden", withExtension: nil) ?? goldenSource
    }
}
