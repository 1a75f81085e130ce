/// Turns source text into tokens (the scanner phase).
///
/// Statements end at a newline, except inside brackets or after a trailing
/// backslash. `#` starts a comment that runs to the end of the line.
/// Errors do not stop the scan: each becomes a diagnostic and the lexer
/// carries on, so one pass reports every bad character.
public struct Lexer {
    private let source: SourceFile
    private let chars: [Character]
    private var index = 0
    private var line: Int
    private var column = 1
    private var depth = 0
    /// The source's lines, split on the first error.
    private var lines: [String]? = nil
    public private(set) var tokens: [Token] = []
    public private(set) var diagnostics: [Diagnostic] = []

    public init(_ source: SourceFile) {
        self.source = source
        self.chars = Array(source.text)
        self.line = source.firstLine
    }

    /// Scans the whole source.
    public static func scan(_ source: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(source)
        lexer.run()
        return (lexer.tokens, lexer.diagnostics)
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column) }
    private var atEnd: Bool { index >= chars.count }
    private func peek(_ ahead: Int = 0) -> Character? {
        index + ahead < chars.count ? chars[index + ahead] : nil
    }

    @discardableResult
    private mutating func advance() -> Character {
        let c = chars[index]
        index += 1
        if c.isLineBreak {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return c
    }

    private mutating func run() {
        while !atEnd {
            let start = location, startIndex = index
            let c = advance()
            switch c {
            case " ", "\t", "\r":
                continue
            case "#":
                while let n = peek(), !n.isLineBreak { advance() }
            case "\\":
                // A backslash at the end of a line joins it to the next.
                var probe = index
                while probe < chars.count, chars[probe] == " " || chars[probe] == "\t" || chars[probe] == "\r" { probe += 1 }
                if probe < chars.count, !chars[probe].isLineBreak {
                    error("unexpected '\\'; a backslash continues a statement only at the end of a line", start)
                } else {
                    while index < probe { advance() }
                    if !atEnd { advance() }
                }
            case "\n", "\r\n":
                if depth == 0 { add(.newline, start, startIndex) }
            case "(", "[":
                depth += 1
                add(.symbol(c == "(" ? .leftParen : .leftBracket), start, startIndex)
            case ")", "]":
                depth = max(0, depth - 1)
                add(.symbol(c == ")" ? .rightParen : .rightBracket), start, startIndex)
            case "\"":
                string(start, startIndex)
            default:
                if c.isNumber || (c == "." && (peek()?.isNumber ?? false)) {
                    number(start, startIndex)
                } else if c.isLetter || c == "_" {
                    while let n = peek(), n.isLetter || n.isNumber || n == "_" { advance() }
                    let word = String(chars[startIndex..<index])
                    add(Keyword(rawValue: word).map(TokenKind.keyword) ?? .identifier(word), start, startIndex)
                } else if let symbol = operatorSymbol(c) {
                    add(.symbol(symbol), start, startIndex)
                } else {
                    error("unexpected character '\(c)'", start)
                }
            }
        }
        // Unclosed brackets are reported by the parser, which knows which one.
        let here = location
        if tokens.last.map({ $0.kind != .newline }) ?? false { tokens.append(Token(.newline, SourceRange(here, here), "")) }
        tokens.append(Token(.end, SourceRange(here, here), ""))
    }

    private mutating func operatorSymbol(_ c: Character) -> Symbol? {
        let next = peek()
        switch c {
        case ",": return .comma
        case "+": return .plus
        case "-": return .minus
        case "*": return .star
        case "/": return .slash
        case "%": return .percent
        case "^": return .caret
        case ".":
            if next == "." { advance(); return .dotDot }
            return .dot
        case "=":
            if next == "=" { advance(); return .equalEqual }
            return .equals
        case "<":
            if next == "=" { advance(); return .lessEqual }
            return .less
        case ">":
            if next == "=" { advance(); return .greaterEqual }
            return .greater
        case "!":
            if next == "=" { advance(); return .notEqual }
            return nil
        default:
            return nil
        }
    }

    private mutating func number(_ start: SourceLocation, _ startIndex: Int) {
        while let n = peek(), n.isNumber || n == "_" { advance() }
        // A fraction, unless this is the start of a range `2..10`.
        if peek() == ".", peek(1) != "." {
            advance()
            while let n = peek(), n.isNumber || n == "_" { advance() }
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            let digitAt = (sign == "+" || sign == "-") ? 2 : 1
            if peek(digitAt)?.isNumber ?? false {
                for _ in 0..<digitAt { advance() }
                while let n = peek(), n.isNumber { advance() }
            }
        }
        // Letters glued to a number (`12abc`, `1e`) make it malformed.
        var malformed = false
        while let n = peek(), n.isLetter || n.isNumber || n == "_" || n == "." && peek(1) != "." {
            malformed = true
            advance()
        }
        let text = String(chars[startIndex..<index])
        let digits = text.replacingOccurrences(of: "_", with: "")
        if !malformed, let v = Double(digits), v.isFinite {
            add(.number(v), start, startIndex)
        } else if !malformed, Double(digits) != nil {
            error("number '\(text)' is too large", start, end: location)
            add(.number(.nan), start, startIndex)
        } else {
            error("malformed number '\(text)'", start, end: location)
            add(.number(.nan), start, startIndex)
        }
    }

    private mutating func string(_ start: SourceLocation, _ startIndex: Int) {
        var value = ""
        while true {
            guard let c = peek(), !c.isLineBreak else {
                error("unterminated string; add a closing '\"'", start, end: location)
                add(.string(value), start, startIndex)
                return
            }
            advance()
            if c == "\"" { break }
            if c == "\\" {
                let escapeStart = location
                guard let e = peek(), !e.isLineBreak else { continue }
                advance()
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                default:
                    error("unknown escape '\\\(e)' in string; use \\n, \\t, \\\" or \\\\", escapeStart)
                }
            } else {
                value.append(c)
            }
        }
        add(.string(value), start, startIndex)
    }

    private mutating func add(_ kind: TokenKind, _ start: SourceLocation, _ startIndex: Int) {
        tokens.append(Token(kind, SourceRange(start, location), String(chars[startIndex..<index])))
    }

    private mutating func error(_ message: String, _ start: SourceLocation, end: SourceLocation? = nil) {
        let endLoc = end ?? SourceLocation(line: start.line, column: start.column + 1)
        if lines == nil { lines = source.lines }
        let index = start.line - source.firstLine
        let text = lines.flatMap { index >= 0 && index < $0.count ? $0[index] : nil }
        diagnostics.append(Diagnostic(.syntax, message, SourceRange(start, endLoc), file: source.name, lineText: text))
    }
}

extension Character {
    /// A line break the lexer counts: "\n", or "\r\n" (one Character in Swift).
    var isLineBreak: Bool { self == "\n" || self == "\r\n" }
}
