import Testing
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
