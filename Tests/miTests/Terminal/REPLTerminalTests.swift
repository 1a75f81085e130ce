import Foundation
import Testing

/// The REPL driven through a terminal (tmux): completion, history,
/// continuation lines, Ctrl-C and Ctrl-D, errors. Run `swift build` (or
/// `swift test`, which builds `mi` first); see `Executable` for where the
/// binary is looked up.
@Suite("REPL on a terminal", .serialized, .enabled(if: TmuxREPL.isAvailable, "needs tmux and a built mi"))
struct REPLTerminalTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    private func start(history: String = "history") throws -> TmuxREPL {
        try TmuxREPL(history: directory.path(history), workingDirectory: directory.url.path)
    }

    @Test func tabAfterEstimatorOffersItsOptions() throws {
        let repl = try start()
        try repl.type("estimate nce ba")
        try repl.press("Tab", "Tab")
        let screen = try repl.wait("the options beginning with ba") { $0.contains("batch=") && $0.contains("baseline=") }
        #expect(screen.contains("mi> estimate nce ba"))
        try repl.type("tc")
        try repl.press("Tab")
        try repl.wait("batch= completed") { $0.hasSuffix("mi> estimate nce batch=") }
    }

    @Test func tabCompletesCriticNamesAndResultFields() throws {
        let repl = try start()
        try repl.type("estimate nce critic=con")
        try repl.press("Tab")
        try repl.wait("critic=concat") { $0.hasSuffix("mi> estimate nce critic=concat") }
        try repl.press("C-u")
        try repl.enter("r = estimate nce critic=optimal steps=3")
        try repl.type("print r.fin")
        try repl.press("Tab")
        try repl.wait("r.final") { $0.hasSuffix("mi> print r.final") }
        try repl.press("Enter")
        try repl.waitForPrompts(3)
        try repl.type("estimate n")
        try repl.press("Tab", "Tab")
        try repl.wait("estimators beginning with n") { $0.contains("nce") && $0.contains("nwj") }
    }

    @Test func historyIsKeptAcrossRuns() throws {
        do {
            let first = try start(history: "shared-history")
            try first.enter("remembered = 12345")
            try first.press("C-d")
            #expect(try first.exitStatus() == 0)
        }
        let second = try start(history: "shared-history")
        try second.press("Up")
        try second.wait("the previous session's line") { $0.hasSuffix("mi> remembered = 12345") }
        let saved = try String(contentsOfFile: directory.path("shared-history"), encoding: .utf8)
        #expect(saved.contains("remembered = 12345"))
    }

    @Test func ctrlCStopsARunningEstimateAndKeepsTheSession() throws {
        let repl = try start()
        try repl.enter("keep = 7")
        try repl.type("estimate nce critic=concat steps=100000")
        try repl.press("Enter")
        try repl.waitFor("steps/s")   // the progress line: training has started
        let pressed = Date()
        try repl.press("C-c")
        try repl.press("C-c")         // a second Ctrl-C while stopping must not kill mi
        let screen = try repl.waitForPrompts(3, timeout: 10)
        let seconds = Date().timeIntervalSince(pressed)
        #expect(seconds < 5, "took \(seconds) s to stop")
        #expect(screen.contains("(interrupted)"))
        #expect(screen.contains("  estimate "), "the partial summary")
        #expect(!screen.contains("(Ctrl-C stops)"), "the progress line is erased")
        #expect(try repl.enter("print 1 + 1").hasSuffix("\n2\nmi>"))
        #expect(try repl.enter("print keep").hasSuffix("\n7\nmi>"))
    }

    @Test func ctrlCAtThePromptAbandonsTheLine() throws {
        let repl = try start()
        try repl.type("print 99")
        try repl.waitFor("mi> print 99")
        try repl.press("C-c")
        try repl.waitForPrompts(2)
        try repl.enter("print [1,")
        try repl.press("C-c")
        let screen = try repl.waitForPrompts(4)
        #expect(screen.hasSuffix("...>\nmi>") || screen.hasSuffix("...> ^C\nmi>"))
        #expect(try repl.enter("print 5").hasSuffix("mi> print 5\n5\nmi>"))
        #expect(!(try repl.screen()).contains("99\n"))
    }

    @Test func openBracketContinuesOnTheNextLine() throws {
        let repl = try start()
        let screen = try repl.enter("print [1,")
        #expect(screen.hasSuffix("mi> print [1,\n...>"))
        #expect(try repl.enter("2]").hasSuffix("...> 2]\n[1, 2]\nmi>"))
        try repl.enter("x = 1 + \\")
        #expect(try repl.enter("41").hasSuffix("mi>"))
        #expect(try repl.enter("print x").hasSuffix("\n42\nmi>"))
    }

    @Test func anErrorIsShownAndTheLoopGoesOn() throws {
        let repl = try start()
        let screen = try repl.enter("print nosuch")
        #expect(screen.contains("<repl>:1:7: error: unknown name 'nosuch'"))
        #expect(screen.contains("  print nosuch\n        ^"))
        let next = try repl.enter("print 2 *\\")
        #expect(next.hasSuffix("...>"))
        let multi = try repl.enter("  bogus")
        #expect(multi.contains("<repl>:3:3: error: unknown name 'bogus'"))
        #expect(try repl.enter("print 2 * 3").hasSuffix("\n6\nmi>"))
    }

    @Test func varsResetAndLoad() throws {
        let repl = try start()
        try repl.enter("x = 3")
        try repl.enter("r = estimate nce critic=optimal steps=3")
        let vars = try repl.enter(":vars")
        #expect(vars.contains("x  whole number  3"))
        #expect(vars.contains("r  result") && vars.contains("nce "))
        #expect(try repl.enter(":reset").contains("session reset"))
        #expect(try repl.enter(":vars").hasSuffix("no variables yet (x = 2 defines one)\nmi>"))
        #expect(try repl.enter("print x").contains("unknown name 'x'"))

        try directory.write("program.mi", "a = 2\nb = a * 21   # a comment\n")
        try repl.enter(":load program.mi")
        #expect(try repl.enter("print b").hasSuffix("\n42\nmi>"))
        try directory.write("notebook.md", """
            # A notebook

            ```mi
            c = 10
            ```

            Prose, then code in another language (not run):

            ```python
            print("no")
            ```

            ~~~ mi id=second
            print c + 1
            ~~~
            """)
        let loaded = try repl.enter(":load notebook.md")
        #expect(loaded.hasSuffix(":load notebook.md\n11\nmi>"))
        try directory.write("broken.md", "text\n\n```mi\nprint missing\n```\n")
        #expect(try repl.enter(":load broken.md").contains("broken.md:4:7: error: unknown name 'missing'"))
        #expect(try repl.enter(":load nowhere.mi").contains("cannot load 'nowhere.mi': no such file"))
    }

    @Test func ctrlDOnAnEmptyLineExitsWithStatusZero() throws {
        let repl = try start()
        try repl.enter("print 1")
        try repl.press("C-d")
        #expect(try repl.exitStatus() == 0)
    }

    @Test func quitLeavesAndUnknownCommandsSuggest() throws {
        let repl = try start()
        #expect(try repl.enter(":vras").contains("unknown command ':vras'; did you mean ':vars'?"))
        try repl.type(":quit")
        try repl.press("Enter")
        #expect(try repl.exitStatus() == 0)
    }
}
