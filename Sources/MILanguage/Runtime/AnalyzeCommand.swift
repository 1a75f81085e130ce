import Foundation
import MIEngine

/// Runs an `analyze` command: the optimal-critic studies of 004 section 3
/// over a grid of true MIs and batch sizes, without training. The result
/// is a table, one row per (estimator, batch size, MI) cell (per (batch
/// size, MI) for `of=best_alpha`), ready for `plot t x="mi" y="mse"`.
struct AnalyzeCommand {
    let interpreter: Interpreter
    let command: Command
    private var entry: Entry { interpreter.registry.verb("analyze")! }

    /// The option's value, or its default.
    private func option(_ name: String) throws -> Value? {
        try command.option(name, in: interpreter) ?? entry.parameter(name)?.defaultValue
    }

    private func range(_ name: String) -> SourceRange { command.range(ofOption: name) }

    /// A list option's numbers (a single number is a list of one).
    private func numbers(_ name: String) throws -> [Double] {
        guard let v = try option(name) else { return [] }
        let items: [Value]
        if case .list(let l) = v { items = l } else { items = [v] }
        return try items.map {
            guard let x = $0.asNumber else {
                throw interpreter.failure("'\(name)' expects numbers, got \($0.shortDescription)", range(name))
            }
            return x
        }
    }

    private func integer(_ name: String) throws -> Int? {
        guard let v = try option(name) else { return nil }
        return v.asNumber.map { Int($0) }
    }

    /// The study's table, replayed from the session's run cache when it
    /// holds one with the same key.
    func run() throws -> Value {
        try interpreter.memoised(try key()) { try study() }
    }

    /// Everything the study's numbers depend on: the bounds named, every
    /// option's value in force (defaults included), and the seed.
    private func key() throws -> RunKey {
        var parts: [(String, String)] = []
        if let subject = command.subject { parts.append(("subject", try interpreter.evaluate(subject).keyText)) }
        for p in entry.parameters where p.name != "seed" {
            if let v = try option(p.name) { parts.append((p.name, v.keyText)) }
        }
        let seed = try integer("seed").map(UInt64.init) ?? interpreter.environment.seed
        parts.append(("seed", String(seed)))
        return RunKey(verb: "analyze", parts: parts, summary: "analyze of=\(try option("of")?.asSymbol ?? "estimates")")
    }

    private func study() throws -> Value {
        let kind = try option("of")?.asSymbol ?? "estimates"
        let mis = try numbers("mi")
        let batchSizes = try numbers("batch").map { Int($0) }
        let batches = try integer("batches") ?? 200
        let dim = try integer("dim") ?? 20
        let seed = try integer("seed").map(UInt64.init) ?? interpreter.environment.seed
        if let small = batchSizes.first(where: { $0 < 3 }) {
            throw interpreter.failure("analyze needs batch sizes of at least 3, got \(small)", range("batch"))
        }
        for mi in mis {
            if let message = GaussianLimit.check(mi: mi, dim: dim) { throw interpreter.failure(message, range("mi")) }
        }
        try checkMemory(batchSizes: batchSizes, dim: dim)

        let control = self.control()
        var table: TableValue
        switch kind {
        case "best_alpha":
            let alphas = command.options.contains { $0.name == "alphas" } ? try numbers("alphas") : AlphaGrid.logit()
            try requirePositive(mis)
            let report = BestAlphaSearch(mis: mis, batchSizes: batchSizes, alphas: alphas, batches: batches,
                                         dim: dim, seed: seed).run(control: control)
            table = TableValue(columns: ["mi", "batch", "alpha", "mse"],
                               rows: report.cells.map { [.number($0.mi), .number(Double($0.batch)),
                                                         .number($0.alpha), .number($0.mse)] },
                               results: [])
            table.interrupted = report.interrupted
        case "gradients":
            try requirePositive(mis)
            let bounds = try self.bounds()
            let report = GradientAccuracySweep(mis: mis, batchSizes: batchSizes, bounds: bounds.map(\.bound),
                                               batches: batches, dim: dim, seed: seed).run(control: control)
            let names = Dictionary(bounds.map { ($0.bound.name, $0.label) }, uniquingKeysWith: { a, _ in a })
            table = TableValue(
                columns: ["estimator", "mi", "batch", "mse", "mse_se", "bias", "variance"],
                rows: report.rows.map { r in
                    [.string(names[r.bound] ?? r.bound), .number(r.mi), .number(Double(r.batch)), .number(r.mse),
                     .number(r.mseStandardError), .number(r.bias), .number(r.variance)]
                },
                results: [])
            table.interrupted = report.interrupted
        default:
            let bounds = try self.bounds()
            let report = OptimalCriticSweep(mis: mis, batchSizes: batchSizes, bounds: bounds.map(\.bound),
                                            batches: batches, dim: dim, seed: seed).run(control: control)
            let names = Dictionary(bounds.map { ($0.bound.name, $0.label) }, uniquingKeysWith: { a, _ in a })
            table = TableValue(
                columns: ["estimator", "mi", "batch", "mean", "truth", "bias", "variance", "mse", "mse_se", "max"],
                rows: report.rows.map { r in
                    let s = r.summary
                    return [.string(names[r.bound] ?? r.bound), .number(r.mi), .number(Double(r.batch)),
                            .number(s.mean), .number(s.truth), .number(s.bias), .number(s.variance),
                            .number(s.mse), .number(s.mseStandardError), .number(s.maximum)]
                },
                results: [])
            table.interrupted = report.interrupted
        }
        return .table(table)
    }

