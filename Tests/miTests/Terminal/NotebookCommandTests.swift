import Foundation
import MIPlot
import Testing

/// `mi render` killed midway and `mi step` on a terminal, driven as a user
/// would drive them (the render through `Spawn`, step through tmux).
@Suite("Notebook commands", .serialized, .enabled(if: Executable.mi != nil, "needs a built mi"))
struct NotebookCommandTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    /// A notebook whose middle cell trains for a long time unless `steps` is overridden.
    static let slow = """
        # A notebook with a slow cell

        ```mi id=quick
        param steps = 200000
        r0 = estimate nce critic=optimal batch=16 steps=50 data=gaussian(dim=2, mi=1)
        plot r0 truth
        ```

        ```mi id=slow
        r = estimate nwj batch=64 steps=steps data=gaussian(dim=20, mi=2) hidden=[64]
        ```

        ```mi id=after
        plot r truth title="after the slow cell"
        ```

        """

    static let three = """
        # Three cells

        ```mi id=a
        let x = 20
        let y = x + 1
        ```

        ```mi id=b
        print y * 2
        ```

        ```mi id=c
        print x - 1
        ```

        """

    /// Killing a render midway leaves no partial figure or document, and the
    /// next render completes and clears what the killed ones staged.
    @Test func killedRenderLeavesNothingHalfWritten() throws {
        let mi = try #require(Executable.mi)
        let notebook = try directory.write("slow.mi", Self.slow)
        let before = try Data(contentsOf: URL(fileURLWithPath: notebook))
        let out = directory.path("out")
        for delay in [0.3, 1.5] {
            let pid = try Spawn.start(mi, ["render", notebook, "-o", out])
            Thread.sleep(forTimeInterval: delay)
            kill(pid, SIGKILL)
            Spawn.wait(pid)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            #expect(!files.contains("README.md") && !files.contains("index.html"), "document written before the slow cell finished")
            for f in files where f.hasSuffix(".png") { #expect(PNGHeader.size(atPath: out + "/" + f) != nil, "\(f) is not a whole PNG") }
            #expect(files.filter { $0.hasSuffix(".tmp") }.isEmpty)
        }
        let (status, _) = try Spawn.run(mi, ["render", notebook, "-o", out, "-p", "steps=20"], capture: false)
        #expect(status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.contains("README.md") && files.contains("index.html"))
        #expect(PNGHeader.size(atPath: out + "/after-1.png") != nil)
        // Only the render's manifest is hidden; no staging is left behind.
        #expect(files.filter { $0.hasPrefix(".") } == [".mi-render.json"], "staging left behind: \(files)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: notebook)) == before, "the notebook was modified")
    }

    /// `mi step` on a pseudo-terminal: Enter runs a statement, `p NAME`
    /// prints, `c` finishes the cell, `q` quits before the next statement.
    @Test(.enabled(if: TmuxREPL.isAvailable, "needs tmux"))
    func stepThroughThreeCells() throws {
        let notebook = try directory.write("three.mi", Self.three)
        let term = try TmuxREPL(history: directory.path("history"), arguments: ["step", notebook],
                                workingDirectory: directory.url.path, waitsForPrompt: false)
        try term.waitFor("three.mi:4: let x = 20")
        try term.press("Enter")
        try term.waitFor("three.mi:5: let y = x + 1")
        try term.type("p x")
        try term.press("Enter")
        try term.waitFor("x = 20")
        try term.press("Enter")
        try term.waitFor("three.mi:9: print y * 2")
        try term.type("c")
        try term.press("Enter")
        try term.waitFor("42")
        try term.waitFor("three.mi:13: print x - 1")
        try term.type("q")
        try term.press("Enter")
        #expect(try term.exitStatus() == 0)
        #expect(!(try term.screen()).contains("\n19"), "q should quit before running the last statement")
    }
}
