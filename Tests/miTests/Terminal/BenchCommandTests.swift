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

/// `mi bench --only probe-logistic`: the logistic probe on raw Fashion-MNIST
/// halves, one JSON line per half after the sgemm peak (timed, not judged:
/// its accuracy is `RawPixelProbeTests`' to check).
@Suite("mi bench probe", .enabled(if: Executable.mi != nil, "needs a built mi"))
struct ProbeBenchTests {
    @Test func unknownHalfIsAnError() throws {
        let (status, output) = try Spawn.run(try #require(Executable.mi),
                                             ["bench", "--only", "probe-logistic", "--probe-halves", "top,left"],
                                             capture: true, errors: true)
        #expect(status != 0)
        #expect(output.contains("--probe-halves: unknown half 'left'; expected top or bottom"), "\(output)")
    }

    #if !DEBUG
    /// A fit of the full training split (about 3 CPU seconds in release builds).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"),
                   "needs Fashion-MNIST"))
    func topHalvesLine() throws {
        let (status, output) = try Spawn.run(try #require(Executable.mi),
                                             ["bench", "--only", "probe-logistic", "--probe-halves", "top", "--peak", "1"],
                                             capture: true)
        #expect(status == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 1, "\(output)")
        let first = try #require(lines.first)
        let line = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(line["bench"] as? String == "probe" && line["half"] as? String == "top")
        #expect(line["train_rows"] as? Int == 60_000 && line["features"] as? Int == 392)
        #expect(try #require(line["seconds"] as? Double) > 0)
        #expect(try #require(line["cpu_seconds"] as? Double) > 0)
        #expect(try #require(line["iterations"] as? Int) > 0)
        #expect(line["stop"] as? String != "iterations")
        let accuracy = try #require(line["test_accuracy"] as? Double)
        #expect(accuracy > 0.7 && accuracy < 0.9)
        #expect(line["load_average"] is Double)
    }
    #endif
}
