@preconcurrency import CReadline
import Foundation

/// Connects readline's Tab completion to a candidate source (the REPL's
/// `Completer`).
///
/// Words break at spaces and the language's punctuation (so `critic=sep`
/// completes `sep`, and `r.fi` completes `fi`). Inside a string literal
/// readline finds the opening quote itself and file names are completed
/// (for `csv("data/...`), as they are after `:load `.
enum ReadlineCompletion {
    /// Candidates for `word`, given all the text before it (earlier lines
    /// of an unfinished input included). Nil asks for file-name completion.
    typealias Source = (_ before: String, _ word: String) -> [String]?

    /// Characters that end a word in the language (not `_`, `:` or `"`;
    /// readline handles the quote through `rl_completer_quote_characters`).
    static let languageBreaks = " \t\n=()[],+-*/%^<>!.#\\"
    /// After `:load`, a path is one word.
    static let pathBreaks = " \t\n"

    nonisolated(unsafe) private static var source: Source?
    nonisolated(unsafe) private static var matches: [String] = []
    nonisolated(unsafe) private static var nextMatch = 0
    nonisolated(unsafe) private static var languageBreaksC = strdup(languageBreaks)
    nonisolated(unsafe) private static var pathBreaksC = strdup(pathBreaks)

    /// Makes `source` answer Tab.
    static func install(_ source: @escaping Source) {
        self.source = source
        rl_completer_word_break_characters = UnsafePointer(languageBreaksC)
        rl_completer_quote_characters = UnsafePointer(strdup("\""))
        rl_completion_word_break_hook = {
            ReadlineCompletion.lineBeforePoint().drop(while: \.isWhitespace).hasPrefix(":load ")
                ? ReadlineCompletion.pathBreaksC : ReadlineCompletion.languageBreaksC
        }
        rl_attempted_completion_function = { text, start, end in
            ReadlineCompletion.attempt(text: text, start: Int(start), end: Int(end))
        }
    }

    /// The readline line buffer up to the cursor.
    private static func lineBeforePoint() -> String {
        guard let buffer = rl_line_buffer else { return "" }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(max(0, rl_point)))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func attempt(text: UnsafePointer<CChar>?, start: Int, end: Int)
        -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard let source, let text, let buffer = rl_line_buffer else { return nil }
        let line = UnsafeRawBufferPointer(start: buffer, count: Int(max(0, rl_end)))
        let from = min(max(0, start), line.count), to = min(max(from, end), line.count)
        let before = String(decoding: line[..<from], as: UTF8.self)
        let word = String(decoding: line[from..<to], as: UTF8.self)
        // Inside a string literal: file names (readline's default completer).
        if rl_completion_quote_character != 0 { return nil }
        guard let candidates = source(before, word) else { return nil }
        rl_attempted_completion_over = 1
        guard !candidates.isEmpty else { return nil }
        matches = candidates
        nextMatch = 0
        // Names completed with their own "=", "(" or "." take no space after.
        if candidates.count == 1, let last = candidates[0].last, "=(./".contains(last) {
            rl_completion_append_character = 0
        }
        return rl_completion_matches(text) { _, state in
            if state == 0 { ReadlineCompletion.nextMatch = 0 }
            guard ReadlineCompletion.nextMatch < ReadlineCompletion.matches.count else { return nil }
            defer { ReadlineCompletion.nextMatch += 1 }
            return strdup(ReadlineCompletion.matches[ReadlineCompletion.nextMatch])
        }
    }
}
