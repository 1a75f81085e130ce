import Foundation
import MILanguage

/// A rough price of a case's runs: the bytes its largest run holds at once
/// and the time all its runs take, from the sizes the case gives (batch,
/// dimensions, widths, steps, ...) and the registry's defaults for those
/// it leaves out. It keeps the fuzzer's cases short and tells which cases
/// need more memory than the machine has (those the engine is to refuse).
///
/// The model is deliberately simple: network parameters (weights,
/// gradients and Adam's two moments in Float), the activations of a batch
/// (K x K x width for the concat critic), the K x K scores, fixed datasets
/// in Double; per step about six flops per parameter and example at
/// `flopsPerSecond`, and `pairSeconds` for each of the K x K pairs.
struct RunCost: Sendable {
    var bytes: Double
    /// Estimated seconds of computing.
    var work: Double
    /// Estimated seconds of reading data files (Fashion-MNIST: 0.8 s each
    /// time). Outside the budget: the generator keeps such cases rare, and
    /// the CI budget would otherwise never let Fashion-MNIST be read.
    var reading = 0.0

    /// What the networks' products run at (2-core machines of 2026: 140 to 220 GFLOP/s peak).
    static let flopsPerSecond = 1.4e11
    /// Time per pair of the K x K scores per step, measured on a 2-core
    /// machine (December 2026, separable critic and dv): 190 ns at K = 1024,
    /// 240 ns at K = 4096; the optimal critic 70 ns at K = 4096.
    static let pairSeconds = 200e-9
    /// Time per network parameter per step beyond its flops: Adam's update
    /// and the memory traffic of wide layers (measured: 60 ns with 6.8 M
    /// parameters, a separable critic 20-65536-32; 3 ns with the default 160 k).
    static let parameterSeconds = 20e-9
    /// Time per number drawn for a batch (Gaussian samples: measured 40 ms
    /// for a batch of 3 at dim = 100000, x and y).
    static let sampleSeconds = 50e-9
    /// Time per coordinate of each pair's known log-density ratio (the
    /// optimal critic; `analyze` at K = 64 to 512, dim = 20).
    static let densitySeconds = 8e-9

    static let zero = RunCost(bytes: 0, work: 0)

    func fits(_ budget: RunCost) -> Bool { bytes <= budget.bytes && work <= budget.work }

    /// Steps a fuzz run may take before its observer stops it.
    static let stepLimit = 400

    /// Bytes of memory this machine has: a run that needs more cannot fit.
    static let machineMemory = Double(ProcessInfo.processInfo.physicalMemory)

    static func of(_ c: FuzzCase, files: FuzzFiles) -> RunCost {
        var total = RunCost.zero
        for run in c.runs {
            let one = run.verb == "analyze" ? analyze(run) : run.verb == "learn" ? learn(run, files: files) : estimate(run, files: files)
            total.bytes = max(total.bytes, one.bytes)
            total.work += one.work
        }
        // Every data source built (nested ones too: the generator lists each).
        for d in c.data {
            let l = load(d, files: files)
            total.work += l.work
            total.reading += l.reading
            total.bytes = max(total.bytes, l.bytes)
        }
        return total
    }

    // MARK: estimate

