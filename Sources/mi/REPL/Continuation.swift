import MILanguage

/// Whether REPL input so far is a finished piece of source or needs more
/// lines, decided by the language's own lexer (so brackets, backslashes and
/// `#` inside strings and comments do not count).
///
/// The rule: ask for another line exactly when more input could still make
/// the text valid. That is an open bracket or a backslash ending the last
/// line. Anything the lexer already rejects (a stray character, a malformed
/// number, an unterminated string: strings cannot span lines in the
/// language) cannot be repaired by more lines, so the input is submitted
/// at once and its error shown.
enum Continuation {
    /// What the input needs.
    enum Status: Equatable {
        case complete
        /// More lines are needed; the reason is shown nowhere but helps tests.
        case needsMore(Reason)
    }

    enum Reason: Equatable {
        case openBracket
        case trailingBackslash
    }

    /// The status of `text` (physical lines joined by newlines).
    static func status(of text: String) -> Status {
        let (tokens, diagnostics) = Lexer.scan(SourceFile(name: "<repl>", text: text))
        if !diagnostics.isEmpty { return .complete }
        var depth = 0
        for token in tokens {
            switch token.kind {
            case .symbol(.leftParen), .symbol(.leftBracket): depth += 1
            case .symbol(.rightParen), .symbol(.rightBracket): depth = max(0, depth - 1)
            default: break
            }
        }
        if depth > 0 { return .needsMore(.openBracket) }
        if endsWithBackslash(text, after: tokens.last { !$0.lexeme.isEmpty }) { return .needsMore(.trailingBackslash) }
        return .complete
    }

    /// Whether the last line of `text` ends with a continuing backslash. Only
    /// whitespace, comments and backslashes can follow the last real token
    /// (anything else would be a token), so it suffices to look at the last
    /// line of that tail and skip a comment on it.
    private static func endsWithBackslash(_ text: String, after last: Token?) -> Bool {
        let chars = Array(text)
        let tailStart = last.map { offset(of: $0.range.end, in: chars) } ?? 0
        let tail = chars[min(tailStart, chars.count)...]
        let lastLine = tail.split(separator: "\n", omittingEmptySubsequences: false).last ?? []
        var sawBackslash = false
        for c in lastLine {
            switch c {
            case "#": return false
            case "\\": sawBackslash = true
            case " ", "\t", "\r": continue
            default: sawBackslash = false
            }
        }
        return sawBackslash && lastLine.last(where: { $0 != " " && $0 != "\t" && $0 != "\r" }) == "\\"
    }

    /// The character offset of a 1-based line and column in `chars`.
    static func offset(of location: SourceLocation, in chars: [Character]) -> Int {
        var line = 1, index = 0
        while line < location.line, index < chars.count {
            if chars[index] == "\n" { line += 1 }
            index += 1
        }
        return min(chars.count, index + location.column - 1)
    }
}
