import ArgumentParser
import Foundation
import MINotebook

/// `mi render NB`: runs a notebook and writes its document with figures.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a notebook and write its document: README.md, index.html and figures.",
        discussion: """
            Writes Figures/<notebook>/ (or -o DIR): the prose, the code, each cell's output and its \
            figures inline (SVG and PNG, with the gnuplot script and data table beside each so it can \
            be redrawn by hand). Cells whose meaning has not changed replay from the cache; every file \
            is written atomically. A failing cell, or a figure gnuplot cannot draw, is shown in the \
            document and in the exit code. The folder may hold other files: a render overwrites or \
            deletes only files an earlier render of the same notebook wrote (listed in the folder's \
            .mi-render.json), and stops before writing anything when another file is in its way.
            """)

    @OptionGroup var options: NotebookOptions

    @Option(name: .shortAndLong, help: "Output directory (default: Figures/<notebook>).")
    var output: String?

    @Flag(help: "Also write PDF figures.")
    var pdf = false

    @Flag(help: ArgumentHelp("Leave out the closing line with machine and timing.", visibility: .hidden))
    var noFooter = false

    @ParentCommand var root: MI

    func validate() throws { try MI.refuseSeed(root, for: "render") }

    func run() throws {
        let nb = try options.load()
        let overrides = try options.overrides(for: nb)
        var writer = DocumentWriter(directory: output ?? "Figures/\(nb.name)")
        writer.pdf = pdf
        writer.footer = !noFooter
        do {
            try writer.checkFolder(for: nb)
        } catch {
            report(error)
            throw ExitCode(ExitStatus.inputOutput)
        }
        let runner = options.runner(for: nb, overrides: overrides)
        let console = NotebookConsole(terminal: TerminalObserver(json: false))
        console.quiet = true
        runner.observer = console
        Interrupts.install()
        let result = runner.run()
        if result.interrupted {
            console.summarise(result)
            FileHandle.standardError.write(Data("interrupted: the document was not written\n".utf8))
            throw ExitCode(ExitStatus.interrupted)
        }
        let written: DocumentWriter.Written
        do {
            written = try writer.write(result)
        } catch {
            console.summarise(result)
            report(error)
            throw ExitCode(ExitStatus.inputOutput)
        }
        // Cells whose figure gnuplot could not draw failed at this step.
        for (before, after) in zip(result.records, written.run.records) where before.error != after.error {
            if let error = after.error { report(CellFailure(text: error)) }
        }
        console.summarise(written.run)
        let figures = written.files.count - 2
        var line = "wrote \(writer.directory)/README.md, index.html and \(figures) figure file\(figures == 1 ? "" : "s")"
        if !written.removed.isEmpty {
            line += "; removed \(written.removed.count) file\(written.removed.count == 1 ? "" : "s") of an earlier render"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
        if written.run.exitCode != 0 { throw ExitCode(written.run.exitCode) }
    }
}
