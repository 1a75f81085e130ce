import Foundation
import Testing
import MILanguage
import MIPlot
@testable import MINotebook

/// A render touches only files that a render of the same notebook wrote:
/// everything else in the output folder survives, byte for byte.
@Suite(.serialized) struct RenderSafetyTests {
    /// Files a user might keep in a folder, some named like figures (the
    /// old clean-up deleted anything matching `NAME-N.ext`).
    static let foreign: [String: String] = [
        "thesis-2024.pdf": "%PDF-1.5 the thesis",
        "data-2.dat": "1 2\n3 4\n",
        "cell-1-1.png": "not a png written by mi",
        "cell-9-1.gp": "plot sin(x)\n",
        "notes.txt": "remember",
        "old-1.svg": "<svg/>",
    ]

    private func fill(_ folder: String, with files: [String: String]) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }
    }

    private func expectUnchanged(_ folder: String, _ files: [String: String]) {
        for (name, text) in files {
            let data = FileManager.default.contents(atPath: folder + "/" + name)
            #expect(data == Data(text.utf8), "\(name) was deleted or changed")
        }
    }

    private func render(_ path: String, into folder: String) throws -> DocumentWriter.Written {
        var writer = DocumentWriter(directory: folder)
        writer.footer = false
        return try writer.write(try runNotebook(path))
    }

    @Test func foreignFilesSurviveTwoRenders() throws {
        let dir = temporaryDirectory("foreign")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        let out = dir + "/out"
        try fill(out, with: Self.foreign)
        let first = try render(path, into: out)
        expectUnchanged(out, Self.foreign)
        #expect(first.files.contains("curve-1.png"))
        // The second render no longer draws the figure: its files go, nothing else does.
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "```mi id=curve", with: "```mi id=renamed")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let second = try render(path, into: out)
        expectUnchanged(out, Self.foreign)
        #expect(Set(second.removed) == ["curve-1.gp", "curve-1.dat", "curve-1.svg", "curve-1.png"])
        #expect(FileManager.default.fileExists(atPath: out + "/renamed-1.png"))
        let listing = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        #expect(listing == Set(Self.foreign.keys).union(second.files).union([RenderManifest.fileName]))
    }

    /// The manifest names the notebook relative to the folder and lists
    /// exactly the files written.
    @Test func manifestListsWhatTheRenderWrote() throws {
        let dir = temporaryDirectory("manifest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        let written = try render(path, into: dir + "/Figures/small")
        let data = try #require(FileManager.default.contents(atPath: dir + "/Figures/small/" + RenderManifest.fileName))
        let manifest = try JSONDecoder().decode(RenderManifest.self, from: data)
        #expect(manifest.notebook == "../../small.mi")
        #expect(manifest.files == written.files.sorted())
    }

    /// Missing, corrupt or another notebook's manifest: nothing is deleted.
    @Test(arguments: ["missing", "corrupt", "other notebook", "paths outside"])
    func untrustedManifestDeletesNothing(_ kind: String) throws {
        let dir = temporaryDirectory("untrusted")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        let out = dir + "/out"
        // Files an earlier render would have written, but that no trusted manifest lists.
        let leftovers = ["gone-1.png": "png", "gone-1.gp": "gp", "gone-1.dat": "dat"]
        try fill(out, with: leftovers)
        try fill(dir, with: ["outside.txt": "keep me"])
        try FileManager.default.createDirectory(atPath: out + "/sub", withIntermediateDirectories: true)
        try fill(out + "/sub", with: ["inner.txt": "keep me too"])
        let listed = Array(leftovers.keys)
        switch kind {
        case "corrupt":
            try Data("{\"notebook\": \"../small.mi\", \"files\": [\"gone-1.png\"".utf8)
                .write(to: URL(fileURLWithPath: out + "/" + RenderManifest.fileName))
        case "other notebook":
            try RenderManifest(notebook: "../other.mi", files: listed).write(in: out)
        case "paths outside":
            try RenderManifest(notebook: "../small.mi", files: ["../outside.txt", "sub/inner.txt", "sub", ".", ".."])
                .write(in: out)
        default:
            break
        }
        _ = try render(path, into: out)
        expectUnchanged(out, leftovers)
        expectUnchanged(dir, ["outside.txt": "keep me"])
        expectUnchanged(out + "/sub", ["inner.txt": "keep me too"])
    }

    /// A file the render would write, but did not write before, stops it
    /// before anything changes.
    @Test func refusesToOverwriteAForeignFile() throws {
        let dir = temporaryDirectory("overwrite")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        for name in ["README.md", "curve-1.png"] {
            let out = dir + "/out-" + name
            try fill(out, with: [name: "the user's own"])
            let notebook = try NotebookParser.load(path)
            if name == "README.md" {
                #expect(throws: DocumentWriter.Refusal.self) { try DocumentWriter(directory: out).checkFolder(for: notebook) }
            }
            #expect(throws: DocumentWriter.Refusal.self) { _ = try render(path, into: out) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [name], "the refused render wrote files")
            expectUnchanged(out, [name: "the user's own"])
        }
    }

    /// Another notebook's document in the folder is not overwritten either.
    @Test func anotherNotebooksDocumentIsNotOverwritten() throws {
        let dir = temporaryDirectory("two-notebooks")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = try fixture("small.mi", into: dir)
        let failing = try fixture("failing.mi", into: dir)
        _ = try render(failing, into: dir + "/out")
        let readme = FileManager.default.contents(atPath: dir + "/out/README.md")
        #expect(throws: DocumentWriter.Refusal.self) { _ = try render(small, into: dir + "/out") }
        #expect(FileManager.default.contents(atPath: dir + "/out/README.md") == readme)
    }

    /// A render killed after listing its files but before writing them all
    /// leaves them owned: the next render replaces or removes them.
    @Test func filesOfAnInterruptedRenderStayOwned() throws {
        let dir = temporaryDirectory("interrupted")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        let out = dir + "/out"
        let intended = ["README.md", "index.html", "curve-1.png", "curve-1.svg", "curve-1.gp", "curve-1.dat", "extra-1.png"]
        try fill(out, with: ["curve-1.png": "half", "extra-1.png": "from the killed render"])
        try RenderManifest(notebook: "../small.mi", files: intended).write(in: out)
        let written = try render(path, into: out)
        #expect(written.removed == ["extra-1.png"])
        #expect(PNGHeader.size(atPath: out + "/curve-1.png") != nil)
    }

    /// Cell ids name figure files; whatever an id holds, the files stay in the folder.
    @Test func figureNamesStayInsideTheFolder() throws {
        let dir = temporaryDirectory("names")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        let run = try runNotebook(path)
        // Cells built by a program, not the parser (which admits only plain ids).
        var records = run.records
        for (i, id) in ["../escape", "a/b", ".."].enumerated() {
            let cell = records[3].cell
            var options = cell.options
            options["id"] = id
            var record = CellRecord(cell: Cell(index: 10 + i, code: cell.code, firstLine: cell.firstLine, options: options),
                                    status: .ran)
            record.outputs = records[3].outputs
            records.append(record)
        }
        let odd = NotebookRun(notebook: run.notebook, records: records, parameters: run.parameters, seconds: 0)
        let out = dir + "/deep/out"
        var writer = DocumentWriter(directory: out)
        writer.footer = false
        let written = try writer.write(odd)
        #expect(written.files.allSatisfy { !$0.contains("/") && !$0.hasPrefix(".") })
        #expect(written.files.contains("___escape-1.png") && written.files.contains("a_b-1.png") && written.files.contains("__-1.png"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/deep") == ["out"])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["small.mi", "deep", ".mi-cache"])
    }

    @Test(arguments: ["id=a/b", "id=..", "id=x.y", "id=tab\there", "id=" + String(repeating: "x", count: 101), "id=é",
                      "id=", "id", "=", "=x", "id=a id=b"])
    func parserRefusesIdsThatAreNotPlainNames(_ options: String) {
        let text = "```mi \(options)\nprint 1\n```\n"
        #expect(throws: NotebookParser.Failure.self) { _ = try NotebookParser.parse(text, path: "nb.mi") }
    }

    /// `...mi` would render into `Figures/..`, `.mi` into `Figures/` itself.
    @Test(arguments: ["...mi", "..mi", ".mi", "..md"])
    func notebookNamesThatAreNotFoldersAreRefused(_ file: String) throws {
        let dir = temporaryDirectory("badname")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("# x\n".utf8).write(to: URL(fileURLWithPath: dir + "/" + file))
        #expect(throws: NotebookParser.Failure.self) { _ = try NotebookParser.load(dir + "/" + file) }
    }
}
