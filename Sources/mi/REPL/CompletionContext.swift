import MILanguage

/// Where the cursor is, for Tab completion: found by lexing the text before
/// the word being completed with the language's lexer and walking its
/// tokens with a stack of open brackets.
enum CompletionContext: Equatable {
    /// Nothing typed in this statement yet: verbs, variables, functions.
    case lineStart
    /// `:` at the start of a line: the REPL's commands.
    case metaCommand
    /// After `:load`, or inside a string literal.
    case fileName
    /// After `help`.
    case helpTopic
    /// After `NAME.`: a result's fields (the name, when it is a plain variable).
    case fields(of: String?)
    /// Right after `estimate`, `analyze`, `plot` or `figure`.
    case subject(Keyword)
    /// Inside `estimate [ ...` or `analyze [ ...`.
    case estimatorList
    /// After a command's subject: its options, less those already given.
    /// `objective`: the learn objective named as `learn`'s subject, whose options differ.
    case options(Keyword, given: Set<String>, objective: String? = nil)
    /// Inside `name(` of a registry entry: its parameters, less those given.
    case arguments(of: String, given: Set<String>)
    /// After `option=` (or inside `option=[`): values of this type.
    case value(ValueType)
    /// Anywhere an expression goes: variables and functions.
    case expression
    /// After `NAME =` at the start of a statement: an expression, or `estimate`.
    case assignment
    /// Nothing sensible to offer (a new name after `let`, ...).
    case nothing

    /// The context of a word, given everything typed before it.
    static func of(before: String, word: String, registry: Registry) -> CompletionContext {
        let head = before.drop(while: { $0 == " " || $0 == "\t" })
        if !before.contains("\n") {
            if head.isEmpty && word.hasPrefix(":") { return .metaCommand }
            if head.hasPrefix(":") { return head.hasPrefix(":load") ? .fileName : .nothing }
        }
        var tokens = Lexer.scan(SourceFile(name: "<completion>", text: before)).tokens.filter { !$0.lexeme.isEmpty }
        if let last = tokens.last, case .string = last.kind, isUnterminated(last.lexeme) { return .fileName }
        // Right after a number (`0.` splits the word at the point): nothing to name.
        if let last = tokens.last, case .number = last.kind, let c = before.last, !c.isWhitespace { return .nothing }
        if let statementEnd = tokens.lastIndex(where: { $0.kind == .newline }) {
            tokens = Array(tokens[(statementEnd + 1)...])
        }
        return TokenWalk(tokens: tokens, registry: registry).context()
    }

    /// Whether a string token's text lacks its closing quote.
    static func isUnterminated(_ lexeme: String) -> Bool {
        let chars = Array(lexeme)
        guard chars.count >= 2, chars.last == "\"" else { return true }
        var backslashes = 0
        var i = chars.count - 2
        while i >= 1, chars[i] == "\\" { backslashes += 1; i -= 1 }
        return backslashes % 2 == 1
    }
}

/// One pass over a statement's tokens, keeping the open brackets.
private struct TokenWalk {
    let tokens: [Token]
    let registry: Registry

    /// An open bracket (or the statement itself, at the bottom of the stack).
    struct Frame {
        enum Kind { case statement, call(String), group, list(ListOwner) }
        var kind: Kind
        /// A command (`estimate`, `plot`, `figure`) started at this level, and where.
        var command: (verb: Keyword, index: Int)? = nil
        /// Option or argument names given at this level (`name=`).
        var given: Set<String> = []
    }

    enum ListOwner { case estimators, value(ValueType), plain }

