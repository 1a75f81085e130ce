import Foundation
import MILanguage
import Testing
import MINotebook
@testable import mi

/// When the REPL asks for another line: decided by the lexer.
@Suite struct ContinuationTests {
    private func status(_ text: String) -> Continuation.Status { Continuation.status(of: text) }

    @Test func openBracketsContinue() {
        #expect(status("print [1,") == .needsMore(.openBracket))
        #expect(status("x = log(") == .needsMore(.openBracket))
        #expect(status("estimate [nwj,\n  nce") == .needsMore(.openBracket))
        #expect(status("print [1,\n2]") == .complete)
        #expect(status("print [1, (2 + 3)]") == .complete)
    }

    @Test func bracketsInStringsAndCommentsDoNotCount() {
        #expect(status("print \"[(\"") == .complete)
        #expect(status("x = 1  # open ( here") == .complete)
    }

    @Test func trailingBackslashContinues() {
        #expect(status("x = 1 + \\") == .needsMore(.trailingBackslash))
        #expect(status("x = 1 + \\   ") == .needsMore(.trailingBackslash))
        #expect(status("x = 1 + \\\n  2") == .complete)
        #expect(status("x = 1 + \\\n") == .complete, "an empty line after the backslash ends the statement")
        #expect(status("x = 1  # a comment \\") == .complete)
        #expect(status("\\") == .needsMore(.trailingBackslash))
    }

    @Test func errorsMoreLinesCannotFixAreSubmitted() {
        // Strings cannot span lines, so an unterminated one is an error now.
        #expect(status("print \"abc") == .complete)
        #expect(status("print [\"abc") == .complete)
        #expect(status("print [1, 2 $") == .complete)
    }

    @Test func ordinaryInputIsComplete() {
        #expect(status("") == .complete)
        #expect(status("print 1 + 1") == .complete)
        #expect(status("print 1 ]") == .complete)
    }
}

@Suite struct HistoryFileTests {
    @Test func entriesRoundTripThroughTheEscapes() {
        for entry in ["print [1,\n2]", "x = 1 \\\n + 2", "print \"a\\nb\"", "plain", "\\", "ends with \\n"] {
            #expect(HistoryFile.decode(HistoryFile.encode(entry)) == entry)
            #expect(!HistoryFile.encode(entry).contains("\n"))
        }
    }

    @Test func appendsLoadsDropsRepeatsAndBounds() throws {
        let directory = try TemporaryDirectory()
        let file = HistoryFile(path: directory.path("h"), limit: 3)
        #expect(file.load() == [])
        for entry in ["a", "b", "b", "c\nd", "e"] { file.append(entry) }
        #expect(file.load() == ["b", "c\nd", "e"])
        for entry in ["f", "g", "h"] { file.append(entry) }
        #expect(file.load() == ["f", "g", "h"])
        let lines = try String(contentsOfFile: directory.path("h"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3, "a file past twice the limit is cut back")
    }

    @Test func pathFromTheEnvironment() {
        #expect(HistoryFile.defaultPath(environment: ["MI_HISTORY": "/tmp/h", "HOME": "/home/u"]) == "/tmp/h")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.mi_history")
        #expect(HistoryFile.defaultPath(environment: ["MI_HISTORY": "", "HOME": "/home/u"]) == nil)
        HistoryFile(path: nil).append("nothing happens")
    }
}

/// `:load` reads notebooks with MINotebook's parser, as `mi run` does.
@Suite struct ProgramLoaderTests {
    let notebook = """
        # Title
        ```mi
        a = 1
        b = 2
        ```
        prose
        ```python
        no = 1
        ```
          ````mi id=fig2 cache=false
          print a
          ```
          still code
          ````
        ~~~
        not mi
        ~~~
        ~~~ mi
        last = 3
        ~~~
        """

    @Test func cellsWithTheirLines() throws {
        let cells = try #require(try ProgramLoader.sources(name: "n.md", text: notebook, isMarkdown: true))
        #expect(cells == [
            SourceFile(name: "n.md", text: "a = 1\nb = 2", firstLine: 3),
            SourceFile(name: "n.md", text: "print a\n```\nstill code", firstLine: 11),
            SourceFile(name: "n.md", text: "last = 3", firstLine: 19),
        ])
        // The same cells as `mi run` sees.
        let parsed = try NotebookParser.parse(notebook, path: "n.md")
        #expect(cells == parsed.cells.map { $0.source(in: parsed) })
    }

    @Test func programsAndProse() throws {
        let program = try #require(try ProgramLoader.sources(name: "p.mi", text: "a = 1\n", isMarkdown: false))
        #expect(program == [SourceFile(name: "p.mi", text: "a = 1\n")])
        #expect(try ProgramLoader.sources(name: "e.md", text: "just prose", isMarkdown: true) == nil)
        #expect(try ProgramLoader.sources(name: "m.mi", text: "```mimic\nx\n```", isMarkdown: false)?.count == 1)
    }

    /// What `mi run` refuses, `:load` refuses with the same message (it
    /// used to run an unclosed cell to the end of the file).
    @Test func malformedNotebooksAreRefusedAsByRun() {
        for text in ["```mi\nunclosed = 3\n", "```mi id=a/b\nx = 1\n```\n", "```mi id=a\n```\n```mi id=a\n```\n"] {
            var runMessage = "", loadMessage = ""
            do { _ = try NotebookParser.parse(text, path: "n.mi") } catch { runMessage = "\(error)" }
            do { _ = try ProgramLoader.sources(name: "n.mi", text: text, isMarkdown: false) } catch { loadMessage = "\(error)" }
            #expect(!runMessage.isEmpty && runMessage == loadMessage, "\(text)")
        }
    }
}

@Suite struct MetaCommandTests {
    @Test func parsing() {
        #expect(MetaCommand.parse("print 1") == nil)
        #expect(MetaCommand.parse(":help") == .help)
        #expect(MetaCommand.parse("  :vars  ") == .vars)
        #expect(MetaCommand.parse(":reset") == .reset)
        #expect(MetaCommand.parse(":q") == .quit)
        #expect(MetaCommand.parse(":load  notebooks/tour.mi ") == .load(path: "notebooks/tour.mi"))
        #expect(MetaCommand.parse(":load \"my file.mi\"") == .load(path: "my file.mi"))
        guard case .invalid(let message)? = MetaCommand.parse(":lod x") else { Issue.record("not invalid"); return }
        #expect(message.contains("did you mean ':load'?"))
        guard case .invalid? = MetaCommand.parse(":load") else { Issue.record("a file is needed"); return }
    }

    @Test func variableListing() {
        var environment = Environment()
        #expect(VariableListing(environment: environment).text.hasPrefix("no variables"))
        environment.values = ["steps": .number(2000), "name": .string("run"), "xs": .list((1...20).map { .number(Double($0)) })]
        environment.types = ["steps": .integer, "name": .string, "xs": .list(.number)]
        environment.parameters = ["steps": .number(2000)]
        let lines = VariableListing(environment: environment).text.split(separator: "\n").map(String.init)
        #expect(lines == [
            "  name   string               \"run\"",
            "  steps  param, whole number  2000",
            "  xs     list of numbers      [1, 2, 3, 4, 5, 6, ... (20 values)]",
        ])
    }
}
