import Foundation
import MIPlot
import Testing

/// `mi render` pointed at a folder that holds the user's own files, at a
/// figure gnuplot rejects, and at notebooks the Markdown library once
/// crashed on, driven through the built binary.
@Suite("Render command", .serialized, .enabled(if: Executable.mi != nil, "needs a built mi"))
struct RenderCommandTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    static let notebook = """
        # Figures

        ```mi id=curve
        r = estimate nce critic=optimal batch=8 steps=20 data=gaussian(dim=2, mi=1)
        plot r truth title="the good one"
        ```

        ```mi id=bad
        plot r title="gnuplot rejects this one"
        ```

        ```mi
        print 6 * 7
        ```

        """

    /// Files a researcher might keep beside a document; several look like
    /// figures (`NAME-N.ext`), which the old clean-up deleted.
    static let foreign: [String: String] = [
        "thesis-2024.pdf": "%PDF-1.5 years of work",
        "data-2.dat": "0.1 0.2\n",
        "cell-1-1.png": "a drawing mi did not make",
        "cell-3-2.svg": "<svg/>",
        "figure-7.gp": "plot x\n",
    ]

    private func folderWithForeignFiles(_ name: String) throws -> String {
        let out = directory.path(name)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (file, text) in Self.foreign { try directory.write(name + "/" + file, text) }
        return out
    }

    private func foreignFilesAreIntact(_ out: String) {
        for (file, text) in Self.foreign {
            #expect(FileManager.default.contents(atPath: out + "/" + file) == Data(text.utf8), "\(file) was changed or deleted")
        }
    }

    @Test func foreignFilesSurviveTwoRenders() throws {
        let mi = try #require(Executable.mi)
        let notebook = try directory.write("nb.mi", Self.notebook.replacingOccurrences(of: "```mi id=bad\n", with: "```mi id=also\n"))
        let out = try folderWithForeignFiles("out")
        for round in 1...2 {
            let (status, output) = try Spawn.run(mi, ["render", notebook, "-o", out], capture: true, errors: true)
            #expect(status == 0, "render \(round): \(output)")
            foreignFilesAreIntact(out)
        }
        #expect(FileManager.default.fileExists(atPath: out + "/curve-1.png"))
        #expect(FileManager.default.fileExists(atPath: out + "/also-1.png"))
        // The notebook loses a figure: only that figure's files go.
        try directory.write("nb.mi", Self.notebook.replacingOccurrences(of: "```mi id=bad\nplot r title=\"gnuplot rejects this one\"\n", with: "```mi id=also\nprint 1\n"))
        let (status, _) = try Spawn.run(mi, ["render", notebook, "-o", out], capture: false)
        #expect(status == 0)
        foreignFilesAreIntact(out)
        #expect(!FileManager.default.fileExists(atPath: out + "/also-1.png"))
        #expect(FileManager.default.fileExists(atPath: out + "/curve-1.png"))
    }

    /// A README.md the user wrote is never replaced by a document.
    @Test func aForeignReadmeStopsTheRenderBeforeItRuns() throws {
        let mi = try #require(Executable.mi)
        let notebook = try directory.write("nb.mi", Self.notebook)
        let out = try folderWithForeignFiles("mine")
        try directory.write("mine/README.md", "# My project\n")
        let (status, output) = try Spawn.run(mi, ["render", notebook, "-o", out], capture: true, errors: true)
        #expect(status == 74)
        #expect(output.contains("README.md is already there and no earlier render of this notebook wrote it"), "\(output)")
        #expect(!output.contains("[1/3]"), "the notebook ran although its document could not be written")
        #expect(FileManager.default.contents(atPath: out + "/README.md") == Data("# My project\n".utf8))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out)) == Set(Self.foreign.keys).union(["README.md"]))
    }

    /// `...mi` used to render into `Figures/..`: the folder holding Figures.
    @Test func aNotebookNamedDotDotIsRefused() throws {
        let mi = try #require(Executable.mi)
        let notebook = try directory.write("...mi", "# dots\n\n```mi\nprint 1\n```\n")
        // Run in a folder of its own: the old mi wrote README.md into the folder above Figures.
        try FileManager.default.createDirectory(atPath: directory.path("work"), withIntermediateDirectories: true)
        let (status, output) = try Spawn.run(mi, ["render", notebook], capture: true, errors: true,
                                             directory: directory.path("work"))
        #expect(status == 74)
        #expect(output.contains("leaves '..' as its name"), "\(output)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory.url.path)) == ["...mi", "work"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("work")) == [])
    }

    /// A `gnuplot` on PATH that rejects the figure of cell `bad` and hands
    /// the others to the real gnuplot.
    private func pickyGnuplot() throws -> String? {
        guard let real = ["/usr/bin/gnuplot", "/usr/local/bin/gnuplot"].first(where: FileManager.default.isExecutableFile) else {
            return nil
        }
        let bin = directory.path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let script = try directory.write("bin/gnuplot", """
            #!/bin/sh
            case "$*" in
              *bad-1.gp*) echo '"bad-1.gp" line 12: unknown or ambiguous terminal type' >&2; exit 1 ;;
            esac
            exec \(real) "$@"

            """)
        chmod(script, 0o755)
        return bin
    }

    /// One figure gnuplot rejects fails its cell; the document is written
    /// with the failure in place and the exit code is the cell's (was 74,
    /// with no document).
    @Test func aRejectedFigureFailsItsCellOnly() throws {
        let mi = try #require(Executable.mi)
        let bin = try #require(try pickyGnuplot(), "needs gnuplot")
        let notebook = try directory.write("nb.mi", Self.notebook)
        let out = directory.path("doc")
        let path = "\(bin):" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let (status, output) = try Spawn.run(mi, ["render", notebook, "-o", out], capture: true, errors: true,
                                             environment: ["PATH": path])
        #expect(status == 70, "\(output)")
        #expect(output.contains("figure 1 of cell 'bad' could not be drawn"), "\(output)")
        #expect(output.contains("3 cells, 1 run: 1 computed, 0 replayed from the cache, 1 failed or skipped"), "\(output)")
        let readme = try String(contentsOfFile: out + "/README.md", encoding: .utf8)
        #expect(readme.contains("> **This cell failed.**") && readme.contains("unknown or ambiguous terminal type"))
        #expect(readme.contains("![the good one](curve-1.png)") && readme.contains("42"))
        #expect(PNGHeader.size(atPath: out + "/curve-1.png") != nil)
        #expect(FileManager.default.fileExists(atPath: out + "/index.html"))
    }

    /// Empty notebooks and an unclosed `---` crashed inside the old Markdown library.
    @Test(arguments: ["", "---", "---\n", "---\ntitle: x\n", "\n\n", "# only a title", "| a |\n|---|\n| 1 |\n"])
    func markdownCornersRender(_ text: String) throws {
        let mi = try #require(Executable.mi)
        let notebook = try directory.write("e.mi", text)
        let out = directory.path("e-out")
        let (status, output) = try Spawn.run(mi, ["render", notebook, "-o", out], capture: true, errors: true)
        #expect(status == 0, "\(output)")
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("</html>"))
    }
}
