/// The syntax tree: what the user wrote, with source ranges. Each expression
/// has an id, which the resolver uses to record what names mean.
public struct Expr: Sendable, Equatable {
    public let id: Int
    public let kind: ExprKind
    public let range: SourceRange

    /// The expressions directly inside this one, in source order.
    public var children: [Expr] {
        switch kind {
        case .number, .string, .bool, .identifier: return []
        case .list(let items): return items
        case .range(let start, let end, let step): return [start, end] + (step.map { [$0] } ?? [])
        case .unary(_, let operand): return [operand]
        case .binary(_, let l, let r): return [l, r]
        case .call(_, _, let arguments): return arguments.map(\.value)
        case .field(let subject, _, _): return [subject]
        case .index(let subject, let index): return [subject, index]
        case .command(let c): return (c.subject.map { [$0] } ?? []) + c.options.compactMap(\.value)
        }
    }
}

public indirect enum ExprKind: Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case identifier(String)
    case list([Expr])
    /// `start..end` or `start..end step s` (inclusive).
    case range(start: Expr, end: Expr, step: Expr?)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `name(args)`: a function, or a constructor such as `gaussian(dim=20)`.
    case call(name: String, nameRange: SourceRange, arguments: [Argument])
    case field(Expr, name: String, nameRange: SourceRange)
    case index(Expr, Expr)
    /// `estimate ...` used as a value (`r = estimate nce`).
    case command(Command)
}

public enum UnaryOperator: String, Sendable { case negate = "-", not }

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", power = "^"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case and, or

    public var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return true
        default: return false
        }
    }
}

/// A call argument, positional or `name=value`.
public struct Argument: Sendable, Equatable {
    public let label: String?
    public let labelRange: SourceRange?
    public let value: Expr
}

/// A command option: `key=value`, or a bare word such as `truth` in `plot r truth`.
public struct CommandOption: Sendable, Equatable {
    public let name: String
    public let nameRange: SourceRange
    public let value: Expr?
}

/// `estimate`, `plot` or `figure` with its subject and options.
public struct Command: Sendable, Equatable {
    public let verb: Keyword
    public let verbRange: SourceRange
    public let subject: Expr?
    public let options: [CommandOption]
    public let range: SourceRange
}

/// One statement.
public struct Statement: Sendable, Equatable {
    public let kind: StatementKind
    public let range: SourceRange
    /// The statement's source text (display, step mode, cache keys).
    public let text: String
}

public enum StatementKind: Sendable, Equatable {
    /// `let x = e` (`isLet`) or `x = e`.
    case assign(name: String, nameRange: SourceRange, value: Expr, isLet: Bool)
    /// `param name = e`: a notebook parameter that `-p name=value` overrides.
    case param(name: String, nameRange: SourceRange, value: Expr)
    case seed(Expr)
    case expect(Expr)
    case print([Expr])
    case table(Expr)
    case help(topic: String?, topicRange: SourceRange?)
    case command(Command)
    case expression(Expr)
}
