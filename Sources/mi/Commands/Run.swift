import ArgumentParser
import Foundation
import MILanguage
import MINotebook

/// Options shared by the notebook commands.
struct NotebookOptions: ParsableArguments {
    @ArgumentParser.Argument(help: "The notebook (.mi).")
    var notebook: String

    @Option(name: .customShort("p"), help: ArgumentHelp(
        "Override parameter NAME (a `param` of the notebook) with VALUE, a literal: a number, true or false, "
            + "a string, or a list of them (-p steps=500 -p 'widths=[32, 64]').", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Flag(help: "Compute every run, ignoring and refreshing the cache.")
    var noCache = false

    func load() throws -> Notebook {
        do {
            return try NotebookParser.load(notebook)
        } catch let f as NotebookParser.Failure {
            report(CellFailure(text: f.description))
            throw ExitCode(f.line == 0 ? ExitStatus.inputOutput : ExitStatus.language)
        }
    }

    /// The `-p` overrides, checked against the notebook's parameters; a
    /// bad one is reported and ends the command (exit 64).
    func overrides(for nb: Notebook) throws -> [String: Value] {
        do {
            return try ParameterOverrides.parse(parameters, declared: ParameterOverrides.declared(in: nb), notebook: notebook)
        } catch let e as ValidationError {
            report(e)
            throw ExitCode(ExitStatus.usage)
        }
    }

    func runner(for nb: Notebook, overrides: [String: Value]) -> NotebookRunner {
        NotebookRunner(notebook: nb, overrides: overrides, cache: RunStore.beside(nb, refresh: noCache))
    }
}

/// `mi run NB`: runs a notebook top to bottom, printing each cell's output.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a notebook top to bottom, printing each cell's output.",
        discussion: "Runs (each estimate and analyze) whose inputs have not changed replay from the cache "
            + "(.mi-cache beside the notebook); everything else, expect included, is evaluated again. "
            + "A failing cell does not stop the others; the exit code reports it (65 language, 70 runtime or expect, 74 I/O). "
            + "With --json, standard output is JSON lines: one object per output, and after each cell's outputs "
            + "{\"cell\": ID, \"line\": N, \"status\": \"ran\"|\"cached\"|\"failed\"|\"skipped\"|\"interrupted\", "
            + "\"seconds\": S, \"runs_computed\": N, \"runs_replayed\": N} (with \"error\" when it failed); "
            + "errors and the summary go to standard error.")

    @OptionGroup var options: NotebookOptions

    @OptionGroup var output: OutputOptions

    @ParentCommand var root: MI

    func validate() throws { try MI.refuseSeed(root, for: "run") }

    func run() throws {
        let nb = try options.load()
        let runner = options.runner(for: nb, overrides: try options.overrides(for: nb))
        let console = NotebookConsole(terminal: TerminalObserver(json: output.json))
        runner.observer = console
        Interrupts.install()
        let result = runner.run()
        console.summarise(result)
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}

/// Shows a notebook run on the terminal: a header per cell, its outputs as
/// they come, progress with the cell's elapsed and remaining time, errors.
final class NotebookConsole: NotebookObserver {
    let terminal: TerminalObserver
    /// Show only headers, errors and progress (rendering: outputs go to the document).
    var quiet = false
    private var cellStart = Date()
    private var current: (number: Int, total: Int) = (0, 0)

    init(terminal: TerminalObserver) { self.terminal = terminal }

    func cellStarted(_ cell: Cell, number: Int, of total: Int) {
        current = (number, total)
        cellStart = Date()
        if !terminal.json {
            print("[\(number)/\(total)] \(cell.id), line \(cell.firstLine)")
            fflush(nil)
        }
    }

    func output(_ output: Output, cell: Cell) { if !quiet { terminal.emit(output) } }

    func cellFinished(_ record: CellRecord) {
        terminal.clearProgress()
        if let error = record.error { report(CellFailure(text: error)) }
        if terminal.json && !quiet {
            var object: [String: Any] = ["cell": record.cell.id, "line": record.cell.firstLine,
                                         "status": record.status.rawValue, "seconds": record.seconds,
                                         "runs_computed": record.runs.computed, "runs_replayed": record.runs.replayed]
            if let error = record.error { object["error"] = error }
            print(Format.jsonLine(object))
            fflush(nil)
        }
    }

    func progress(_ p: RunProgress, cell: Cell) {
        terminal.progress(p, prefix: "cell \(current.number)/\(current.total) \(cell.id) \(duration(Date().timeIntervalSince(cellStart)))  ")
    }

    func shouldStop() -> Bool { Interrupts.requested }

    func summarise(_ run: NotebookRun) {
        terminal.clearProgress()
        let failed = run.failed.count
        let runs = run.computedRuns + run.replayedRuns
        let line = "\(run.records.count) cells, \(runs) run\(runs == 1 ? "" : "s"): \(run.computedRuns) computed, "
            + "\(run.replayedRuns) replayed from the cache"
            + (failed > 0 ? ", \(failed) failed or skipped" : "") + (run.interrupted ? ", interrupted" : "")
            + " (\(duration(run.seconds)))"
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

struct CellFailure: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}

func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
    return "\(s / 60):\(String(format: "%02d", s % 60))"
}
