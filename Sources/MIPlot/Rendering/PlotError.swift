import Foundation

/// What went wrong drawing a figure.
public enum PlotError: Error, Equatable, CustomStringConvertible {
    /// The figure cannot be drawn (mismatched lengths, bad ranges...).
    case invalidFigure(String)
    /// The figure name cannot be used as a file name.
    case invalidName(String)
    /// No gnuplot executable: `searched` lists where we looked.
    case gnuplotNotFound(searched: String)
    /// gnuplot ran and failed.
    case gnuplotFailed(GnuplotFailure)
    /// gnuplot did not finish in time and was stopped.
    case timedOut(seconds: Double, stderr: String)
    /// gnuplot reported success but wrote nothing.
    case emptyOutput(path: String)
    /// Reading or writing a file failed.
    case io(String)

    /// How to install gnuplot on Debian or Ubuntu.
    public static let installHint = """
        Install it with `sudo apt-get install gnuplot-nox` (Debian/Ubuntu; the package \
        `libgnuplot-iostream-dev` also brings it in), or `bash scripts/setup.sh` in the mi \
        repository; or pass its path to ProcessGnuplotRunner(executable:).
        """

    public var description: String {
        switch self {
        case .invalidFigure(let message):
            return "invalid figure: \(message)"
        case .invalidName(let name):
            return "invalid figure name \"\(name)\": use letters, digits, '-', '_' and '.', not starting with '.'"
        case .gnuplotNotFound(let searched):
            return "gnuplot was not found (searched \(searched)). " + Self.installHint
        case .gnuplotFailed(let failure):
            return failure.description
        case .timedOut(let seconds, let stderr):
            let tail = stderr.isEmpty ? "" : "\n" + stderr
            return "gnuplot did not finish within \(seconds) s and was stopped" + tail
        case .emptyOutput(let path):
            return "gnuplot reported success but wrote nothing to \(path)"
        case .io(let message):
            return message
        }
    }
}

/// A failed gnuplot run: exit status, its error output, and the script line
/// at fault when gnuplot named one.
public struct GnuplotFailure: Sendable, Equatable, CustomStringConvertible {
    /// gnuplot's exit status (or the signal that ended it).
    public var status: Int32
    /// Everything gnuplot wrote to standard error.
    public var stderr: String
    /// The script being run (its file name).
    public var script: String
    /// The 1-based line gnuplot reported, if any.
    public var line: Int?
    /// The text of that line in the script.
    public var lineText: String?
    /// gnuplot's complaint, e.g. `all points y value undefined!`.
    public var message: String

    /// A failure record from gnuplot's exit status and stderr; the line at
    /// fault is looked up in `scriptText` (the script gnuplot ran).
    public init(status: Int32, stderr: String, script: String, scriptText: String) {
        self.status = status
        self.stderr = stderr
        self.script = script
        let found = Self.locate(stderr: stderr)
        self.line = found?.line
        self.message = found?.message
            ?? stderr.split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespaces) }
            ?? "no message"
        if let n = found?.line {
            let lines = scriptText.split(separator: "\n", omittingEmptySubsequences: false)
            self.lineText = n <= lines.count ? String(lines[n - 1]) : nil
        } else {
            self.lineText = nil
        }
    }

    public var description: String {
        var s = "gnuplot failed (exit status \(status)) running \(script)"
        if let line {
            s += " at line \(line)"
            if let lineText { s += ": \(lineText.trimmingCharacters(in: .whitespaces))" }
        }
        s += "\n" + message
        let trimmed = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { s += "\n--- gnuplot stderr ---\n" + trimmed }
        return s
    }

    /// The last error gnuplot located (`"name.gp" line 12: message` or
    /// `line 12: message`), skipping warnings.
    static func locate(stderr: String) -> (line: Int, message: String)? {
        var found: (Int, String)?
        for raw in stderr.split(separator: "\n") {
            var rest = raw[...]
            while let r = rest.range(of: "line ") {
                let after = rest[r.upperBound...]
                let digits = after.prefix { $0.isNumber }
                if !digits.isEmpty, after.dropFirst(digits.count).hasPrefix(":"), let n = Int(digits), n > 0 {
                    let message = after.dropFirst(digits.count + 1).trimmingCharacters(in: .whitespaces)
                    if !message.hasPrefix("warning:") { found = (n, message) }
                    break
                }
                rest = after
            }
        }
        return found
    }
}
