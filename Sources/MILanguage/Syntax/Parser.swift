/// Builds statements from tokens (recursive descent, one function per
/// precedence level, as in Crafting Interpreters' jlox).
///
/// Precedence, loosest first: `or`, `and`, `not`, comparisons (not
/// chained), ranges `a..b step c`, `+ -`, `* / %`, unary `-`, `^` (right
/// associative), then calls, fields and indexing. A statement with an error
/// is skipped to its end so that one pass reports the errors of every
/// statement. Nesting is bounded, so no input can exhaust the stack of the
/// parser, the resolver or the interpreter: `maxDepth` counts every
/// construct the parser enters recursively (brackets, calls, prefix
/// operators, the right operand of `^`), `maxHeight` the levels of the tree
/// that loops build (`1+1+...`, `a.b.c...`, `x[0][0]...`).
public struct Parser {
    /// Most brackets and operators open at once (each is one recursive descent).
    public static let maxDepth = 64
    /// Tallest expression tree (`1+1+...` with this many terms).
    public static let maxHeight = 128

    private let source: SourceFile
    private let tokens: [Token]
    private var current = 0
    private var nextID = 0
    private var depth = 0
    private var heights: [Int: Int] = [:]
    /// The source's lines, split once (statement texts are cut from them).
    private let lines: [String]
    public private(set) var diagnostics: [Diagnostic] = []

    public init(tokens: [Token], source: SourceFile) {
        self.tokens = tokens
        self.source = source
        self.lines = source.lines
    }

