import Foundation
import MILanguage

/// The interactive loop: reads statements with readline (prompt `mi> `,
/// `...> ` while an open bracket or a trailing backslash continues them),
/// runs each complete input in one `Session` so variables persist, and
/// handles the colon commands (`:help`, `:vars`, `:reset`, `:load`, `:quit`).
///
/// Errors are printed and the loop goes on; Ctrl-C abandons the line at the
/// prompt, or stops a running estimate (its partial result is shown, every
/// variable is kept); Ctrl-D on an empty line leaves with status 0.
final class REPL {
    /// The session statements run in (replaced by `:reset`).
    private(set) var session: Session
    let observer: TerminalObserver
    /// The environment at start-up (seed, `-p` overrides): what `:reset` returns to.
    private let startEnvironment: Environment
    private var editor: LineEditor?
    /// Lines of an unfinished input, waiting for the rest.
    private var pending: [String] = []
    /// The number the next line of input gets in diagnostics (`<repl>:LINE:COL`).
    private var nextLine = 1

    init(session: Session, observer: TerminalObserver) {
        self.session = session
        self.observer = observer
        self.startEnvironment = session.environment
    }

    /// Runs until `:quit` or Ctrl-D.
    func run() throws {
        Interrupts.install()
        Interrupts.installResizeHandler()
        let editor = LineEditor(history: HistoryFile(path: HistoryFile.defaultPath())) { [unowned self] before, word in
            self.completions(before: before, word: word)
        }
        self.editor = editor
        print("mi \(MIVersion.release): :help for help, Tab completes, Ctrl-D leaves")
        while true {
            switch editor.read(prompt: pending.isEmpty ? "mi> " : "...> ") {
            case .interrupted:
                pending = []
            case .endOfInput:
                if pending.isEmpty { return }
                // Ctrl-D at a continuation prompt: run what there is, so the
                // language says what is missing.
                submit(pending.joined(separator: "\n"))
            case .line(let line):
                if pending.isEmpty, let command = MetaCommand.parse(line) {
                    editor.remember(line.trimmingSpaces())
                    if !perform(command) { return }
                    continue
                }
                pending.append(line)
                let text = pending.joined(separator: "\n")
                if case .needsMore = Continuation.status(of: text) { continue }
                submit(text)
            }
        }
    }

    /// Runs one complete input (which may span lines) and records it.
    private func submit(_ text: String) {
        pending = []
        guard !text.allSatisfy(\.isWhitespace) else { return }
        editor?.remember(text)
        let source = SourceFile(name: "<repl>", text: text, firstLine: nextLine)
        nextLine += text.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        execute(source)
    }

    /// Runs `source` in the session; prints its error if it fails. Returns
    /// whether it ran to the end without a Ctrl-C (one pressed during a
    /// statement that does not poll for it still stops a `:load`).
    @discardableResult
    func execute(_ source: SourceFile) -> Bool {
        Interrupts.reset()
        Interrupts.drainWakeups()
        defer {
            observer.clearProgress()
            Interrupts.reset()
            fflush(nil)
        }
        do {
            try session.run(source)
            if Interrupts.requested {
                printError("interrupted")
                return false
            }
            return true
        } catch {
            fflush(nil)
            observer.clearProgress()
            report(error)
            return false
        }
    }

    /// Tab completion for the current line (earlier lines of an unfinished
    /// input included), from the registry and this session's variables.
    private func completions(before: String, word: String) -> [String]? {
        let text = pending.isEmpty ? before : pending.joined(separator: "\n") + "\n" + before
        let completer = Completer(registry: session.registry, variables: session.environment.types,
                                  metaCommands: MetaCommand.names)
        return completer.candidates(before: text, word: word)
    }

    /// Carries out a colon command; false means leave.
    private func perform(_ command: MetaCommand) -> Bool {
        switch command {
        case .help:
            print(MetaCommand.helpText)
            print("")
            print(HelpTopics.text(nil, registry: session.registry) ?? "")
        case .vars:
            print(VariableListing(environment: session.environment).text)
        case .reset:
            session = Session(observer: observer, registry: session.registry)
            session.environment = startEnvironment
            print("session reset: no variables, seed \(startEnvironment.seed)")
        case .load(let path):
            ProgramLoader(repl: self).load(path)
        case .quit:
            return false
        case .invalid(let message):
            printError("error: " + message)
        }
        fflush(nil)
        return true
    }
}

/// Writes one line to standard error.
func printError(_ text: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
