import Foundation
import Testing
@testable import MIPlot

@Suite struct EscapingTests {
    @Test func labelsBecomeSingleQuotedLiterals() {
        #expect(GnuplotText.quoted("log_k") == "'log_k'")
        #expect(GnuplotText.quoted("it's") == "'it''s'")
        #expect(GnuplotText.quoted(#"a "b" \ c"#) == #"'a "b" \ c'"#)
        #expect(GnuplotText.quoted("`rm -rf` @macro $1") == "'`rm -rf` @macro $1'")
        #expect(GnuplotText.quoted("two\nlines") == #"'two' . "\n" . 'lines'"#)
        #expect(GnuplotText.quoted("crlf\r\nend") == #"'crlf' . "\n" . 'end'"#)
        #expect(GnuplotText.quoted("tab\tbell\u{7}") == "'tab bell'")
        #expect(GnuplotText.quoted("αβ ≥ ü") == "'αβ ≥ ü'")
        #expect(GnuplotText.quoted("") == "''")
    }

    @Test func commentsStayOnOneLineWithoutContinuation() {
        #expect(GnuplotText.comment("a\nb") == "a b")
        #expect(GnuplotText.comment("ends with \\\\") == "ends with ")
    }

    @Test func numbersAreShortAndExact() {
        #expect(GnuplotText.number(2) == "2")
        #expect(GnuplotText.number(-0.0) == "0")
        #expect(GnuplotText.number(0.1) == "0.1")
        #expect(GnuplotText.number(Double(Float(2.345678))) == "2.345678")
        #expect(GnuplotText.number(1e-5) == "1e-05")
        #expect(GnuplotText.number(4000) == "4000")
        #expect(GnuplotText.number(.nan) == "NaN")
        #expect(GnuplotText.number(-.infinity) == "NaN")
        for v in [0.1, 1.0 / 3, 2.718281828459045, 1e300, -7.25e-12] {
            #expect(Double(GnuplotText.number(v)) == v)
        }
    }

    /// Quotes, backslashes (also at the end of a label), underscores,
    /// carets, braces, `@`, backquotes, a newline and non-ASCII text render
    /// without gnuplot errors and print literally.
    @Test func awkwardLabelsRenderLiterally() throws {
        let scratch = try Scratch("escape")
        defer { scratch.remove() }
        try FigureRenderer(directory: scratch.url).render(Fixtures.awkwardLabels, name: "awkward", formats: [.svg, .png])
        let svg = try #require(FileChecks.parseXML(try Data(contentsOf: scratch.file("awkward.svg"))))
        // The backquoted command is printed, not run; `@data` is not expanded.
        for literal in ["log_k \\", "it's \"quoted\" \\ back\\slash `echo pwned` @data $1 %s",
                        "log_k and x^2 {braces} ~tilde & amp", "I(X;Y) ≥ 0 — nats, αβγ, é ñ ü",
                        "tab here 'single'", "1 + log(K/α)", "Title with _underscores_ and ^carets^ \\"] {
            #expect(svg.text.contains(literal), "missing from the SVG: \(literal)")
        }
        #expect(PNGHeader.size(of: try Data(contentsOf: scratch.file("awkward.png"))) != nil)
    }

    @Test func dumbTextKeepsUnderscoresAndCarets() throws {
        let text = try FigureRenderer.dumb(Fixtures.awkwardLabels, width: 120, height: 40)
        #expect(text.contains("log_k and x^2 {braces}"))
        #expect(text.contains("_underscores_"))
    }

    @Test func figureAndFileNamesAreChecked() {
        for bad in ["", ".hidden", "a/b", "../x", "with space", "quote'", "ü"] {
            #expect(throws: PlotError.invalidName(bad)) { try GnuplotScript(figure: Fixtures.heatMap, name: bad) }
        }
        #expect(throws: Never.self) { try GnuplotScript(figure: Fixtures.heatMap, name: "fig2_a-b.v1") }
    }
}
