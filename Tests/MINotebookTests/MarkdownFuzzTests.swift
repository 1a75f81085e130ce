import Foundation
import Testing
@testable import MILanguage
@testable import MINotebook

/// SplitMix64 (Steele, Lea, Flood 2014): a fixed seed gives the same cases on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random Markdown-ish notebooks through the notebook parser, the Markdown
/// document and cmark-gfm's HTML page: nothing crashes (Ink, the library
/// before, crashed on an empty document and on an unclosed `---`), and no
/// string of the notebook becomes markup it did not write as Markdown.
@Suite struct MarkdownFuzzTests {
    /// Pieces that matter to Markdown parsers: fences, front matter, tables,
    /// lists, HTML, links, escapes, odd whitespace and non-ASCII text.
    static let pieces = [
        "---", "***", "```", "```mi", "```mi id=a", "```mi id=b cache=false", "~~~", "~~~ mi", "````", "```python",
        "# ", "## ", "###### ", "=====", "| a | b |", "|---|:-:|", "| 1 | 2 |", "|", "* ", "- ", "+ ", "1. ", "99999999999. ",
        "> ", ">>", "<div>", "</div>", "<script>alert(1)</script>", "<!--", "-->", "<img src=x onerror=alert(1)>",
        "[a]", "[a]: http://x", "![x](y.png)", "[l](javascript:alert(1))", "<http://a.b>", "www.example.com",
        "**", "__", "*", "_", "~~", "`", "``", "\\", "&amp;", "&#0;", "&#x110000;", "- [ ] ", "- [x] ",
        "[^1]", "[^1]: note", "\t", "    ", "  ", "\r", "\u{0B}", "\u{FEFF}", "é", "日本語", "🙂", "\u{200B}",
        "print 1", "x = 2", "let y = [1, 2", "plot r", "\"unterminated", "{mi}", "{", "}",
    ]

    static func document(_ rng: inout SplitMix64) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
            text += pieces.randomElement(using: &rng)!
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: text += "\n"
            case 1: text += " "
            case 2: text += "\n\n"
            default: break
            }
        }
        return text
    }

    /// A run of the notebook as the runner could have left it, without
    /// running code: each cell ran, failed, was skipped or interrupted,
    /// with text outputs and a table built from the same pieces.
    static func run(of notebook: Notebook, _ rng: inout SplitMix64) -> NotebookRun {
        let records = notebook.cells.map { cell -> CellRecord in
            let statuses: [CellRecord.Status] = [.ran, .cached, .failed, .skipped, .interrupted]
            var record = CellRecord(cell: cell, status: statuses.randomElement(using: &rng)!)
            let piece = { (rng: inout SplitMix64) in pieces.randomElement(using: &rng)! + pieces.randomElement(using: &rng)! }
            record.outputs = [.text(piece(&rng)), .value(.string(piece(&rng))),
                              .table(TableValue(columns: [piece(&rng), "b"], rows: [[.string(piece(&rng)), .number(.nan)]], results: []))]
            if record.status == .failed || record.status == .skipped { record.error = piece(&rng) }
            return record
        }
        return NotebookRun(notebook: notebook, records: records, parameters: [:], seconds: 0)
    }

    @Test func randomNotebooksNeverCrashTheDocumentWriter() {
        var rng = SplitMix64(state: 2024)
        var parsed = 0
        // MI_MARKDOWN_FUZZ_CASES=100000 for a longer run by hand.
        let cases = ProcessInfo.processInfo.environment["MI_MARKDOWN_FUZZ_CASES"].flatMap { Int($0) } ?? 2000
        for _ in 0..<cases {
            let text = Self.document(&rng)
            // The raw text as a page, as if it were a document.
            let direct = HTMLDocument.html(markdown: text, title: "fuzz")
            #expect(direct.hasPrefix("<!DOCTYPE html>") && direct.hasSuffix("</html>\n"))
            guard let notebook = try? NotebookParser.parse(text, path: "fuzz.mi") else { continue }
            parsed += 1
            var document = MarkdownDocument()
            document.footer = "a footer with <b>tags</b>"
            let markdown = document.markdown(for: Self.run(of: notebook, &rng))
            let html = HTMLDocument.html(markdown: markdown, title: notebook.name)
            // Raw HTML is left out (cmark-gfm's safe mode): no script or event handler survives.
            // (Escaped, as `&lt;script&gt;`, the text may stay.)
            #expect(!html.contains("<script") && !html.contains("<img src=x") && !html.contains("<div>"))
            #expect(!html.contains("href=\"javascript:"))
            #expect(html.hasSuffix("</html>\n"))
        }
        #expect(parsed > 500, "most cases should reach the document writer")
    }

    /// Code and outputs holding fences, table cells holding `|` and newlines,
    /// and a figure title holding `]` keep to their own blocks.
    @Test func userStringsStayInTheirBlocks() throws {
        let text = "# T\n\n````mi id=a\nprint 1\n```\nstill code\n````\n"
        let notebook = try NotebookParser.parse(text, path: "t.mi")
        var record = CellRecord(cell: notebook.cells[0], status: .ran)
        record.outputs = [.text("```\n# not a heading\n```"),
                          .table(TableValue(columns: ["a|b", "c"], rows: [[.string("x\ny|z\\"), .number(1)]], results: []))]
        let run = NotebookRun(notebook: notebook, records: [record], parameters: [:], seconds: 0)
        let figure = DocumentFigure(image: "a-1.png", alt: "a ] b [c](d)\nnext", files: [])
        let markdown = MarkdownDocument(figures: ["a": [figure]]).markdown(for: run)
        let html = HTMLDocument.html(markdown: markdown, title: "t")
        #expect(html.contains("<pre><code class=\"language-mi\">print 1\n```\nstill code\n</code></pre>"))
        #expect(html.contains("<pre><code class=\"language-text\">```\n# not a heading\n```\n</code></pre>"))
        #expect(!html.contains("<h1>not a heading"))
        #expect(html.contains("<th>a|b</th>") && html.contains("<td>x y|z\\</td>"))
        #expect(html.contains("<img src=\"a-1.png\" alt=\"a ] b [c](d) next\" />"))
    }

    @Test func pageTitleComesFromTheFirstHeading() {
        #expect(HTMLDocument.html(markdown: "prose\n\n# The `mi` tour\n\n## Later\n", title: "tour").contains("<title>The mi tour</title>"))
        #expect(HTMLDocument.html(markdown: "no heading\n", title: "x<y").contains("<title>x&lt;y</title>"))
        #expect(HTMLDocument.html(markdown: "# a <b> & c\n", title: "t").contains("<title>a &amp; c</title>"))
        let table = HTMLDocument.html(markdown: "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ www.example.com\n", title: "t")
        #expect(table.contains("<table>") && table.contains("<del>gone</del>") && table.contains("href=\"http://www.example.com\""))
    }
}
