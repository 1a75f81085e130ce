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
            (try `mi help estimate`, `mi help estimators`). Exit codes: 0 ok, 65 language error, \
            70 runtime failure or failed expect, 74 I/O error, 130 interrupted.
            """,
        version: MIVersion.release,
        subcommands: [Run.self, Step.self, Render.self, Bench.self, Reference.self]
    )

    @Option(name: .customShort("e"), help: ArgumentHelp("Run STATEMENT (repeatable; all share one session).",
                                                         valueName: "STATEMENT"))
    var statements: [String] = []

    @Flag(help: "Print outputs as JSON, one object per line.")
    var json = false

    @Option(help: "The session seed (default 0).")
    var seed: UInt64 = 0

    func run() throws {
        let observer = TerminalObserver(json: json)
        let session = Session(observer: observer)
        session.environment.seed = seed
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

/// `-p name=value` arguments: values are parsed as language literals.
enum ParameterOverrides {
    static func parse(_ items: [String]) throws -> [String: Value] {
        var out: [String: Value] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("-p expects NAME=VALUE, got '\(item)'")
            }
            let name = String(item[..<eq]), text = String(item[item.index(after: eq)...])
            out[name] = try literal(text, name: name)
        }
        return out
    }

    /// A number, boolean, list of numbers, or else the text as a string.
    static func literal(_ text: String, name: String) throws -> Value {
        let probe = CollectingObserver()
        let session = Session(observer: probe)
        let source = SourceFile(name: "-p \(name)", text: "__value = \(text)")
        if (try? session.run(source)) != nil, let v = session.environment.values["__value"] {
            switch v {
            case .number, .bool, .list, .string: return v
            default: break
            }
        }
        return .string(text)
    }
}
