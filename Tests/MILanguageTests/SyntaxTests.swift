import Foundation
import XCTest
import MILanguage

/// Focused checks of fixes found while writing the golden and fuzz tests.
final class SyntaxTests: XCTestCase {
    private func diagnostics(_ text: String, firstLine: Int = 1) -> [Diagnostic] {
        Session(observer: CollectingObserver()).check(SourceFile(name: "t.mi", text: text, firstLine: firstLine)).diagnostics
    }

    /// "\r\n" is one Character in Swift; it must still end a line.
    func testWindowsLineEndingsCountAsLineBreaks() {
        XCTAssertEqual(diagnostics("let a = 1\r\nprint a\r\n").map(\.message), [])
        let d = diagnostics("print 1\r\nprint zzz\r\n")
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.first?.range?.start, SourceLocation(line: 2, column: 7))
        XCTAssertEqual(d.first?.lineText, "print zzz")
        XCTAssertEqual(SourceFile(name: "t", text: "a\r\nb\nc").lines, ["a", "b", "c"])
    }

    /// `seed` is a keyword, yet also an option and an argument name.
    func testKeywordsMayNameOptionsAndArguments() {
        XCTAssertEqual(diagnostics("estimate nce critic=optimal seed=3 data=cubic(gaussian(mi=1), seed=2)").map(\.message), [])
        XCTAssertEqual(diagnostics("seed = 3").map(\.message), ["'seed' is a reserved word and cannot be used as a name"])
    }

    /// Nesting that would overflow the stack is an error instead.
    func testDeepNestingIsAnErrorNotAStackOverflow() {
        let deep = "print " + String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)
        XCTAssertEqual(diagnostics(deep).first?.message, "too many nested brackets or operators (the limit is 64); split the expression with 'let'")
        let negations = "print " + String(repeating: "-", count: 20_000) + "1"
        XCTAssertEqual(diagnostics(negations).count, 1)
        let chain = "print 1" + String(repeating: " + 1", count: 50_000)
        XCTAssertEqual(diagnostics(chain).first?.message,
                       "expression nested too deeply (more than 128 levels of operators); split it with 'let'")
        let fine = "print " + String(repeating: "(", count: 60) + "1" + String(repeating: ")", count: 60)
        XCTAssertEqual(diagnostics(fine).map(\.message), [])
    }

    /// A cell's errors come in source order, whichever phase found them.
    func testDiagnosticsAreInSourceOrder() {
        let d = diagnostics("print zzz\nprint \"open\nprint 1 +", firstLine: 10)
        XCTAssertEqual(d.compactMap { $0.range?.start.line }, [10, 11, 12])
    }

    /// Unary minus negates (it once returned -0 for every operand).
    func testUnaryMinus() throws {
        let observer = CollectingObserver()
        try Session(observer: observer).run(SourceFile(name: "t.mi", text: "print -3, 2 - -3, -[1, -2]"))
        XCTAssertEqual(observer.outputs.map { Format.text($0) }, ["-3", "5", "[-1, 2]"])
    }

    /// Huge ranges and indices are errors, not Int() traps.
    func testHugeRangesAndIndicesAreErrors() {
        for text in ["print 0..1e300", "x = 1e300\nprint [1][x]", "print [1][-1e300]"] {
            XCTAssertThrowsError(try Session(observer: CollectingObserver()).run(SourceFile(name: "t.mi", text: text)),
                                 text)
        }
    }
}
