import Foundation
import Testing
import MILanguage
import MIPlot
@testable import MINotebook

/// Runs the real gnuplot, except for the figures named `bad-*`: with the
/// fake it fails without running; with `realRejection` it runs the real
/// gnuplot with an output format the script refuses (`exit error`), so
/// gnuplot itself rejects the figure.
struct SelectiveRunner: GnuplotRunner {
    var realRejection: Bool
    let real = ProcessGnuplotRunner()

    func run(_ job: GnuplotJob) throws -> Data {
        guard job.scriptFile.hasPrefix("bad-") else { return try real.run(job) }
        if realRejection {
            var job = job
            job.variables = job.variables.map { $0.name == "format" ? GnuplotJob.Variable("format", "'bmp'") : $0 }
            return try real.run(job)
        }
        throw PlotError.gnuplotFailed(GnuplotFailure(status: 1, stderr: "\"bad-1.gp\" line 3: undefined variable: oops",
                                                     script: job.scriptFile, scriptText: "\n\nplot oops\n"))
    }
}

/// A figure gnuplot cannot draw is its cell's failure; the document is still written.
@Suite(.serialized) struct FigureFailureTests {
    static let notebook = """
        # Two figures

        ```mi id=good
        r = estimate nce critic=optimal batch=8 steps=20 data=gaussian(dim=2, mi=1)
        plot r truth title="the good one"
        ```

        ```mi id=bad
        plot r title="the bad one"
        ```

        ```mi id=after
        print 6 * 7
        ```

        """

    @Test(arguments: [false, true])
    func oneBadFigureFailsOnlyItsCell(realRejection: Bool) throws {
        let dir = temporaryDirectory("badfigure")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/two.mi"
        try Self.notebook.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try runNotebook(path)
        #expect(run.exitCode == 0)
        var writer = DocumentWriter(directory: dir + "/out", runner: SelectiveRunner(realRejection: realRejection))
        writer.footer = false
        let written = try writer.write(run)
        #expect(written.run.records.map(\.status) == [.ran, .failed, .ran])
        #expect(written.run.exitCode == 70)
        let error = try #require(written.run.records[1].error)
        #expect(error.hasPrefix(path + ":9: error: figure 1 of cell 'bad' could not be drawn: gnuplot failed"))
        if realRejection { #expect(error.contains("format must be svg, png, pdf or dumb")) }
        // The document is whole: the good figure, the failure in its place, the later cell.
        let readme = try String(contentsOfFile: dir + "/out/README.md", encoding: .utf8)
        #expect(readme.contains("![the good one](good-1.png)"))
        #expect(!readme.contains("bad-1.png"))
        #expect(readme.contains("> **This cell failed.**"))
        #expect(readme.contains("could not be drawn"))
        #expect(readme.contains("42"))
        #expect(FileManager.default.fileExists(atPath: dir + "/out/index.html"))
        #expect(PNGHeader.size(atPath: dir + "/out/good-1.png") != nil)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/out")
        #expect(!files.contains { $0.hasPrefix("bad-") || $0.hasPrefix(".bad-") }, "\(files)")
    }

    /// A figure that drew before and fails now: its old files go with it.
    @Test func anEarlierDrawingOfAFailingFigureIsRemoved() throws {
        let dir = temporaryDirectory("nowbad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/two.mi"
        try Self.notebook.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try runNotebook(path)
        var writer = DocumentWriter(directory: dir + "/out")
        writer.footer = false
        _ = try writer.write(run)
        #expect(FileManager.default.fileExists(atPath: dir + "/out/bad-1.png"))
        // Changed, so that it must be drawn again.
        try Self.notebook.replacingOccurrences(of: "the bad one", with: "the bad one, retitled")
            .write(toFile: path, atomically: true, encoding: .utf8)
        var failing = DocumentWriter(directory: dir + "/out", runner: SelectiveRunner(realRejection: false))
        failing.footer = false
        let written = try failing.write(try runNotebook(path))
        #expect(Set(written.removed) == ["bad-1.png", "bad-1.svg", "bad-1.gp", "bad-1.dat"])
    }
}
