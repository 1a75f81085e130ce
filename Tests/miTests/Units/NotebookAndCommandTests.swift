import MILanguage
import Testing
@testable import mi

@Suite struct NotebookCellsTests {
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
        ```mi
        unclosed = 3
        """

    @Test func cellsWithTheirLines() {
        let cells = NotebookCells.cells(in: notebook)
        #expect(cells == [
            .init(code: "a = 1\nb = 2", firstLine: 3),
            .init(code: "print a\n```\nstill code", firstLine: 11),
            .init(code: "unclosed = 3", firstLine: 19),
        ])
        #expect(NotebookCells.isNotebook(notebook))
        #expect(!NotebookCells.isNotebook("a = 1\nprint a\n"))
        #expect(!NotebookCells.isNotebook("```mimic\nx\n```"))
    }

    @Test func loaderSources() throws {
        let program = try #require(ProgramLoader.sources(name: "p.mi", text: "a = 1\n", isMarkdown: false))
        #expect(program == [SourceFile(name: "p.mi", text: "a = 1\n")])
        let cells = try #require(ProgramLoader.sources(name: "n.md", text: notebook, isMarkdown: true))
        #expect(cells.map(\.firstLine) == [3, 11, 19])
        #expect(ProgramLoader.sources(name: "e.md", text: "just prose", isMarkdown: true) == nil)
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