    /// The bounds named by the subject, with the spelling the user wrote.
    private func bounds() throws -> [(label: String, bound: any Bound)] {
        guard let subject = command.subject else {
            throw interpreter.failure("analyze needs estimators, e.g. analyze [nwj, nce]", command.verbRange)
        }
        let value = try interpreter.evaluate(subject)
        let items: [Value]
        if case .list(let l) = value { items = l } else { items = [value] }
        return try items.map { item in
            guard case .estimator(let e) = item, let entry = interpreter.registry.estimator(e.name) else {
                throw interpreter.failure("analyze needs estimators, found \(item.shortDescription)", subject.range)
            }
            guard let bound = entry.makeBound?(e.bound) else {
                throw interpreter.failure("\(e.name) trains its own model; analyze studies bounds with the optimal "
                                          + "critic (nwj, nce, alpha(a), ...)", subject.range)
            }
            return (e.description, bound)
        }
    }

    /// Refuses a sweep whose concurrent batches would not fit in free
    /// memory: each holds a few K x K matrices in Double per bound.
    private func checkMemory(batchSizes: [Int], dim: Int) throws {
        guard let k = batchSizes.max(), let available = SystemMemory.available() else { return }
        let bounds = (try? self.bounds().count) ?? 13
        let perBatch = k * k * MemoryLayout<Double>.stride * (4 + 3 * bounds) + 4 * k * dim * MemoryLayout<Double>.stride
        let needed = perBatch * Parallel.cores
        if needed > available {
            throw interpreter.failure("batch=\(k) needs about \(SystemMemory.describe(needed)) of memory for "
                                      + "\(Parallel.cores) batches at once, more than this machine has free; "
                                      + "use smaller batch sizes", range("batch"))
        }
    }

    private func requirePositive(_ mis: [Double]) throws {
        if mis.contains(where: { $0 <= 0 }) {
            throw interpreter.failure("gradients are studied at positive MI only (at MI = 0 the gradient vanishes)",
                                      range("mi"))
        }
    }

    /// Progress after each chunk of batches, and Ctrl-C between chunks.
    private func control() -> AnalysisControl {
        let observer = interpreter.observer
        let start = Date()
        return AnalysisControl(progress: { p in
            let elapsed = Date().timeIntervalSince(start)
            observer.progress(RunProgress(label: "analyze \(p.cell)", step: p.completed, total: p.total, run: 1, runs: 1,
                                          estimate: .nan, smoothed: .nan, truth: nil,
                                          stepsPerSecond: elapsed > 0 ? Double(p.completed) / elapsed : 0,
                                          elapsed: elapsed))
        }, shouldStop: { observer.shouldStop() })
    }
}
