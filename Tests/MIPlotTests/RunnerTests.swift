import Foundation
import Testing
@testable import MIPlot

@Suite struct RunnerTests {
    @Test func missingGnuplotOnPathGivesTheInstallHint() throws {
        let scratch = try Scratch("nopath")
        defer { scratch.remove() }
        let emptyBin = scratch.url.appendingPathComponent("empty-bin", isDirectory: true)
        try FileManager.default.createDirectory(at: emptyBin, withIntermediateDirectories: true)
        let out = scratch.url.appendingPathComponent("out", isDirectory: true)
        let renderer = FigureRenderer(directory: out, runner: ProcessGnuplotRunner(searchPath: emptyBin.path))
        do {
            try renderer.render(Fixtures.trainingPanel, name: "fig2")
            Issue.record("found a gnuplot in an empty directory")
        } catch let error as PlotError {
            guard case .gnuplotNotFound(let searched) = error else {
                Issue.record("wrong error: \(error)")
                return
            }
            #expect(searched.contains(emptyBin.path))
            let message = error.description
            #expect(message.contains("gnuplot was not found"))
            #expect(message.contains("apt-get install gnuplot-nox"))
            #expect(message.contains("libgnuplot-iostream-dev"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == [])
    }

    @Test func missingInjectedExecutableGivesTheInstallHint() throws {
        let runner = ProcessGnuplotRunner(executable: "/nonexistent/bin/gnuplot")
        #expect(throws: PlotError.gnuplotNotFound(searched: "/nonexistent/bin/gnuplot")) { try runner.locate() }
        #expect(throws: PlotError.self) { try FigureRenderer.dumb(Fixtures.trainingPanel, runner: runner) }
    }

    @Test func findsGnuplotOnPath() throws {
        let path = try ProcessGnuplotRunner().locate()
        #expect(path.hasSuffix("/gnuplot"))
    }

    @Test func gnuplotErrorsQuoteTheScriptLine() throws {
        let scratch = try Scratch("bad-script")
        defer { scratch.remove() }
        try "set terminal dumb\nset xrange [0:1]\nplot undefined_function(x)\n"
            .write(to: scratch.file("bad.gp"), atomically: true, encoding: .utf8)
        do {
            _ = try ProcessGnuplotRunner().run(GnuplotJob(scriptFile: "bad.gp", directory: scratch.url))
            Issue.record("gnuplot accepted an undefined function")
        } catch PlotError.gnuplotFailed(let failure) {
            #expect(failure.status != 0)
            #expect(failure.line == 3)
            #expect(failure.lineText == "plot undefined_function(x)")
            #expect(failure.message.contains("undefined function"))
            #expect(failure.description.contains("bad.gp at line 3: plot undefined_function(x)"))
        }
    }

    @Test func variablesReachTheScript() throws {
        let scratch = try Scratch("vars")
        defer { scratch.remove() }
        // gnuplot prints to stderr; `set print` sends it to a file to check.
        try "set print 'out.txt'\nprint greeting . ' ' . who\nunset print\n"
            .write(to: scratch.file("v.gp"), atomically: true, encoding: .utf8)
        _ = try ProcessGnuplotRunner().run(GnuplotJob(
            scriptFile: "v.gp", directory: scratch.url,
            variables: [.init("greeting", GnuplotText.quoted("it's")), .init("who", GnuplotText.quoted("`me` \\"))]))
        #expect(try String(contentsOf: scratch.file("out.txt"), encoding: .utf8) == "it's `me` \\\n")
    }

    @Test func locateSkipsWarningsAndTakesTheError() {
        let stderr = """
                     "f.gp" line 4: warning: Skipping data file with no valid points

            plot "t.dat" index 0 using 1:(-$2) with lines
                                                         ^
            "f.gp" line 7: all points y value undefined!

            """
        let found = GnuplotFailure.locate(stderr: stderr)
        #expect(found?.line == 7)
        #expect(found?.message == "all points y value undefined!")
        #expect(GnuplotFailure.locate(stderr: "gnuplot: out of memory") == nil)
        let failure = GnuplotFailure(status: 1, stderr: stderr, script: "f.gp", scriptText: "a\nb\nc\nd\ne\nf\nplot it\n")
        #expect(failure.lineText == "plot it")
    }
}