    static func estimate(_ run: RunSpec, files: FuzzFiles) -> RunCost {
        let defaults = Registry.standard.verb("estimate")!
        func largest(_ name: String, _ term: FuzzTerm? = nil) -> Double {
            let values = (term ?? run.option(name))?.numbers.filter(\.isFinite) ?? []
            if let m = values.max() { return max(0, m) }
            if case .number(let d)? = defaults.parameter(name)?.defaultValue { return d }
            return 0
        }
        func widths(_ term: FuzzTerm?, _ name: String) -> [Double] {
            if let term, case .list(let items) = term.resolved { return items.compactMap(\.number).filter(\.isFinite) }
            if term != nil { return [] }
            guard case .list(let items)? = defaults.parameter(name)?.defaultValue else { return [] }
            return items.compactMap { if case .number(let x) = $0 { return x } else { return nil } }
        }
        let k = largest("batch"), steps = min(largest("steps"), Double(stepLimit))
        var combinations = Double(max(1, run.estimators.count))
        for o in run.options { if case .list(let items)? = o.value?.resolved, o.name != "hidden", o.name != "baseline" { combinations *= Double(max(1, items.count)) } }

        var dims = (x: largest("dim"), y: largest("dim"))
        var sourceBytes = 0.0
        let sources = run.option("data")?.elements ?? []
        if !sources.isEmpty { dims = (0, 0) }
        for d in sources {
            let (dx, dy) = dimensions(d, files: files)
            dims = (max(dims.x, dx), max(dims.y, dy))
            sourceBytes = max(sourceBytes, load(d, files: files).bytes)
        }
        let n = run.option("n").map { _ in largest("n") } ?? 0

        var worst = RunCost.zero
        let critics = run.critics.isEmpty ? [FuzzTerm.word("separable")] : run.critics
        for critic in critics {
            let hidden = widths(critic.argument("hidden") ?? run.option("hidden"), "hidden")
            let embed = critic.argument("embed")?.number ?? largest("embed")
            var parameters = 0.0, activations = 0.0, flops = 0.0
            let scores = k * k * 4 * 6
            switch critic.name ?? "separable" {
            case "optimal":
                activations = k * k * 8 * 4 + k * (dims.x + dims.y) * 8
                flops = k * k * max(dims.x, dims.y) * densitySeconds * flopsPerSecond
            case "concat":
                parameters = mlp([dims.x + dims.y] + hidden + [1])
                // Above 256 MiB of per-pair activations the critic streams
                // blocks of pairs and keeps none (ConcatCritic.storedActivationLimit):
                // such a run is heavy in time, not in memory.
                activations = min(k * k * (hidden.reduce(0, +) + 1) * 4 * 3, 512 * 1_048_576)
                flops = k * k * mlpFlops(hidden + [1]) * 6 + k * (dims.x + dims.y) * (hidden.first ?? 1) * 6
            case "bilinear":
                parameters = dims.x * dims.y
                activations = k * (dims.x + dims.y) * 4 * 3
                flops = k * dims.x * dims.y * 6 + k * k * dims.y * 6
            case "inner":
                // x^T y: no parameters, the K x K products only.
                activations = k * (dims.x + dims.y) * 4 * 3
                flops = k * k * dims.y * 6
            default:
                parameters = mlp([dims.x] + hidden + [embed]) + mlp([dims.y] + hidden + [embed])
                activations = 2 * k * (hidden.reduce(0, +) + embed) * 4 * 3
                flops = 6 * k * parameters + k * k * embed * 6
            }
            for e in run.estimators {
                // Learned baselines (tuba, alpha) and the Barber-Agakov decoder.
                if ["tuba", "alpha"].contains(e.name ?? "") { parameters += mlp([dims.y] + widths(run.option("baseline"), "baseline") + [1]) }
                if e.name == "ba" { parameters += mlp([dims.y] + widths(e.argument("decoder", position: 0), "decoder") + [dims.x]) }
            }
            flops += 6 * k * parameters
            let bytes = parameters * 4 * 4 + activations + scores + n * (dims.x + dims.y) * 8 * 2 + sourceBytes
            let step = flops / flopsPerSecond + parameters * parameterSeconds + k * k * pairSeconds
                + k * (dims.x + dims.y) * sampleSeconds
            // Drawing a fixed dataset of n pairs costs a Gaussian sample per number.
            var work = parameters * 10 / flopsPerSecond + n * (dims.x + dims.y) * sampleSeconds + steps * step
            // A fixed dataset's held-out split is scored every eval_every steps and at the last,
            // a forward pass (a third of a step) per batch of it.
            let heldOut = max(n, fileRows(run, files: files)) * min(0.9, max(0, largest("eval")))
            let evaluations = (steps / max(1, largest("eval_every"))).rounded(.down) + 1
            work += evaluations * (heldOut / max(1, k)) * step / 3
            worst.bytes = max(worst.bytes, bytes)
            worst.work = max(worst.work, work)
        }
        return RunCost(bytes: worst.bytes, work: worst.work * combinations)   // building the sources is counted once per case
    }

