import ArgumentParser
import MILanguage

/// Exit codes (after BSD sysexits): what a script calling `mi` can rely on.
enum ExitStatus {
    static let ok: Int32 = 0
    /// A command line that cannot be used: a bad `-p` (EX_USAGE, as for
    /// the argument parser's own errors).
    static let usage: Int32 = 64
    /// A language error: bad syntax, unknown names, wrong types (EX_DATAERR).
    static let language: Int32 = 65
    /// A failure while running, including a failed `expect` (EX_SOFTWARE).
    static let runtime: Int32 = 70
    /// A file could not be read or written (EX_IOERR).
    static let inputOutput: Int32 = 74
    /// Stopped by Ctrl-C (128 + SIGINT, as shells report it).
    static let interrupted: Int32 = 130

    /// The exit code for an error thrown by a session.
    static func code(for error: Error) -> Int32 {
        switch error {
        case is Diagnostics: return language
        case let d as Diagnostic:
            switch d.kind {
            case .syntax, .resolve: return language
            case .inputOutput: return inputOutput
            case .runtime, .expectation: return runtime
            }
        case is Interpreter.Interrupted: return interrupted
        default: return runtime
        }
    }
}
