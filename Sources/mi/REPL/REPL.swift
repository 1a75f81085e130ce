import MILanguage

/// The interactive loop (placeholder until the readline REPL lands).
struct REPL {
    let session: Session
    let observer: TerminalObserver
    func run() throws {
        report(MIHelpError(topic: "repl", suggestion: nil))
    }
}
