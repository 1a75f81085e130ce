/// A problem found in a program, with where it is and how to fix it.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Bad characters, numbers, strings or grammar.
        case syntax
        /// Unknown names, options or fields; wrong types or arity.
        case resolve
        /// Failures while running: division by zero, non-finite results, bad files.
        case runtime
        /// An `expect` that did not hold.
        case expectation
        /// A file could not be read or written.
        case inputOutput
    }

    public let kind: Kind
    public let message: String
    public let range: SourceRange?
    /// The file name and the offending line's text, captured for rendering.
    public let file: String
    public let lineText: String?
    /// A hint such as "did you mean 'batch'?" (already part of `message` when
    /// it came from a nearest-name search; kept for tools).
    public let suggestion: String?

    public init(_ kind: Kind, _ message: String, _ range: SourceRange?, in source: SourceFile?,
                suggestion: String? = nil) {
        self.kind = kind
        self.range = range
        self.file = source?.name ?? "<input>"
        self.lineText = range.flatMap { source?.lineText($0.start.line) }
        self.suggestion = suggestion
        self.message = suggestion.map { "\(message); did you mean '\($0)'?" } ?? message
    }

    /// A diagnostic whose line text the caller already has (the lexer keeps
    /// the lines, rather than searching the source for each bad character).
    public init(_ kind: Kind, _ message: String, _ range: SourceRange, file: String, lineText: String?,
                suggestion: String? = nil) {
        self.kind = kind
        self.range = range
        self.file = file
        self.lineText = lineText
        self.suggestion = suggestion
        self.message = suggestion.map { "\(message); did you mean '\($0)'?" } ?? message
    }

    /// `file:line:col: error: message`, then the line and a caret under the
    /// offending text.
    public var description: String {
        var head = file
        if let range { head += ":\(range.start.line):\(range.start.column)" }
        var out = "\(head): \(label): \(message)"
        if let range, let lineText {
            let expanded = lineText.replacingTabs()
            out += "\n  " + expanded
            let startCol = max(1, range.start.column)
            let width = range.end.line == range.start.line ? max(1, range.end.column - range.start.column) : 1
            out += "\n  " + String(repeating: " ", count: startCol - 1) + "^" + String(repeating: "~", count: width - 1)
        }
        return out
    }

    private var label: String {
        switch kind {
        case .expectation: return "expectation failed"
        default: return "error"
        }
    }
}

/// Several diagnostics from one piece of source (a cell reports all of its errors).
public struct Diagnostics: Error, Sendable, CustomStringConvertible {
    public let items: [Diagnostic]
    public init(_ items: [Diagnostic]) { self.items = items }
    public var description: String { items.map(\.description).joined(separator: "\n") }
}

extension String {
    /// Tabs as single spaces, so caret columns line up with character columns.
    fileprivate func replacingTabs() -> String {
        var bytes = Array(utf8), changed = false
        for i in bytes.indices where bytes[i] == 9 {
            bytes[i] = 32
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : self
    }
}

