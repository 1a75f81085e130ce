/// A named piece of program text: a notebook cell, a `-e` argument, a REPL line.
public struct SourceFile: Sendable, Equatable {
    /// The name shown in diagnostics (`tour.mi`, `<command-line>`, `<repl>`).
    public let name: String
    public let text: String
    /// 1-based line of the text's first line in its file (cells start mid-notebook).
    public let firstLine: Int

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
    }

    /// The text of 1-based file line `line` (without its newline), if any.
    public func lineText(_ line: Int) -> String? {
        let index = line - firstLine
        guard index >= 0 else { return nil }
        // "\r\n" is one Character in Swift, so it is named as a separator too.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        return index < lines.count ? String(lines[index]) : nil
    }
}

/// A position in a source file: 1-based line and column (in characters).
public struct SourceLocation: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A span of source text from `start` up to (not including) `end`.
public struct SourceRange: Sendable, Equatable {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(_ start: SourceLocation, _ end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}
