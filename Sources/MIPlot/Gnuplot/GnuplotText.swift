import Foundation

/// Turning labels and numbers into gnuplot source text safely.
///
/// Labels are emitted as single-quoted strings: inside them gnuplot expands
/// nothing (double-quoted strings would run backquoted shell commands and
/// interpret backslash escapes). A single quote is written twice. Newlines,
/// which single quotes cannot hold, become a concatenation with `"\n"`:
/// `'first' . "\n" . 'second'`. Other control characters are dropped (tabs
/// become spaces). Every terminal is set `noenhanced`, so `_`, `^`, `@`, `{`
/// and `~` in labels print as themselves (`log_k` stays `log_k`).
public enum GnuplotText {
    /// `text` as a gnuplot string expression that evaluates to exactly the
    /// text (modulo dropped control characters).
    public static func quoted(_ text: String) -> String {
        let lines = clean(text, keepNewlines: true).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
            .joined(separator: " . \"\\n\" . ")
    }

    /// `text` made safe for a `#` comment line: one line, and no trailing
    /// backslash (which would continue the comment onto the next line).
    public static func comment(_ text: String) -> String {
        var s = clean(text, keepNewlines: false)
        while s.hasSuffix("\\") { s.removeLast() }
        return s
    }

    /// A number as gnuplot reads it: the shortest text that reads back as the
    /// same value (as a `Float` when the value is one, so traces recorded in
    /// single precision stay short). Non-finite values are `NaN`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "NaN" }
        if value == 0 { return "0" }
        let f = Float(value)
        var s = Double(f) == value ? f.description : value.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// `text` with control characters removed (tabs become spaces, CR LF and
    /// lone CR become LF when `keepNewlines`, otherwise spaces).
    static func clean(_ text: String, keepNewlines: Bool) -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for u in text.unicodeScalars {
            defer { previousCR = u == "\r" }
            switch u {
            case "\n":
                if previousCR { continue }
                out.append(keepNewlines ? "\n" : " ")
            case "\r":
                out.append(keepNewlines ? "\n" : " ")
            case "\t":
                out.append(" ")
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) { continue }
                out.append(u)
            }
        }
        return String(out)
    }
}
