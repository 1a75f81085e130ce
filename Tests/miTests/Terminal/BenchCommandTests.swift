import Foundation
import Testing

/// `mi bench --only startup`: one JSON line with the time to the REPL's
/// prompt (measured, not judged: speed belongs to the benchmark).
@Suite("mi bench startup", .enabled(if: Executable.mi != nil, "needs a built mi"))
struct StartupBenchTests {
    @Test func startupLineAndBudget() throws {
        let (status, output) = try Spawn.run(try #require(Executable.mi), ["bench", "--only", "startup"], capture: true)
        #expect(status == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(try #require(lines.first).utf8)) as? [String: Any]
        #expect(object?["bench"] as? String == "startup")
        let ms = try #require(object?["ms_to_prompt"] as? Double)
        #expect(ms > 0)
    }
}

/// `mi bench` on training configurations: one JSON line each after the
/// sgemm peak, every configuration in its own process whose peak memory is
/// its own (not the 48 MiB of the parent's sgemm probe).
@Suite("mi bench training", .enabled(if: Executable.mi != nil, "needs a built mi"))
struct TrainingBenchTests {
    @Test func linesPerConfigurationWithTheirOwnMemory() throws {
        let (status, output) = try Spawn.run(
            try #require(Executable.mi),
            ["bench", "--only", "separable-nce,separable-nwj", "--repeats", "1", "--seconds", "0.05"], capture: true)
        #expect(status == 0)
        let objects = try output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.map { $0["bench"] as? String } == ["sgemm_peak", "train", "train"])
        #expect(objects.dropFirst().map { $0["config"] as? String } == ["separable-nce", "separable-nwj"])
        #expect(try #require(objects.first?["gflops"] as? Double) > 0)
        // Which vector width the elementwise kernels run at, on every line.
        let paths = objects.map { $0["kernels"] as? String }
        #expect(paths.allSatisfy { ["avx512f", "avx2", "baseline"].contains($0 ?? "") }, "\(paths)")
        for train in objects.dropFirst() {
            #expect(try #require(train["steps_per_s"] as? Double) > 0)
            #expect(try #require(train["fraction_of_ideal"] as? Double) > 0)
            // The separable configuration needs well under 48 MiB; the
            // parent's three 2048 x 2048 sgemm operands alone hold 48 MiB.
            let rss = try #require(train["peak_rss_mib"] as? Double)
            #expect(rss > 1 && rss < 45, "peak_rss_mib \(rss)")
        }
    }
}
