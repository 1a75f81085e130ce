import Foundation
import Testing
@testable import MIPlot

/// A render is all or nothing: on failure the directory is as it was, with
/// no partial image and no temporary file, and older images untouched.
@Suite struct AtomicityTests {
    static let pngBytes = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: UInt8(7), count: 100))

    @Test func failingRunnerLeavesNoPartialOrTemporaryFile() throws {
        let scratch = try Scratch("fail")
        defer { scratch.remove() }
        let runner = FakeRunner(.writePartialThenFail)
        #expect(throws: PlotError.self) {
            try FigureRenderer(directory: scratch.url, runner: runner).render(Fixtures.trainingPanel, name: "fig2")
        }
        #expect(runner.jobs.count == 1)
        #expect(try scratch.listing() == [])
    }

    @Test func failureOnALaterFormatCommitsNothing() throws {
        let scratch = try Scratch("later")
        defer { scratch.remove() }
        let runner = FakeRunner(.failAfter(1, bytes: Self.pngBytes))
        #expect(throws: PlotError.self) {
            try FigureRenderer(directory: scratch.url, runner: runner)
                .render(Fixtures.trainingPanel, name: "fig2", formats: [.svg, .png])
        }
        #expect(runner.jobs.count == 2)
        #expect(try scratch.listing() == [])
    }

    @Test func failureLeavesTheOlderImageScriptAndTableUntouched() throws {
        let scratch = try Scratch("older")
        defer { scratch.remove() }
        try FigureRenderer(directory: scratch.url).render(Fixtures.trainingPanel, name: "fig2", formats: [.png])
        let before = try scratch.listing()
        let bytes = try ["fig2.png", "fig2.gp", "fig2.dat"].map { try Data(contentsOf: scratch.file($0)) }

        #expect(throws: PlotError.self) {
            try FigureRenderer(directory: scratch.url, runner: FakeRunner(.writePartialThenFail))
                .render(Fixtures.grid, name: "fig2", formats: [.png])
        }
        #expect(try scratch.listing() == before)
        #expect(try ["fig2.png", "fig2.gp", "fig2.dat"].map { try Data(contentsOf: scratch.file($0)) } == bytes)
    }

    /// A figure gnuplot itself rejects: a log axis over only negative values.
    static var undrawable: Figure {
        Figure(Panel(title: "bias", x: Axis("K"), y: .log("bias"),
                     layers: [.line(LineSeries("nwj", x: [1, 2, 3], y: [-1, -2, -3]))]))
    }

    @Test func realGnuplotFailureKeepsTheOlderImageAndNamesTheLine() throws {
        let scratch = try Scratch("gnuplot-fail")
        defer { scratch.remove() }
        try FigureRenderer(directory: scratch.url).render(Fixtures.trainingPanel, name: "fig", formats: [.png])
        let before = try scratch.listing()
        let png = try Data(contentsOf: scratch.file("fig.png"))

        do {
            try FigureRenderer(directory: scratch.url).render(Self.undrawable, name: "fig", formats: [.png])
            Issue.record("gnuplot accepted a log axis with no positive value")
        } catch PlotError.gnuplotFailed(let failure) {
            #expect(failure.message.contains("undefined"))
            let line = try #require(failure.line)
            #expect(failure.lineText?.contains("data index 0") == true)
            #expect(failure.script == "fig.gp")
            let script = try GnuplotScript(figure: Self.undrawable, name: "fig").script
            #expect(script.split(separator: "\n", omittingEmptySubsequences: false)[line - 1].contains("data index 0"))
            #expect(failure.description.contains("at line \(line)"))
        }
        #expect(try scratch.listing() == before)
        #expect(try Data(contentsOf: scratch.file("fig.png")) == png)
    }

    @Test func successWithoutOutputIsAnErrorAndLeavesNothing() throws {
        let scratch = try Scratch("empty-output")
        defer { scratch.remove() }
        #expect(throws: PlotError.emptyOutput(path: scratch.file("fig.png").path)) {
            try FigureRenderer(directory: scratch.url, runner: FakeRunner(.succeedWithoutOutput))
                .render(Fixtures.trainingPanel, name: "fig", formats: [.png])
        }
        #expect(try scratch.listing() == [])
    }

    @Test func timeoutStopsGnuplotAndLeavesNothing() throws {
        let scratch = try Scratch("timeout")
        defer { scratch.remove() }
        // A "gnuplot" that starts writing and then hangs.
        let bin = scratch.url.appendingPathComponent("bin", isDirectory: true)
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fake = bin.appendingPathComponent("gnuplot")
        try "#!/bin/sh\necho partial > fig.png\nexec sleep 30\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let out = scratch.url.appendingPathComponent("out", isDirectory: true)

        let start = Date()
        #expect(throws: PlotError.timedOut(seconds: 1, stderr: "")) {
            try FigureRenderer(directory: out, runner: ProcessGnuplotRunner(executable: fake.path), timeout: 1)
                .render(Fixtures.trainingPanel, name: "fig", formats: [.png])
        }
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == [])
    }

    @Test func atomicWriteReplacesAndLeavesNoTemporary() throws {
        let scratch = try Scratch("atomic")
        defer { scratch.remove() }
        let target = scratch.file("notes.txt")
        try AtomicFile.write("first", to: target)
        try AtomicFile.write("second", to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "second")
        #expect(try scratch.listing() == ["notes.txt"])
        #expect(throws: PlotError.self) {
            try AtomicFile.write("x", to: scratch.url.appendingPathComponent("missing/dir/file"))
        }
        #expect(try scratch.listing() == ["notes.txt"])
    }
}

extension AtomicityTests {
    @Test func staleStagingFromAKilledRenderIsRemovedFreshOnesKept() throws {
        let scratch = try Scratch("stale")
        defer { scratch.remove() }
        let stale = scratch.file(".fig.render-OLD"), fresh = scratch.file(".fig.render-NEW")
        let other = scratch.file(".other.render-OLD")
        for dir in [stale, fresh, other] { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
        let old = Date(timeIntervalSinceNow: -3600)
        for dir in [stale, other] { try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.path) }
        try FigureRenderer(directory: scratch.url, runner: FakeRunner(.succeed(bytes: Self.pngBytes, stdout: "")))
            .render(Fixtures.trainingPanel, name: "fig", formats: [.png])
        #expect(try scratch.listing() == [".fig.render-NEW", ".other.render-OLD", "fig.dat", "fig.gp", "fig.png"])
    }
}