    func context() -> CompletionContext {
        guard let last = tokens.last else { return .lineStart }
        let frames = walk()
        let frame = frames[frames.count - 1]
        let n = tokens.count
        let previous = n >= 2 ? tokens[n - 2] : nil

        if last.kind == .symbol(.dot) {
            if let previous, case .identifier(let name) = previous.kind { return .fields(of: name) }
            return .fields(of: nil)
        }
        if n == 1, last.kind == .keyword(.help) { return .helpTopic }
        if last.kind == .symbol(.equals), let previous, case .identifier(let name) = previous.kind {
            if frames.count == 1, frame.command == nil {
                let isAssignmentHead = n == 2 || (n == 3 && tokens[0].kind == .keyword(.let))
                return isAssignmentHead ? .assignment : .expression
            }
            if case .call(let entry) = frame.kind, n >= 3, isOpenOrComma(tokens[n - 3]) {
                return registry.entry(named: entry)?.parameter(name).map { .value($0.type) } ?? .expression
            }
            if let command = frame.command, n - 2 > command.index {
                return entry(of: command)?.parameter(name).map { .value($0.type) } ?? .expression
            }
            return .expression
        }
        if case .list(let owner) = frame.kind, isOpenOrComma(last) {
            switch owner {
            case .estimators: return .estimatorList
            case .value(let type): return .value(element(of: type))
            case .plain: return .expression
            }
        }
        if case .call(let entry) = frame.kind, isOpenOrComma(last) {
            return .arguments(of: entry, given: frame.given)
        }
        if let command = frame.command {
            if command.index == n - 1 { return .subject(command.verb) }
            return endsExpression(last) ? .options(command.verb, given: frame.given, objective: objective(of: command))
                : .expression
        }
        if frames.count == 1 {
            switch tokens[0].kind {
            case .keyword(.let), .keyword(.param): return n == 1 ? .nothing : .expression
            case .identifier where n == 1: return .nothing
            default: break
            }
        }
        return .expression
    }

    /// The stack of open brackets at the end of the tokens.
    private func walk() -> [Frame] {
        var frames = [Frame(kind: .statement)]
        for (i, token) in tokens.enumerated() {
            let top = frames.count - 1
            switch token.kind {
            case .keyword(let verb) where verb.isCommand:
                frames[top].command = (verb, i)
                frames[top].given = []
            case .symbol(.leftParen):
                if i > 0, case .identifier(let name) = tokens[i - 1].kind {
                    frames.append(Frame(kind: .call(name)))
                } else {
                    frames.append(Frame(kind: .group))
                }
            case .symbol(.leftBracket):
                frames.append(Frame(kind: .list(listOwner(at: i, in: frames[top]))))
            case .symbol(.rightParen), .symbol(.rightBracket):
                if frames.count > 1 { frames.removeLast() }
            case .symbol(.equals):
                if i > 0, case .identifier(let name) = tokens[i - 1].kind { frames[top].given.insert(name) }
            case .identifier(let name):
                // A bare flag option such as `truth` in `plot r truth`.
                if let command = frames[top].command, i > command.index + 1,
                   entry(of: command)?.parameter(name)?.type == .bool {
                    frames[top].given.insert(name)
                }
            default:
                break
            }
        }
        return frames
    }

    /// What a `[` at `index` holds: the estimators of `estimate [`, or the
    /// values of the option or argument named just before `=[`.
    private func listOwner(at index: Int, in frame: Frame) -> ListOwner {
        if index > 0, [.keyword(.estimate), .keyword(.learn), .keyword(.analyze)].contains(tokens[index - 1].kind) {
            return .estimators
        }
        guard index > 1, tokens[index - 1].kind == .symbol(.equals),
              case .identifier(let name) = tokens[index - 2].kind else { return .plain }
        let parameter: Parameter?
        switch frame.kind {
        case .call(let entry): parameter = registry.entry(named: entry)?.parameter(name)
        default: parameter = frame.command.flatMap { entry(of: $0)?.parameter(name) }
        }
        return parameter.map { .value($0.type) } ?? .plain
    }

    /// The learn objective a `learn` command names as its subject (`learn adversarial ...`), if any.
    private func objective(of command: (verb: Keyword, index: Int)) -> String? {
        guard command.verb == .learn, command.index + 1 < tokens.count,
              case .identifier(let name) = tokens[command.index + 1].kind, registry.objective(name) != nil else { return nil }
        return name
    }

    /// The option table of a command: `learn`'s depends on its subject.
    private func entry(of command: (verb: Keyword, index: Int)) -> Entry? {
        if command.verb == .learn { return registry.learnEntry(objective: objective(of: command)) }
        return registry.verb(command.verb.rawValue)
    }

    private func element(of type: ValueType) -> ValueType {
        if case .list(let element) = type { return element }
        return type
    }

    private func isOpenOrComma(_ token: Token) -> Bool {
        switch token.kind {
        case .symbol(.leftParen), .symbol(.leftBracket), .symbol(.comma): return true
        default: return false
        }
    }

    /// Whether a token can end an expression (so a command's next word is an option).
    private func endsExpression(_ token: Token) -> Bool {
        switch token.kind {
        case .identifier, .number, .string, .keyword(.true), .keyword(.false): return true
        case .symbol(.rightParen), .symbol(.rightBracket): return true
        default: return false
        }
    }
}
