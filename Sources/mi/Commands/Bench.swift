import ArgumentParser
import Foundation
import MIEngine

/// `mi bench`: machine sgemm peak, training throughput and the REPL's start-up time,
/// one JSON object per line.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure sgemm peak and training throughput; prints one JSON object per line.",
        discussion: """
            First line: the machine's sgemm peak (square products, OpenBLAS on all cores) and \
            the vector width of the engine's elementwise kernels on this CPU ("kernels": \
            avx512f, avx2 or baseline). \
            Then one line per configuration of paper 004 Figure 2 at batch 64 \
            ({separable, concat} x {nce, nwj} on gaussian(dim=20, mi=2)), and per encoder \
            configuration of paper 001 section 3 (encoder-mlp-nce: two 392-300-300-100 MLP \
            encoders, encoder-conv-nce: two ConvNets, encoder-coupling-nce: two invertible \
            coupling encoders, by default 8 layers with 2 x 256 hidden units per shift, \
            --coupling-layers 30 --coupling-hidden 512 for the paper's; on 1 x 14 x 28 \
            Fashion-MNIST halves, bilinear critic, InfoNCE, batch 128, Adam): median steps/s over \
            repeated runs, FLOPs per step, the step's ideal time at the measured peak and the \
            fraction of it achieved, and the peak resident memory of a process that ran only \
            that configuration (encoder configurations also give the process's CPU time per step \
            on all threads and the 1-minute load average: on a shared machine the wall-clock \
            rate mostly measures the other processes). Then probe-logistic: the logistic probe \
            (scikit-learn's objective, C = 1, fitted to its tolerance) on the 392 raw pixels of \
            the 60,000 Fashion-MNIST training top halves, then bottom halves (--probe-halves), one \
            line each: wall and CPU seconds of the fit, load average, L-BFGS iterations and \
            objective evaluations, test and train accuracy, the final objective and how the fit \
            stopped. Last line: the REPL's start-up time, from spawning `mi` on a \
            pseudo-terminal to its first prompt (median of 9 runs, with a full history file). \
            Build in release mode (swift build -c release) first.
            """
    )

    @Option(help: "Only these configurations (comma-separated, e.g. concat-nce or startup).")
    var only: String?

    @Option(help: "Timed runs per configuration (the median is reported).")
    var repeats = 5

    @Option(help: "Seconds each timed run should last, roughly.")
    var seconds = 1.5

    @Option(help: "Train the critics with this dropout rate on their hidden layers (the cost of dropout).")
    var dropout = 0.0

    @Option(help: "Coupling layers of encoder-coupling-nce's encoders (paper 001: 30).")
    var couplingLayers = EncoderBenchmark.CouplingSize.standard.layers

    @Option(help: "Hidden units per layer of each coupling layer's shift network (paper 001: 512).")
    var couplingHidden = EncoderBenchmark.CouplingSize.standard.hidden

    @Option(help: "The Fashion-MNIST halves probe-logistic fits, comma-separated (top, bottom).")
    var probeHalves = "top,bottom"

    @Flag(help: """
        Run the encoder and probe configurations on one core, to compare the work per step (cpu_ms_per_step) \
        with another implementation's single-threaded run when the machine is shared.
        """)
    var serial = false

    @Option(help: ArgumentHelp("Use this sgemm peak (GFLOP/s) instead of measuring it.", visibility: .hidden))
    var peak: Double?

    @Flag(help: ArgumentHelp("Run the configurations in this process.", visibility: .hidden))
    var inProcess = false

    func validate() throws {
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1)") }
        guard couplingLayers >= 1 else { throw ValidationError("--coupling-layers must be at least 1") }
        guard couplingHidden >= 1 else { throw ValidationError("--coupling-hidden must be at least 1") }
        _ = try halves()
    }

    func run() throws {
        let names = only.map { $0.split(separator: ",").map(String.init) }
        let startup = names.map { $0.contains(BenchConfiguration.startup) } ?? true
        let trainingNames = names?.filter { $0 != BenchConfiguration.startup }
        let selected = trainingNames?.isEmpty == true ? [] : try BenchConfiguration.parse(trainingNames?.joined(separator: ","))
        if !selected.isEmpty { try runTraining(selected) }
        if startup { emit(try StartupBench().measure()) }
    }

    private func runTraining(_ selected: [BenchConfiguration]) throws {
        let peakGFLOPS = peak ?? Benchmark.sgemmPeak()
        if peak == nil {
            emit(["bench": "sgemm_peak", "gflops": round3(peakGFLOPS), "cores": Parallel.cores,
                  "blas": BLAS.configuration, "kernels": KernelPath.name])
        }
        for config in selected {
            if config == .probeLogistic, inProcess || selected.count == 1 {
                for half in try halves() { emit(try config.measureProbe(half, parallelism: serial ? .serial : .allCores)) }
            } else if inProcess || selected.count == 1 {
                emit(config.measure(peakGFLOPS: peakGFLOPS, repeats: repeats, seconds: seconds, dropout: dropout,
                                    coupling: EncoderBenchmark.CouplingSize(layers: couplingLayers, hidden: couplingHidden),
                                    parallelism: serial ? .serial : .allCores))
            } else {
                // A fresh process per configuration, so its peak memory is its own.
                try runChild(config: config, peak: peakGFLOPS)
            }
        }
    }

    private func runChild(config: BenchConfiguration, peak: Double) throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["bench", "--only", config.rawValue, "--peak", "\(peak)",
                           "--repeats", "\(repeats)", "--seconds", "\(seconds)", "--dropout", "\(dropout)",
                           "--coupling-layers", "\(couplingLayers)", "--coupling-hidden", "\(couplingHidden)",
                           "--probe-halves", probeHalves]
            + (serial ? ["--serial"] : [])
        try child.run()
        child.waitUntilExit()
        if child.terminationStatus != 0 {
            throw ValidationError("benchmark of \(config.rawValue) failed with status \(child.terminationStatus)")
        }
    }

    /// The halves of `--probe-halves`.
    private func halves() throws -> [ProbeBenchmark.Half] {
        try probeHalves.split(separator: ",").map { name in
            guard let half = ProbeBenchmark.Half(rawValue: String(name)) else {
                throw ValidationError("--probe-halves: unknown half '\(name)'; expected top or bottom")
            }
            return half
        }
    }
}

