import Foundation
import Testing
import MIEngine
import MILanguage
@testable import MINotebook

/// The run cache recomputes exactly what changed, and never replays what it
/// cannot vouch for.
@Suite(.serialized) struct CacheTests {
    /// small.mi holds one estimate, one sweep of 4 runs: 5 runs.
    static let runs = 5

    @Test func secondRunReplaysEveryRun() throws {
        let dir = temporaryDirectory("cache")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        let first = try runNotebook(path)
        #expect(first.computedRuns == Self.runs && first.replayedRuns == 0)
        #expect(first.records.allSatisfy { $0.seconds > 0 }, "every cell records its time")
        let second = try runNotebook(path)
        #expect(second.computedRuns == 0 && second.replayedRuns == Self.runs)
        #expect(second.cachedCount == 2, "the estimate and the sweep replay all their runs")
        // A replayed run keeps the time it took when it ran (the document's footer sums them).
        for (a, b) in zip(first.records, second.records) where a.runs.computed > 0 {
            #expect(b.runs.replayedSeconds == a.runs.computeSeconds)
        }
        // Replayed outputs are the outputs.
        #expect(MarkdownDocument().markdown(for: first) == MarkdownDocument().markdown(for: second))
    }

    @Test func editingProsePlotsAndClaimsRecomputesNothing() throws {
        let dir = temporaryDirectory("prose")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        _ = try runNotebook(path)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "Prose before the first cell.", with: "Different prose,\nover two lines.")
        text = text.replacingOccurrences(of: "let k = 32", with: "let k = 32   # a comment and spacing")
        text = text.replacingOccurrences(of: "title=\"nce with the optimal critic\"", with: "title=\"renamed\"")
        text = text.replacingOccurrences(of: "expect r.final <= log(k)", with: "expect r.final <= log(k) + 1")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let again = try runNotebook(path)
        #expect(again.computedRuns == 0 && again.replayedRuns == Self.runs)
        #expect(again.failed.isEmpty)
    }

    @Test func changingAParameterRecomputesOnlyTheRunsThatReadIt() throws {
        let dir = temporaryDirectory("param")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        _ = try runNotebook(path)
        let changed = try runNotebook(path, overrides: ["steps": .number(30)])
        #expect(changed.records.first { $0.cell.id == "estimate" }?.runs.computed == 1)
        #expect(changed.records.first { $0.cell.id == "sweep" }?.runs.replayed == 4)
        #expect(changed.computedRuns == 1)
    }

    @Test func aSweepWithOneMoreValueComputesOnlyTheNewRuns() throws {
        let dir = temporaryDirectory("sweep")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        _ = try runNotebook(path)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "batch=[8, 16]", with: "batch=[8, 16, 24]")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let again = try runNotebook(path)
        #expect(again.computedRuns == 2 && again.replayedRuns == 5)
    }

    @Test func noCacheRecomputesEverything() throws {
        let dir = temporaryDirectory("nocache")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        _ = try runNotebook(path)
        #expect(try runNotebook(path, noCache: true).computedRuns == Self.runs)
    }

    // MARK: Entries that must not replay

    /// Every entry in the store's folder.
    private func entries(_ dir: String) throws -> [String] {
        let runs = dir + "/.mi-cache/runs"
        return try FileManager.default.contentsOfDirectory(atPath: runs).filter { $0.hasSuffix(".run") }.map { runs + "/" + $0 }
    }

    @Test func anotherBuildsEntriesAreNotReplayed() throws {
        let dir = temporaryDirectory("build")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("small.mi", into: dir)
        let nb = try NotebookParser.load(path)
        _ = NotebookRunner(notebook: nb, cache: RunStore(directory: dir + "/.mi-cache/runs", build: "older-build")).run()
        #expect(try entries(dir).count == Self.runs)
        // The same notebook on this build: all recomputed, nothing from the older build replayed.
        let now = try runNotebook(path)
        #expect(now.computedRuns == Self.runs && now.replayedRuns == 0)
    }

    @Test func anEntryCopiedUnderAnotherBuildsNameIsRejected() throws {
        // An older build's entry renamed to this build's digest: the header names its build.
        let dir = temporaryDirectory("renamed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = RunStore(directory: dir, build: "older-build"), now = RunStore(directory: dir, build: "this-build")
        let key = RunKey(verb: "estimate", parts: [("x", "1")], summary: "test")
        old.store(CachedRun(value: .number(1), seconds: 1), for: key)
        try FileManager.default.moveItem(atPath: old.path(for: key), toPath: now.path(for: key))
        #expect(now.load(key) == nil)
        #expect(now.rejected == 1)
    }

    @Test func tamperedTruncatedOrForeignEntriesAreMisses() throws {
        let dir = temporaryDirectory("tamper")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = RunStore(directory: dir, build: "b")
        let key = RunKey(verb: "estimate", parts: [("mi", "2")], summary: "test")
        store.store(CachedRun(value: .number(0.5), seconds: 2), for: key)
        #expect(store.load(key)?.value.keyText == "0.5")
        let path = store.path(for: key)
        let original = try String(contentsOfFile: path, encoding: .utf8)

        // A number edited in place (same length): the checksum no longer matches.
        try original.replacingOccurrences(of: "0.5", with: "0.9").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(store.load(key) == nil)
        // Truncated.
        try String(original.prefix(original.count - 3)).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(store.load(key) == nil)
        // Another key's entry under this key's name (its checksum is intact).
        let other = RunKey(verb: "estimate", parts: [("mi", "3")], summary: "test")
        store.store(CachedRun(value: .number(7), seconds: 2), for: other)
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: store.path(for: other), toPath: path)
        #expect(store.load(key) == nil)
        // Garbage.
        try "not an entry".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(store.load(key) == nil)
        #expect(store.rejected == 4)
        // The intact entry still replays.
        #expect(store.load(other)?.value.keyText == "7")
    }

    @Test func expectIsCheckedAgainstReplayedNumbersNotReplayedAsOK() throws {
        // A store that answers every run with a result whose estimate is far
        // below any truth: the notebook's claims must see it and fail.
        let dir = temporaryDirectory("expect")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/claims.mi"
        try """
            ```mi
            r = estimate nce critic=optimal batch=16 steps=50 data=gaussian(dim=2, mi=1)
            expect r.final > 0.5
            ```
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let honest = try runNotebook(path)
        #expect(honest.failed.isEmpty, "the claim holds for the real numbers")
        // Rewrite the entry as a wrong build of mi might have computed it: a
        // valid entry (fresh checksum) for the same key, with the trace negated.
        let store = RunStore.beside(try NotebookParser.load(path))
        let file = try entries(dir)[0]
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let payload = data[(data.indices.filter { data[$0] == 0x0A }[3] + 1)...]
        var entry = try RunStore.decoder.decode(RunStore.Entry.self, from: Data(payload))
        guard case .result(let r) = entry.value else { Issue.record("not a result"); return }
        var trace = r.trace
        for i in trace.steps.indices { trace.steps[i].estimate = -abs(trace.steps[i].estimate) - 1 }
        entry.value = .result(ResultValue(estimator: r.estimator, critic: r.critic, data: r.data, batch: r.batch,
                                          settings: r.settings, trace: trace, tail: r.tail, span: r.span, epoch: r.epoch))
        let newPayload = try RunStore.encoder.encode(entry)
        let header = [RunStore.magic, "digest " + (file as NSString).lastPathComponent.replacingOccurrences(of: ".run", with: ""),
                      "build " + store.build, "checksum " + ContentDigest.of([UInt8](newPayload))].joined(separator: "\n") + "\n"
        try (Data(header.utf8) + newPayload).write(to: URL(fileURLWithPath: file))
        let replayed = try runNotebook(path)
        #expect(replayed.replayedRuns == 1)
        #expect(replayed.failed.count == 1, "the expect is evaluated on the replayed numbers and fails")
        #expect(replayed.failed.first?.error?.contains("expect r.final > 0.5") == true)
    }

    @Test func theBuildIdentityIsTheExecutablesDigest() {
        #expect(BuildIdentity.digest == BuildIdentity.digest)
        #expect(BuildIdentity.digest.count == 32 && BuildIdentity.digest.allSatisfy(\.isHexDigit),
                "the test executable was read")
    }

    @Test func aDataFileWithNewContentsRecomputesItsRuns() throws {
        let dir = temporaryDirectory("datafile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func writeCSV(_ scale: Double) throws {
            let rows = (0..<200).map { i -> String in
                let x = Double(i % 17) / 17, y = x * scale + Double(i % 5) / 10
                return String(format: "%.6f,%.6f", x, y)
            }
            // Same size each time (fixed digits): the digest of the bytes tells them apart.
            try (["x,y"] + rows).joined(separator: "\n").write(toFile: dir + "/pairs.csv", atomically: true, encoding: .utf8)
        }
        try writeCSV(1)
        let path = dir + "/files.mi"
        try """
            ```mi
            r = estimate nce batch=16 steps=20 hidden=[8] embed=4 data=csv("pairs.csv", x=["x"], y=["y"])
            ```
            """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try runNotebook(path).computedRuns == 1)
        #expect(try runNotebook(path).replayedRuns == 1, "the same bytes replay")
        let before = try FileManager.default.attributesOfItem(atPath: dir + "/pairs.csv")[.size] as? Int
        try writeCSV(2)
        #expect(try FileManager.default.attributesOfItem(atPath: dir + "/pairs.csv")[.size] as? Int == before)
        let changed = try runNotebook(path)
        #expect(changed.computedRuns == 1 && changed.replayedRuns == 0, "new bytes at the same path recompute")
    }
}
