import Foundation

/// The kinds of token the lexer produces.
public enum TokenKind: Equatable, Sendable {
    case identifier(String)
    case number(Double)
    case string(String)
    case keyword(Keyword)
    case symbol(Symbol)
    /// The end of a statement (a newline outside brackets).
    case newline
    case end

    /// A short description for "expected ..., found ..." messages.
    public var description: String {
        switch self {
        case .identifier(let s): return "'\(s)'"
        case .number(let v): return "number \(formatNumber(v))"
        case .string: return "a string"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .symbol(let s): return "'\(s.rawValue)'"
        case .newline: return "end of line"
        case .end: return "end of input"
        }
    }
}

/// Reserved words. Verbs start statements; the rest are operators and literals.
public enum Keyword: String, CaseIterable, Sendable {
    case `let`, param, seed, estimate, learn, analyze, plot, figure, table, expect, print, help
    case `true`, `false`, and, or, not, step

    /// Whether the keyword begins a statement (`estimate`, `print`, ...).
    public var startsStatement: Bool {
        switch self {
        case .let, .param, .seed, .estimate, .learn, .analyze, .plot, .figure, .table, .expect, .print, .help: return true
        case .true, .false, .and, .or, .not, .step: return false
        }
    }

    /// Whether the keyword begins a command (`VERB SUBJECT option=value ...`),
    /// which is also an expression giving a value.
    public var isCommand: Bool {
        switch self {
        case .estimate, .learn, .analyze, .plot, .figure: return true
        default: return false
        }
    }
}

/// Punctuation and operators.
public enum Symbol: String, CaseIterable, Sendable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case comma = ",", dot = ".", dotDot = "..", equals = "="
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", caret = "^"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case equalEqual = "==", notEqual = "!="
}

/// A token with the source range it came from.
public struct Token: Sendable, Equatable {
    public let kind: TokenKind
    public let range: SourceRange
    /// The exact source text (for error carets and completion).
    public let lexeme: String

    public init(_ kind: TokenKind, _ range: SourceRange, _ lexeme: String) {
        self.kind = kind
        self.range = range
        self.lexeme = lexeme
    }
}

/// Numbers as people write them: integers without a decimal point, others
/// with up to 6 significant digits.
public func formatNumber(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
    return String(format: "%.6g", v)
}