/// The four configurations of paper 004 Figure 2 at batch 64, the
/// encoder pairs of paper 001 section 3 (`EncoderBenchmark`) and the
/// raw-pixel logistic probe (`ProbeBenchmark`).
enum BenchConfiguration: String, CaseIterable {
    case separableNCE = "separable-nce", separableNWJ = "separable-nwj"
    case concatNCE = "concat-nce", concatNWJ = "concat-nwj"
    case encoderMLP = "encoder-mlp-nce", encoderConv = "encoder-conv-nce", encoderCoupling = "encoder-coupling-nce"
    case probeLogistic = "probe-logistic"

    /// The encoder architecture of an encoder configuration.
    var encoder: EncoderBenchmark.Architecture? {
        switch self {
        case .encoderMLP: return .mlp
        case .encoderConv: return .conv
        case .encoderCoupling: return .coupling
        default: return nil
        }
    }

    /// The `--only` name of the REPL start-up measurement.
    static let startup = "startup"

    static func parse(_ list: String?) throws -> [BenchConfiguration] {
        guard let list else { return allCases }
        return try list.split(separator: ",").map { name in
            guard let c = BenchConfiguration(rawValue: String(name)) else {
                let names = (allCases.map(\.rawValue) + [startup]).joined(separator: ", ")
                throw ValidationError("unknown configuration '\(name)'; expected one of \(names)")
            }
            return c
        }
    }

