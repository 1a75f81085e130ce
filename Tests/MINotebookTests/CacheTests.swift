import Foundation
import Testing
import MILanguage
@testable import MINotebook

/// The cache reruns exactly what changed.
@Suite(.serialized) struct CacheTests {
    @Test func secondRunReplaysEverything() throws {
        let dir = temporaryDirectory("cache")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        let first = try runNotebook(path)
        #expect(first.ranCount == 5)
        #expect(first.records.allSatisfy { $0.seconds > 0 }, "every cell that ran records its time")
        let second = try runNotebook(path)
        #expect(second.ranCount == 0)
        #expect(second.cachedCount == 5)
        // A replayed cell keeps the time it took when it ran (the document's footer sums them).
        #expect(zip(first.records, second.records).allSatisfy { $0.seconds == $1.seconds })
        // Replayed outputs are the outputs.
        #expect(MarkdownDocument().markdown(for: first) == MarkdownDocument().markdown(for: second))
    }

    @Test func editingProseRerunsNothing() throws {
        let dir = temporaryDirectory("prose")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        _ = try runNotebook(path)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "Prose before the first cell.", with: "Different prose,\nover two lines.")
        text = text.replacingOccurrences(of: "let k = 32", with: "let k = 32   # a comment and spacing")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let again = try runNotebook(path)
        #expect(again.ranCount == 0)
    }

    @Test func changingAParameterRerunsOnlyItsDependents() throws {
        let dir = temporaryDirectory("param")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        _ = try runNotebook(path)
        let changed = try runNotebook(path, overrides: ["steps": .number(30)])
        // The parameter's cell, the estimate that reads it and the plot of that estimate.
        let ran = changed.records.filter { $0.status == .ran }.map { $0.cell.id }
        #expect(ran == ["cell-1", "estimate", "curve"])
        #expect(changed.cachedCount == 2)
    }

    @Test func noCacheRerunsEverything() throws {
        let dir = temporaryDirectory("nocache")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        _ = try runNotebook(path)
        #expect(try runNotebook(path, noCache: true).ranCount == 5)
    }
}
