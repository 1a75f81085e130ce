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
            is written atomically. A failing cell is shown in the document and in the exit code.
            """)

    @OptionGroup var options: NotebookOptions

    @Option(name: .shortAndLong, help: "Output directory (default: Figures/<notebook>).")
    var output: String?

    @Flag(help: "Also write PDF figures.")
    var pdf = false

    @Flag(help: ArgumentHelp("Leave out the closing line with machine and timing.", visibility: .hidden))
    var noFooter = false

    func run() throws {
        let nb = try options.load()
        let runner = try options.runner(for: nb)
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
        var writer = DocumentWriter(directory: output ?? "Figures/\(nb.name)")
        writer.pdf = pdf
        writer.footer = !noFooter
        do {
            let written = try writer.write(result)
            console.summarise(result)
            FileHandle.standardError.write(Data("wrote \(writer.directory)/README.md, index.html and \(written.files.count - 2) figure files\n".utf8))
        } catch {
            report(error)
            throw ExitCode(ExitStatus.inputOutput)
        }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
