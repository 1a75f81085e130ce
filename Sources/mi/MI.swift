import ArgumentParser
import Foundation
import MILanguage

/// The `mi` command: notebooks, the REPL and tools for MI research.
struct MI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mi",
        abstract: "A literate environment for estimating mutual information.",
        discussion: """
            With -e, runs statements and exits; with no arguments on a terminal, starts the REPL; \
            with a program on standard input, runs it. `mi help TOPIC` explains the language \
            (try `mi help estimate`, `mi help estimators`); `mi help COMMAND` explains a command. \
            Exit codes: 0 ok, 64 bad command line, 65 language error, 70 runtime failure or failed \
            expect, 74 I/O error, 130 interrupted.
            """,
        version: MIVersion.release,
        subcommands: [Run.self, Step.self, Render.self, Bench.self, Reference.self]
    )

    @Option(name: .customShort("e"), help: ArgumentHelp("Run STATEMENT (repeatable; all share one session).",
                                                         valueName: "STATEMENT"))
    var statements: [String] = []

    @OptionGroup var output: OutputOptions

    @Option(help: "The session seed of -e, standard input and the REPL (default 0); a notebook sets its own with `seed N`.")
    var seed: UInt64?

    /// Refuses `mi --seed N run|step|render NB`: the seed would be ignored,
    /// since a notebook's runs take their seed from the notebook.
    static func refuseSeed(_ root: MI, for command: String) throws {
        guard root.seed != nil else { return }
        throw ValidationError("--seed sets the seed of -e and the REPL; `mi \(command)` runs a notebook, which sets "
                              + "its seed with a `seed N` statement (or declare `param s = 1`, write `seed s`, and pass -p s=N)")
    }

    func run() throws {
        let observer = TerminalObserver(json: output.json)
        let session = Session(observer: observer)
        session.environment.seed = seed ?? 0
        if statements.isEmpty {
            if isatty(STDIN_FILENO) != 0 {
                try REPL(session: session, observer: observer).run()
                return
            }
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            try execute(SourceFile(name: "<stdin>", text: text), in: session)
            return
        }
        Interrupts.install()
        for (i, text) in statements.enumerated() {
            let name = statements.count == 1 ? "<command-line>" : "<command-line \(i + 1)>"
            try execute(SourceFile(name: name, text: text), in: session)
        }
    }

    private func execute(_ source: SourceFile, in session: Session) throws {
        Interrupts.install()
        do {
            try session.run(source)
        } catch {
            report(error)
            throw ExitCode(ExitStatus.code(for: error))
        }
    }
}

/// `--json`, accepted by `mi` and by `mi run`. One definition shared by
/// both: with two flags of the same name, the root command's would take
/// the value and the subcommand's would stay false.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print outputs as JSON, one object per line.")
    var json = false
}