    func measure(peakGFLOPS: Double, repeats: Int, seconds: Double, dropout: Double = 0,
                 coupling: EncoderBenchmark.CouplingSize = .standard, parallelism: Parallelism = .allCores) -> [String: Any] {
        if let encoder {
            return measureEncoders(encoder, peakGFLOPS: peakGFLOPS, repeats: repeats, seconds: seconds, coupling: coupling,
                                   parallelism: parallelism)
        }
        let batch = 64
        let data = GaussianSource(dim: 20, mi: 2)
        var rng = RNG(seed: 1, stream: 1)
        let concat = rawValue.hasPrefix("concat")
        let critic: FloatCritic = concat
            ? .concat(ConcatCritic(dimX: 20, dimY: 20, shape: NetworkShape(hidden: [256, 256]), rng: &rng))
            : .separable(SeparableCritic(dimX: 20, dimY: 20, shape: NetworkShape(hidden: [256, 256]),
                                         embedding: 32, rng: &rng))
        let bound: any Bound = rawValue.hasSuffix("nce") ? InfoNCE() : NWJ()
        let estimator = CriticEstimator(critic: critic, bound: bound)
        estimator.dropout = Dropout(dropout)
        // Size the timed runs from a short probe.
        let probe = Benchmark.throughput(of: estimator, on: data, batch: batch, steps: 5, repeats: 1, warmup: 5)
        let steps = max(10, Int(seconds / probe.bestStep))
        let t = Benchmark.throughput(of: estimator, on: data, batch: batch, steps: steps, repeats: repeats)
        let ideal = t.flopsPerStep / (peakGFLOPS * 1e9)
        return [
            "bench": "train", "config": rawValue, "batch": batch, "critic": critic.name, "bound": bound.name,
            "steps_per_s": round3(t.stepsPerSecond), "best_steps_per_s": round3(1 / t.bestStep),
            "step_ms": round3(t.medianStep * 1e3), "gflop_per_step": round3(t.flopsPerStep / 1e9),
            "ideal_step_ms": round3(ideal * 1e3), "fraction_of_ideal": round3(ideal / t.medianStep),
            "achieved_gflops": round3(t.flopsPerStep / t.medianStep / 1e9),
            "fraction_of_peak": round3(t.flopsPerStep / t.medianStep / 1e9 / peakGFLOPS),
            "peak_rss_mib": round3(Benchmark.peakResidentMiB()),
            "timed_steps": steps, "repeats": repeats, "dropout": dropout, "kernels": KernelPath.name,
        ]
    }
}

extension BenchConfiguration {
    /// One fit of the logistic probe on raw Fashion-MNIST `half` pixels (see `ProbeBenchmark`).
    func measureProbe(_ half: ProbeBenchmark.Half, parallelism: Parallelism) throws -> [String: Any] {
        guard let run = try ProbeBenchmark.logistic(half, options: LogisticProbeOptions(parallelism: parallelism)) else {
            return ["bench": "probe", "config": rawValue, "half": half.rawValue, "skipped": "Fashion-MNIST is not installed"]
        }
        return [
            "bench": "probe", "config": rawValue, "half": run.half, "train_rows": run.trainRows,
            "features": run.features, "seconds": round3(run.seconds), "cpu_seconds": round3(run.cpuSeconds),
            "load_average": round3(run.loadAverage), "iterations": run.iterations, "evaluations": run.evaluations,
            "test_accuracy": run.testAccuracy, "train_accuracy": run.trainAccuracy, "objective": round3(run.loss),
            "gradient_max": run.gradientNorm, "stop": run.stop.rawValue, "parallelism": parallelism.rawValue,
            "peak_rss_mib": round3(Benchmark.peakResidentMiB()),
        ]
    }