    /// Rows of the largest file a run reads (fashion_mnist: its limit).
    static func fileRows(_ run: RunSpec, files: FuzzFiles) -> Double {
        fileData(run).map { d -> Double in
            if d.name == "fashion_mnist" { return min(60_000, max(0, d.argument("limit")?.number ?? 10_000)) }
            let paths = [d.argument("path", position: 0), d.argument("x"), d.argument("y")].compactMap { $0?.string }
            return Double(paths.compactMap { files.file($0)?.rows }.max() ?? 0)
        }.max() ?? 0
    }

    /// Parameters of a fully connected network with these layer widths.
    static func mlp(_ widths: [Double]) -> Double {
        zip(widths, widths.dropFirst()).map { $0 * $1 + $1 }.reduce(0, +)
    }

    static func mlpFlops(_ widths: [Double]) -> Double {
        zip(widths, widths.dropFirst()).map { $0 * $1 }.reduce(0, +)
    }

    /// The sizes of x and y a data source gives.
    static func dimensions(_ d: FuzzTerm, files: FuzzFiles) -> (Double, Double) {
        switch d.name {
        case "gaussian", "staircase":
            let dim = d.argument("dim")?.number.map { max(1, $0) } ?? 20
            return (dim, dim)
        case "cubic": return d.argument("base", position: 0).map { dimensions($0, files: files) } ?? (20, 20)
        case "noniid": return (1, 1)
        case "fashion_mnist": return (392, 392)
        case "csv", "npy":
            let file = d.argument("path", position: 0)?.string.flatMap(files.file)
            let columns = Double(max(2, file?.columns.count ?? 2))
            return (columns, columns)
        default: return (20, 20)
        }
    }

    /// Reading a file or drawing a dataset.
    static func load(_ d: FuzzTerm, files: FuzzFiles) -> RunCost {
        switch d.name {
        case "fashion_mnist":
            // The whole IDX file is inflated and parsed whatever the limit.
            return RunCost(bytes: 60_000 * 784 * 9, work: 0, reading: 0.8)
        case "csv", "npy":
            return RunCost(bytes: 1e6, work: 1e-4)
        case "halves", "items":
            return loadViews(d)
        case "cubic":
            // A dense dim x dim map W, inverted once (LAPACK dgesv: about 8/3 n^3 flops).
            let n = dimensions(d, files: files).1
            return RunCost(bytes: n * n * 8 * 4, work: 3 * n * n * n / flopsPerSecond)
        default:
            return .zero
        }
    }

    // MARK: analyze

    static func analyze(_ run: RunSpec) -> RunCost {
        let defaults = Registry.standard.verb("analyze")!
        func values(_ name: String) -> [Double] {
            if let term = run.option(name) { return term.numbers.filter(\.isFinite).map { max(0, $0) } }
            switch defaults.parameter(name)?.defaultValue {
            case .number(let x)?: return [x]
            case .list(let items)?: return items.compactMap { if case .number(let x) = $0 { return x } else { return nil } }
            default: return []
            }
        }
        let batches = values("batches").max() ?? 200, dim = values("dim").max() ?? 20
        let sizes = values("batch"), mis = Double(max(1, values("mi").count))
        let of = run.option("of")?.name ?? "estimates"
        let bounds = Double(max(1, run.estimators.count))
        let alphas = of == "best_alpha" ? Double(max(1, run.option("alphas")?.numbers.count ?? 13)) : 1
        let perCell = sizes.map { $0 * $0 * (pairSeconds + dim * densitySeconds) + $0 * dim * 2 * sampleSeconds }.reduce(0, +)
        let factor = of == "estimates" ? bounds : of == "gradients" ? bounds * 3 : alphas * 3
        let largest = sizes.max() ?? 512
        return RunCost(bytes: largest * largest * 8 * 6 + largest * dim * 8 * 4,
                       work: perCell * batches * mis * factor)
    }
}

extension RunCost {
    /// The file sources a run reads, also inside `cubic(...)`.
    static func fileData(_ run: RunSpec) -> [FuzzTerm] {
        (run.option("data")?.elements ?? []).flatMap(\.all).filter { ["csv", "npy", "fashion_mnist"].contains($0.name ?? "") }
    }
}
