import Foundation
import Testing
import MILanguage
import MIPlot
@testable import MINotebook

/// Rendering a notebook to a document with figures.
@Suite(.serialized) struct DocumentRenderTests {
    @Test func documentAndScriptsMatchGoldenFiles() throws {
        let dir = temporaryDirectory("render")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        let run = try runNotebook(path, noCache: true)
        #expect(run.exitCode == 0, "\(run.failed.map { $0.error ?? "" })")
        var writer = DocumentWriter(directory: dir + "/out")
        writer.footer = false
        let written = try writer.write(run)
        if let problem = compareGolden(written.markdown, "small.README.md") { Issue.record(Comment(rawValue: problem)) }
        let script = try String(contentsOfFile: dir + "/out/curve-1.gp", encoding: .utf8)
        if let problem = compareGolden(script, "small.curve-1.gp") { Issue.record(Comment(rawValue: problem)) }
        // The PNG is real, non-trivial and of the figure's size.
        let png = dir + "/out/curve-1.png"
        let size = try #require(PNGHeader.size(atPath: png))
        #expect(size.width >= 600 && size.height >= 300)
        let bytes = try FileManager.default.attributesOfItem(atPath: png)[.size] as? Int ?? 0
        #expect(bytes > 10_000)
        let html = try String(contentsOfFile: dir + "/out/index.html", encoding: .utf8)
        #expect(html.contains("<img src=\"curve-1.png\""))
        #expect(html.contains("<table>"))
    }

    @Test func theNotebookIsNeverModified() throws {
        let dir = temporaryDirectory("unmodified")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("failing.mi", into: dir)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let run = try runNotebook(path)
        _ = try DocumentWriter(directory: dir + "/out").write(run)
        _ = try runNotebook(path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aFailingCellIsShownAndTheOthersRun() throws {
        let dir = temporaryDirectory("failing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try runNotebook(try fixture("failing.mi", into: dir))
        let status = run.records.map(\.status)
        #expect(status == [.ran, .failed, .skipped, .ran])
        #expect(run.exitCode == 70)
        #expect(run.records[1].error?.contains("failing.mi:8:13: error: division by zero") == true)
        #expect(run.records[2].error?.contains("needs 'b'") == true)
        let markdown = MarkdownDocument().markdown(for: run)
        #expect(markdown.contains("**This cell failed.**"))
        #expect(markdown.contains("42"))
    }
}

/// A value bound in one cell keeps the type the next cells are checked against.
@Suite struct CellTypeTests {
    /// A list param of whole numbers sweeps a count in a later cell, with its
    /// default and with an override (`seed=seeds` once failed: "expects a whole
    /// number, found a list of numbers").
    @Test func aListOfWholeNumbersSweepsACountInALaterCell() throws {
        let dir = temporaryDirectory("celltypes")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/seeds.mi"
        try """
        ```mi
        param seeds = [1, 2]
        ```

        ```mi
        t = estimate nce critic=optimal batch=8 steps=2 mi=1 seed=seeds
        expect len(t) == len(seeds)
        ```
        """.write(toFile: path, atomically: true, encoding: .utf8)
        for overrides in [[:], ["seeds": Value.list([.number(3), .number(4), .number(5)])]] as [[String: Value]] {
            let run = try runNotebook(path, overrides: overrides, noCache: true)
            #expect(run.exitCode == 0, "\(run.records.compactMap(\.error))")
        }
    }
}