    /// Whole representation-learning steps of two encoders (see `EncoderBenchmark`).
    func measureEncoders(_ architecture: EncoderBenchmark.Architecture, peakGFLOPS: Double, repeats: Int,
                         seconds: Double, coupling: EncoderBenchmark.CouplingSize = .standard,
                         parallelism: Parallelism = .allCores) -> [String: Any] {
        let (views, data) = EncoderBenchmark.views()
        guard let trainer = EncoderBenchmark.trainer(architecture, views: views, coupling: coupling,
                                                     parallelism: parallelism) else {
            return ["bench": "train", "config": rawValue, "skipped": "this build has no \(architecture.rawValue) encoder"]
        }
        let probe = Benchmark.throughput(of: trainer, on: views, steps: 5, repeats: 1, warmup: 5)
        let steps = max(10, Int(seconds / probe.bestStep))
        let cpuBefore = Benchmark.processCPUSeconds(), loadBefore = Benchmark.loadAverage()
        let t = Benchmark.throughput(of: trainer, on: views, steps: steps, repeats: repeats)
        // Warm-up steps included: what the process spent per step, on every thread.
        let cpu = (Benchmark.processCPUSeconds() - cpuBefore) / Double(repeats * steps + 10)
        let ideal = t.flopsPerStep / (peakGFLOPS * 1e9)
        return [
            "cpu_ms_per_step": round3(cpu * 1e3), "load_average": round3(max(loadBefore, Benchmark.loadAverage())),
            "parallelism": parallelism.rawValue,
            "bench": "train", "config": rawValue, "batch": trainer.options.batch, "encoders": trainer.g1.name,
            "views": views.shape1.description, "data": data, "critic": trainer.critic.name, "bound": trainer.bound.name,
            "steps_per_s": round3(t.stepsPerSecond), "best_steps_per_s": round3(1 / t.bestStep),
            "step_ms": round3(t.medianStep * 1e3), "gflop_per_step": round3(t.flopsPerStep / 1e9),
            "ideal_step_ms": round3(ideal * 1e3), "fraction_of_ideal": round3(ideal / t.medianStep),
            "achieved_gflops": round3(t.flopsPerStep / t.medianStep / 1e9),
            "fraction_of_peak": round3(t.flopsPerStep / t.medianStep / 1e9 / peakGFLOPS),
            "peak_rss_mib": round3(Benchmark.peakResidentMiB()),
            "timed_steps": steps, "repeats": repeats, "kernels": KernelPath.name,
        ]
    }
}

/// Prints one JSON object on one line, keys sorted.
func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
    fflush(nil)
}

func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

/// Time from starting `mi` on a terminal to its first `mi> ` prompt: the
/// `{"bench":"startup",...}` line of `mi bench`.
///
/// Each run spawns this executable on a fresh pseudo-terminal (so it takes
/// the REPL path, readline and all), with a full history file (the REPL's
/// bound, 1000 entries) in a temporary `$MI_HISTORY`, waits for the prompt,
/// then presses Ctrl-D. The median of the runs is reported.
struct StartupBench {
    var runs = 9
    /// Entries in the history file the REPL loads (its limit: the worst case).
    var historyEntries = 1000
    /// Give up on a run after this many seconds.
    var timeout = 10.0

    func measure() throws -> [String: Any] {
        let executable = try currentExecutable()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mi-startup-\(getpid())", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = directory.appendingPathComponent("history")
        let lines = (0..<historyEntries).map { "estimate nce batch=\(64 + $0 % 7) critic=optimal steps=\($0)\n" }
        try Data(lines.joined().utf8).write(to: history)

        var environment = ProcessInfo.processInfo.environment
        environment["MI_HISTORY"] = history.path
        environment["TERM"] = environment["TERM"].flatMap { $0.isEmpty || $0 == "dumb" ? nil : $0 } ?? "xterm-256color"

        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let terminal = try PseudoTerminal(executable: executable, environment: environment)
            guard terminal.read(until: "mi> ", timeout: timeout) else {
                let seen = String(decoding: terminal.output, as: UTF8.self)
                throw PseudoTerminal.Failure(description: "no prompt within \(timeout) s; output: \(seen.debugDescription)")
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            terminal.write("\u{4}")
            if terminal.waitForExit(timeout: timeout) != 0 {
                throw PseudoTerminal.Failure(description: "the REPL did not exit cleanly after Ctrl-D")
            }
        }
        let sorted = times.sorted()
        return [
            "bench": "startup", "ms_to_prompt": round3(sorted[sorted.count / 2]),
            "min_ms": round3(sorted.first ?? 0), "max_ms": round3(sorted.last ?? 0),
            "runs": runs, "history_entries": historyEntries,
        ]
    }

    /// The path of the running `mi`.
    private func currentExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { throw PseudoTerminal.Failure(description: "cannot find the mi executable") }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
