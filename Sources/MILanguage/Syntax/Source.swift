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

    /// Every line of the text (without line breaks), first to last: what
    /// `lineText` gives for each line number.
    public var lines: [String] {
        var out: [String] = []
        let utf8 = text.utf8
        var start = utf8.startIndex, i = start
        while i != utf8.endIndex {
            if utf8[i] == 0x0A {
                var end = i
                if end > start, utf8[utf8.index(before: end)] == 0x0D { end = utf8.index(before: end) }
                out.append(String(decoding: utf8[start..<end], as: UTF8.self))
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        out.append(String(decoding: utf8[start...], as: UTF8.self))
        return out
    }

    /// The text of 1-based file line `line` (without its line break), if any.
    /// Lines end at "\n" or "\r\n", as the lexer counts them.
    public func lineText(_ line: Int) -> String? {
        let wanted = line - firstLine
        guard wanted >= 0 else { return nil }
        // Scans bytes rather than Characters: "\n" is always a break of its
        // own, and a diagnostic should not cost a grapheme walk of the file.
        let utf8 = text.utf8
        var current = 0, start = utf8.startIndex, i = start
        while i != utf8.endIndex {
            if utf8[i] == 0x0A {
                if current == wanted {
                    var end = i
                    if end > start, utf8[utf8.index(before: end)] == 0x0D { end = utf8.index(before: end) }
                    return String(decoding: utf8[start..<end], as: UTF8.self)
                }
                current += 1
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        return current == wanted ? String(decoding: utf8[start...], as: UTF8.self) : nil
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
