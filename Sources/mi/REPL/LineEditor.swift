@preconcurrency import CReadline
import Foundation

/// One line from the terminal, read with GNU readline's alternate
/// (callback) interface so that Ctrl-C and readline cooperate.
///
/// Readline's own signal handlers are off (`rl_catch_signals = 0`): in
/// callback mode they only note a signal that lands inside readline and act
/// on it when readline is next called, i.e. at the next key press. The
/// program's SIGINT handler (`Interrupts`) sets a flag and writes to a
/// self-pipe; `read` waits in `poll` on the terminal and that pipe, feeds
/// readline a character at a time, and on Ctrl-C abandons the line with
/// `rl_free_line_state`, `rl_callback_sigcleanup` and
/// `rl_cleanup_after_signal`, as readline's manual describes for callback
/// applications. Ctrl-Z at the prompt restores the terminal before stopping
/// and re-prepares it on `fg`; while a statement runs, readline is not
/// active and the terminal is in its normal mode.
final class LineEditor {
    /// What `read` got.
    enum Input: Equatable {
        case line(String)
        /// Ctrl-D on an empty line, or the terminal went away (the cursor
        /// is then on a fresh line).
        case endOfInput
        /// Ctrl-C: the line was abandoned.
        case interrupted
    }

    private let history: HistoryFile
    private var lastEntry: String?

    // State shared with readline's C callbacks (which cannot capture).
    nonisolated(unsafe) private static var finished = false
    nonisolated(unsafe) private static var received: String?
    nonisolated(unsafe) private static var suspendRequested: sig_atomic_t = 0

    /// Sets readline up (once per process) and loads the history.
    init(history: HistoryFile, completion: ReadlineCompletion.Source?) {
        self.history = history
        rl_readline_name = UnsafePointer(strdup("mi"))
        rl_catch_signals = 0
        rl_catch_sigwinch = 0
        rl_change_environment = 0
        if let completion { ReadlineCompletion.install(completion) }
        stifle_history(Int32(history.limit))
        let entries = history.load()
        for entry in entries { add_history(entry) }
        lastEntry = entries.last
    }

    /// Reads one line after showing `prompt`.
    func read(prompt: String) -> Input {
        Interrupts.reset()
        Interrupts.drainWakeups()
        LineEditor.finished = false
        LineEditor.received = nil
        installSuspendHandler()
        defer { signal(SIGTSTP, SIG_DFL) }
        rl_callback_handler_install(prompt) { line in
            // Called by readline with the finished line (malloc'ed) or nil at end of input.
            LineEditor.received = line.map { String(cString: $0) }
            free(line)
            LineEditor.finished = true
            rl_callback_handler_remove()
        }
        var hangups = 0
        while !LineEditor.finished {
            if Interrupts.requested {
                abandonLine()
                return .interrupted
            }
            if Interrupts.takeResized() { rl_resize_terminal() }
            if LineEditor.suspendRequested != 0 { suspend() }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: Interrupts.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, Interrupts.wakeDescriptor >= 0 ? 2 : 1, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return endInput()
            }
            if fds[1].revents != 0 { Interrupts.drainWakeups() }
            let events = Int32(fds[0].revents)
            if events & Int32(POLLNVAL) != 0 { return endInput() }
            if events & Int32(POLLIN | POLLHUP | POLLERR) != 0 {
                hangups = events & Int32(POLLIN) == 0 ? hangups + 1 : 0
                if hangups > 3 { return endInput() }
                rl_callback_read_char()
            }
        }
        if let line = LineEditor.received { return .line(line) }
        finishEndOfInputLine()
        return .endOfInput
    }

    /// After Ctrl-D the cursor is left after the prompt; move to a new line.
    /// Readline does this itself when bracketed paste was on (it ends the
    /// paste mode with a carriage return and, at end of input, a newline).
    private func finishEndOfInputLine() {
        let bracketedPaste = rl_variable_value("enable-bracketed-paste").map { String(cString: $0) } == "on"
        if !(bracketedPaste && rl_eof_found != 0) { print("") }
        fflush(nil)
    }

    /// Adds an accepted input to the history (memory and file), unless it
    /// repeats the previous entry or is blank.
    func remember(_ entry: String) {
        guard !entry.allSatisfy(\.isWhitespace), entry != lastEntry else { return }
        lastEntry = entry
        add_history(entry)
        history.append(entry)
    }

    /// Ctrl-C at the prompt: echo ^C, drop the line and readline's state for
    /// it, restore the terminal and move to a fresh line.
    private func abandonLine() {
        rl_echo_signal_char(SIGINT)
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_cleanup_after_signal()
        rl_callback_handler_remove()
        print("")
        fflush(nil)
        Interrupts.reset()
    }

    private func endInput() -> Input {
        rl_callback_handler_remove()
        print("")
        return .endOfInput
    }

    // MARK: Ctrl-Z

    /// While the prompt is up, SIGTSTP only sets a flag: `suspend` then puts
    /// the terminal back before stopping for real.
    private func installSuspendHandler() {
        LineEditor.suspendRequested = 0
        signal(SIGTSTP) { _ in
            LineEditor.suspendRequested = 1
            Interrupts.wakeUp()
        }
        Interrupts.unblock(SIGTSTP)
    }

    private func suspend() {
        LineEditor.suspendRequested = 0
        rl_cleanup_after_signal()
        signal(SIGTSTP, SIG_DFL)
        raise(SIGTSTP)
        // Continued (fg): take the terminal again and redraw the line.
        installSuspendHandler()
        rl_reset_after_signal()
        rl_forced_update_display()
    }
}

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