    /// Lexes and parses a whole source; statements come back even when some
    /// failed (those are left out and reported).
    public static func parse(_ source: SourceFile) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        let (tokens, lexErrors) = Lexer.scan(source)
        var parser = Parser(tokens: tokens, source: source)
        let statements = parser.parseProgram()
        // A bad character, number or string also upsets the grammar after it
        // (`print £` would add "expected an expression"): report only the cause.
        let parseErrors = parser.diagnostics.filter { d in
            guard let at = d.range?.start else { return true }
            return !lexErrors.contains { l in
                guard let cause = l.range?.start else { return false }
                return cause.line == at.line && cause <= at
            }
        }
        return (statements, lexErrors + parseErrors)
    }

    struct Failure: Error {}

    public mutating func parseProgram() -> [Statement] {
        var statements: [Statement] = []
        while !isAtEnd {
            if match(.newline) { continue }
            do {
                statements.append(try statement())
            } catch {
                synchronize()
            }
        }
        return statements
    }

    // MARK: Statements

    private mutating func statement() throws -> Statement {
        let start = peek.range.start
        let kind: StatementKind
        switch peek.kind {
        case .keyword(let k) where peekNext?.kind == .symbol(.equals):
            // `seed = 3`, `step = 2`: a reserved word where a name is being bound.
            throw error("'\(k.rawValue)' is a reserved word and cannot be used as a name", peek.range)
        case .keyword(.let):
            advance()
            let (name, range) = try identifier("a variable name after 'let'")
            try consume(.symbol(.equals), "'=' after the variable name")
            kind = .assign(name: name, nameRange: range, value: try expression(), isLet: true)
        case .keyword(.param):
            advance()
            let (name, range) = try identifier("a parameter name after 'param'")
            try consume(.symbol(.equals), "'=' after the parameter name")
            kind = .param(name: name, nameRange: range, value: try expression())
        case .keyword(.seed):
            advance()
            kind = .seed(try expression())
        case .keyword(.expect):
            advance()
            kind = .expect(try expression())
        case .keyword(.print):
            advance()
            var items = [try expression()]
            while match(.symbol(.comma)) { items.append(try expression()) }
            kind = .print(items)
        case .keyword(.table):
            advance()
            kind = .table(try expression())
        case .keyword(.help):
            advance()
            switch peek.kind {
            case .identifier(let s): kind = .help(topic: s, topicRange: advance().range)
            case .keyword(let k): kind = .help(topic: k.rawValue, topicRange: advance().range)
            case .string(let s): kind = .help(topic: s, topicRange: advance().range)
            default: kind = .help(topic: nil, topicRange: nil)
            }
        case .keyword(let k) where k.isCommand:
            kind = .command(try command())
        case .identifier(let name) where peekNext?.kind == .symbol(.equals):
            let range = advance().range
            advance()
            kind = .assign(name: name, nameRange: range, value: try expression(), isLet: false)
        default:
            let e = try expression()
            if case .identifier(let word) = e.kind, !check(.newline), !isAtEnd {
                // `estimat nce`, `frobnicate 3`: a word followed by more words is a misspelt verb.
                let verbs = Keyword.allCases.filter(\.startsStatement).map(\.rawValue)
                let suggestion = Suggestions.nearest(word, in: verbs)
                throw error("unknown statement '\(word)'" + (suggestion == nil ? "; see `help statements`" : ""),
                            e.range, suggestion: suggestion)
            }
            kind = .expression(e)
        }
        let end = previous.range.end
        guard check(.newline) || isAtEnd else {
            if check(.symbol(.equals)), case .expression = kind {
                throw error("only a name can be assigned to (NAME = VALUE); lists and results cannot be "
                            + "changed in place", peek.range)
            }
            throw error("expected the end of the statement, found \(peek.kind.description)", peek.range)
        }
        let range = SourceRange(start, end)
        return Statement(kind: kind, range: range, text: text(of: range))
    }

    /// `estimate SUBJECT key=value ...`, `learn SUBJECT ...`, `analyze SUBJECT ...`, `plot SUBJECT ...`, `figure SUBJECT ...`.
    private mutating func command() throws -> Command {
        let verbToken = advance()
        guard case .keyword(let verb) = verbToken.kind else { throw Failure() }
        guard !check(.newline), !isAtEnd else {
            throw error("'\(verb.rawValue)' needs a subject, e.g. \(example(verb))", verbToken.range)
        }
        // `analyze of=best_alpha ...` studies the alpha grid and names no estimator.
        let subjectless = verb == .analyze && optionName() != nil && peekNext?.kind == .symbol(.equals)
        let subject = subjectless ? nil : try expression()
        var options: [CommandOption] = []
        while let name = optionName() {
            let nameRange = advance().range
            var value: Expr? = nil
            if match(.symbol(.equals)) {
                guard !check(.newline), !isAtEnd else {
                    throw error("expected a value after '\(name)='", previous.range)
                }
                value = try expression()
            }
            options.append(CommandOption(name: name, nameRange: nameRange, value: value))
        }
        if !check(.newline), !isAtEnd, !check(.symbol(.rightParen)), !check(.symbol(.rightBracket)),
           !check(.symbol(.comma)) {
            throw error("expected an option such as 'name=value', found \(peek.kind.description)", peek.range)
        }
        return Command(verb: verb, verbRange: verbToken.range, subject: subject, options: options,
                       range: SourceRange(verbToken.range.start, previous.range.end))
    }

    /// The name of the option starting here: a word, or a keyword followed
    /// by `=` (`seed=3`).
    private func optionName() -> String? {
        switch peek.kind {
        case .identifier(let name): return name
        case .keyword(let k) where peekNext?.kind == .symbol(.equals): return k.rawValue
        default: return nil
        }
    }

    private func example(_ verb: Keyword) -> String {
        switch verb {
        case .estimate: return "'estimate nce batch=64'"
        case .learn: return "'learn nce data=halves() encoder=mlp'"
        case .analyze: return "'analyze [nwj, nce] mi=[2, 6] batch=[64, 128]'"
        case .plot: return "'plot r truth'"
        default: return "'figure [p1, p2] cols=2'"
        }
    }

    // MARK: Expressions

    private mutating func expression() throws -> Expr {
        try enter()
        defer { depth -= 1 }
        return try or()
    }

    /// Counts one level of nesting; too many is an error rather than a stack overflow.
    private mutating func enter() throws {
        depth += 1
        if depth > Parser.maxDepth {
            throw error("too many nested brackets or operators (the limit is \(Parser.maxDepth)); split the expression with 'let'",
                        peek.range)
        }
    }

    private mutating func or() throws -> Expr {
        var left = try and()
        while match(.keyword(.or)) { left = try make(.binary(.or, left, try and()), left.range.start) }
        return left
    }

    private mutating func and() throws -> Expr {
        var left = try not()
        while match(.keyword(.and)) { left = try make(.binary(.and, left, try not()), left.range.start) }
        return left
    }

    private mutating func not() throws -> Expr {
        if check(.keyword(.not)) {
            try enter()
            defer { depth -= 1 }
            let start = advance().range.start
            return try make(.unary(.not, try not()), start)
        }
        return try comparison()
    }

    private mutating func comparison() throws -> Expr {
        let left = try range()
        guard let op = comparisonOperator() else { return left }
        advance()
        let right = try range()
        if let again = comparisonOperator() {
            throw error("comparisons cannot be chained; write 'a \(op.rawValue) b and b \(again.rawValue) c'", peek.range)
        }
        return try make(.binary(op, left, right), left.range.start)
    }

    private func comparisonOperator() -> BinaryOperator? {
        guard case .symbol(let s) = peek.kind else { return nil }
        switch s {
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .equalEqual: return .equal
        case .notEqual: return .notEqual
        default: return nil
        }
    }

    private mutating func range() throws -> Expr {
        let start = try additive()
        guard match(.symbol(.dotDot)) else { return start }
        let end = try additive()
        var step: Expr? = nil
        if match(.keyword(.step)) { step = try additive() }
        return try make(.range(start: start, end: end, step: step), start.range.start)
    }

    private mutating func additive() throws -> Expr {
        var left = try multiplicative()
        while true {
            if match(.symbol(.plus)) { left = try make(.binary(.add, left, try multiplicative()), left.range.start) }
            else if match(.symbol(.minus)) { left = try make(.binary(.subtract, left, try multiplicative()), left.range.start) }
            else { return left }
        }
    }

    private mutating func multiplicative() throws -> Expr {
        var left = try unary()
        while true {
            let op: BinaryOperator
            if match(.symbol(.star)) { op = .multiply }
            else if match(.symbol(.slash)) { op = .divide }
            else if match(.symbol(.percent)) { op = .remainder }
            else { return left }
            left = try make(.binary(op, left, try unary()), left.range.start)
        }
    }

    private mutating func unary() throws -> Expr {
        if check(.symbol(.minus)) {
            try enter()
            defer { depth -= 1 }
            let start = advance().range.start
            return try make(.unary(.negate, try unary()), start)
        }
        return try power()
    }

    private mutating func power() throws -> Expr {
        let base = try postfix()
        guard match(.symbol(.caret)) else { return base }
        // Right associative: `1^1^1...` descends once per caret, so each counts as a level of nesting.
        try enter()
        defer { depth -= 1 }
        return try make(.binary(.power, base, try unary()), base.range.start)
    }

    private mutating func postfix() throws -> Expr {
        var e = try primary()
        while true {
            if check(.symbol(.dot)) {
                advance()
                let (name, nameRange) = try identifier("a field name after '.'")
                e = try make(.field(e, name: name, nameRange: nameRange), e.range.start)
            } else if check(.symbol(.leftBracket)) {
                let open = advance()
                let index = try expression()
                try close(.rightBracket, opened: open)
                e = try make(.index(e, index), e.range.start)
            } else {
                return e
            }
        }
    }

    private mutating func primary() throws -> Expr {
        let token = peek
        switch token.kind {
        case .number(let v):
            advance()
            return try make(.number(v), token.range.start)
        case .string(let s):
            advance()
            return try make(.string(s), token.range.start)
        case .keyword(.true), .keyword(.false):
            advance()
            return try make(.bool(token.kind == .keyword(.true)), token.range.start)
        case .keyword(let k) where k.isCommand:
            let c = try command()
            return try make(.command(c), token.range.start)
        case .identifier(let name):
            advance()
            if check(.symbol(.leftParen)) {
                let open = advance()
                let args = try arguments(closing: open)
                return try make(.call(name: name, nameRange: token.range, arguments: args), token.range.start)
            }
            return try make(.identifier(name), token.range.start)
        case .symbol(.leftParen):
            let open = advance()
            let inner = try expression()
            try close(.rightParen, opened: open)
            return Expr(id: inner.id, kind: inner.kind, range: SourceRange(token.range.start, previous.range.end))
        case .symbol(.leftBracket):
            let open = advance()
            var items: [Expr] = []
            if !check(.symbol(.rightBracket)) {
                repeat {
                    if check(.symbol(.rightBracket)) || atUnclosedEnd { break }   // trailing comma
                    items.append(try expression())
                } while match(.symbol(.comma))
            }
            try close(.rightBracket, opened: open)
            return try make(.list(items), token.range.start)
        case .keyword(let k) where [.table, .print, .help, .expect, .seed, .param, .let].contains(k):
            throw error("'\(k.rawValue)' starts a statement and cannot be used inside an expression", token.range)
        case .end, .newline:
            throw error("expected an expression, found \(token.kind.description)", token.range)
        default:
            throw error("expected an expression, found \(token.kind.description)", token.range)
        }
    }

    private mutating func arguments(closing open: Token) throws -> [Argument] {
        var args: [Argument] = []
        if check(.symbol(.rightParen)) {
            advance()
            return args
        }
        repeat {
            if check(.symbol(.rightParen)) || atUnclosedEnd { break }
            if let label = optionName(), peekNext?.kind == .symbol(.equals) {
                let labelRange = advance().range
                advance()
                args.append(Argument(label: label, labelRange: labelRange, value: try expression()))
            } else {
                if let last = args.last, last.label != nil {
                    throw error("positional arguments must come before named ones", peek.range)
                }
                args.append(Argument(label: nil, labelRange: nil, value: try expression()))
            }
        } while match(.symbol(.comma))
        try close(.rightParen, opened: open)
        return args
    }

    // MARK: Token helpers

    private var isAtEnd: Bool { peek.kind == .end }
    /// At the end of the input while inside brackets: the lexer drops newlines
    /// inside brackets, so a newline here is the one it adds at the very end.
    private var atUnclosedEnd: Bool { isAtEnd || check(.newline) }
    private var peek: Token { tokens[current] }
    private var peekNext: Token? { current + 1 < tokens.count ? tokens[current + 1] : nil }
    private var previous: Token { tokens[max(0, current - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let t = tokens[current]
        if !isAtEnd { current += 1 }
        return t
    }

    private func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

    private mutating func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    private mutating func consume(_ kind: TokenKind, _ what: String) throws {
        guard match(kind) else { throw error("expected \(what), found \(peek.kind.description)", peek.range) }
    }

    private mutating func identifier(_ what: String) throws -> (String, SourceRange) {
        if case .identifier(let name) = peek.kind { return (name, advance().range) }
        if case .keyword(let k) = peek.kind {
            throw error("'\(k.rawValue)' is a reserved word and cannot be used as a name", peek.range)
        }
        throw error("expected \(what), found \(peek.kind.description)", peek.range)
    }

    /// Expects the bracket closing `open`. A bracket still open at the end
    /// of the input, or when the next token is on a later line, was most
    /// likely never closed: that is reported at the bracket.
    private mutating func close(_ closing: Symbol, opened open: Token) throws {
        if match(.symbol(closing)) { return }
        if atUnclosedEnd {
            throw error("unclosed '\(open.lexeme)'; expected '\(closing.rawValue)' before the end of the input",
                        open.range)
        }
        if peek.range.start.line > open.range.start.line {
            throw error("unclosed '\(open.lexeme)'; expected '\(closing.rawValue)' before "
                        + "\(peek.kind.description) on line \(peek.range.start.line)", open.range)
        }
        throw error("expected '\(closing.rawValue)' to close the '\(open.lexeme)' at \(open.range.start), "
                    + "found \(peek.kind.description)", peek.range)
    }

    private mutating func make(_ kind: ExprKind, _ start: SourceLocation) throws -> Expr {
        nextID += 1
        let e = Expr(id: nextID, kind: kind, range: SourceRange(start, previous.range.end))
        let height = 1 + (e.children.map { heights[$0.id] ?? 1 }.max() ?? 0)
        if height > Parser.maxHeight {
            throw error("expression nested too deeply (more than \(Parser.maxHeight) levels of operators); "
                        + "split it with 'let'", e.range)
        }
        heights[e.id] = height
        return e
    }

    private mutating func error(_ message: String, _ range: SourceRange, suggestion: String? = nil) -> Failure {
        diagnostics.append(Diagnostic(.syntax, message, range, in: source, suggestion: suggestion))
        return Failure()
    }

    /// Skips to the start of the next statement after an error.
    private mutating func synchronize() {
        while !isAtEnd && !check(.newline) { advance() }
        _ = match(.newline)
    }

    /// The source text of `range` (which may span lines).
    private func text(of range: SourceRange) -> String {
        var parts: [String] = []
        for l in range.start.line...range.end.line {
            let index = l - source.firstLine
            guard index >= 0, index < lines.count else { continue }
            let chars = Array(lines[index])
            let from = l == range.start.line ? range.start.column - 1 : 0
            let to = l == range.end.line ? min(chars.count, range.end.column - 1) : chars.count
            parts.append(from < to ? String(chars[from..<to]) : "")
        }
        return parts.joined(separator: "\n")
    }
}
