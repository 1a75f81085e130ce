import Foundation
import MIEngine

/// Human-readable and JSON renderings of outputs.
///
/// Human renderings take `timing`: with `false` they leave out wall-clock
/// measurements (steps/s in summaries, the `steps_per_s` and `time` columns
/// of tables), so the same program prints the same text on any machine.
/// Golden tests and rendered documents use that; terminals show timing.
public enum Format {
    /// Table columns that hold wall-clock measurements.
    public static let timingColumns: Set<String> = ["steps_per_s", "time"]

    /// An output as a person reads it: what `mi -e` prints.
    public static func text(_ output: Output, timing: Bool = true) -> String {
        switch output {
        case .value(let v): return value(v, timing: timing)
        case .text(let s): return s
        case .result(let r): return summary(r, timing: timing)
        case .table(let t): return table(t, timing: timing)
        case .expectation(let s): return "ok: \(s)"
        case .figure(let f):
            let titles = f.panels.compactMap(\.title).joined(separator: "; ")
            return "figure: \(f.title ?? titles) (\(f.panels.count) panel\(f.panels.count == 1 ? "" : "s"))"
        }
    }

    /// A number for people: whole numbers as such, others to 4 significant digits.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e9 { return String(Int(v)) }
        return String(format: "%.4g", v)
    }

    /// The compact summary printed after an estimate. Without `timing` the
    /// speed is left out (rendered documents stay the same from run to run).
    public static func summary(_ r: ResultValue, timing: Bool = true) -> String {
        if let record = r.representation { return learnSummary(r, record, timing: timing) }
        if let record = r.adversarial { return adversarialSummary(r, record, timing: timing) }
        if let record = r.reconstruction { return reconstructionSummary(r, record, timing: timing) }
        let t = r.trace
        var head = "\(r.estimator) with \(r.critic), K=\(r.batch), \(t.steps.count) step\(t.steps.count == 1 ? "" : "s") on \(r.data)"
        if t.interrupted { head += " (interrupted)" }
        var line = "  estimate \(number(r.final))"
        if let truth = r.truth {
            line += "  truth \(number(truth))  bias \(signed(r.final - truth))"
        }
        line += "  std \(number(r.std)) (last \(r.tail))"
        if let c = t.ceiling { line += "  ceiling \(number(c))" }
        if timing { line += "  \(number(t.stepsPerSecond.rounded())) steps/s" }
        if !r.final.isFinite { line += "\n  warning: the estimate is not finite; the run diverged" }
        return head + "\n" + line
    }

    /// A `learn` run: the held-out numbers first (test I_EST with its
    /// standard error, the probe's test accuracy against raw pixels), then
    /// the training estimate and the conditioning of g1's Jacobian.
    static func learnSummary(_ r: ResultValue, _ record: RepresentationTrace, timing: Bool) -> String {
        let t = r.trace
        var head = "\(record.name), K=\(r.batch), \(t.steps.count) step\(t.steps.count == 1 ? "" : "s")"
        if t.interrupted { head += " (interrupted)" }
        var lines = [head]
        if let last = record.evaluations.last {
            var line = "  test I_EST \(number(last.testEstimate)) ± \(number(last.standardError)) (step \(last.step))"
            if !t.steps.isEmpty { line += "  train \(number(r.trainingFinal)) (last \(r.tail))" }
            if let c = t.ceiling { line += "  ceiling \(number(c))" }
            if let target = record.target { line += "  target \(number(target))" }
            if timing { line += "  \(number(t.stepsPerSecond.rounded())) steps/s" }
            lines.append(line)
            if let probe = last.metrics["probe"] {
                var p = "  probe accuracy \(number(probe)) test"
                if let train = last.metrics["probe_train"] { p += ", \(number(train)) train" }
                if let b = r.baselineAccuracy { p += "; raw pixels \(number(b))" }
                lines.append(p)
            }
            if let norm = last.metrics["grad_norm"] {
                var g = "  mean ||grad f|| at test interpolates \(number(norm))"
                if let penalty = t.steps.isEmpty ? nil : record.steps.last?.penalty { g += "; last training penalty \(number(penalty))" }
                lines.append(g)
            }
            let percentiles = ResultValue.conditioningPercentiles.compactMap { last.metrics["cond_p\($0)"] }
            if percentiles.count == ResultValue.conditioningPercentiles.count {
                lines.append("  Jacobian condition number, percentiles 0 20 40 60 80 100: "
                             + percentiles.map(number).joined(separator: " "))
            }
        } else {
            lines.append("  no test evaluation (steps=0 and eval_every past the end)")
        }
        if !r.final.isFinite { lines.append("  warning: the test estimate is not finite; the run diverged") }
        return lines.joined(separator: "\n")
    }

    /// A `learn adversarial` run: the separately trained probe's test loss
    /// and accuracy against raw pixels first (001 Fig. 1c), then the in-loop
    /// classifier and g1's loss towards the uniform softmax.
    static func adversarialSummary(_ r: ResultValue, _ record: AdversarialTrace, timing: Bool) -> String {
        let t = r.trace
        var head = "\(record.name), K=\(r.batch), \(t.steps.count) encoder step\(t.steps.count == 1 ? "" : "s") after "
            + "\(record.warmupLosses.count) warm-up classifier step\(record.warmupLosses.count == 1 ? "" : "s")"
        if t.interrupted { head += " (interrupted)" }
        var lines = [head]
        guard let last = record.evaluations.last else {
            lines.append("  no evaluation (the run stopped in its warm-up)")
            return lines.joined(separator: "\n")
        }
        if let loss = last.metrics["probe_loss"], let accuracy = last.metrics["probe"] {
            var p = "  probe test loss \(number(loss))"
            if let b = r.baselineLoss { p += " (raw pixels \(number(b)))" }
            p += ", accuracy \(number(accuracy))"
            if let b = r.baselineAccuracy { p += " (raw pixels \(number(b)))" }
            lines.append(p + " (step \(last.step))")
        }
        var c = "  in-loop classifier test loss \(number(last.classifierLoss)), accuracy \(number(last.classifierAccuracy))"
            + "; g1's loss to uniform \(number(last.encoderLoss))"
        if timing { c += "  \(number(t.stepsPerSecond.rounded())) steps/s" }
        lines.append(c)
        let percentiles = ResultValue.conditioningPercentiles.compactMap { last.metrics["cond_p\($0)"] }
        if percentiles.count == ResultValue.conditioningPercentiles.count {
            lines.append("  Jacobian condition number, percentiles 0 20 40 60 80 100: "
                         + percentiles.map(number).joined(separator: " "))
        }
        if !last.classifierLoss.isFinite || !last.encoderLoss.isFinite {
            lines.append("  warning: a loss is not finite; the run diverged")
        }
        return lines.joined(separator: "\n")
    }

    /// A `learn reconstruct` run: the decoder's test loss with I_V first
    /// (002 Fig. 5b), then the probes against raw pixels (Fig. 5a).
    static func reconstructionSummary(_ r: ResultValue, _ record: ReconstructionTrace, timing: Bool) -> String {
        let t = r.trace, kind = record.joint ? "joint" : "encoder"
        var head = "\(record.name), K=\(r.batch), \(t.steps.count) \(kind) step\(t.steps.count == 1 ? "" : "s") after "
            + "\(record.warmupLosses.count) warm-up decoder step\(record.warmupLosses.count == 1 ? "" : "s")"
        if t.interrupted { head += " (interrupted)" }
        var lines = [head]
        guard let last = record.evaluations.last else {
            lines.append("  no evaluation (the run stopped in its warm-up, or eval_every is past the end)")
            return lines.joined(separator: "\n")
        }
        var l = "  test reconstruction loss \(number(last.testLoss)) ± \(number(last.standardError)) per pixel, "
            + "I_V \(number(last.vInformation)) nats (step \(last.step))"
        if !t.steps.isEmpty { l += "  train \(number(r.trainingFinal)) (last \(r.tail))" }
        if timing { l += "  \(number(t.stepsPerSecond.rounded())) steps/s" }
        lines.append(l)
        for (prefix, label) in [("", "probe"), ("mlp_", "mlp probe")] {
            guard let accuracy = last.metrics[prefix + "probe"] else { continue }
            var p = "  \(label) accuracy \(number(accuracy)) test"
            if let train = last.metrics[prefix + "probe_train"] { p += ", \(number(train)) train" }
            if prefix.isEmpty, let b = r.baselineAccuracy { p += "; raw pixels \(number(b))" }
            lines.append(p)
        }
        let percentiles = ResultValue.conditioningPercentiles.compactMap { last.metrics["cond_p\($0)"] }
        if percentiles.count == ResultValue.conditioningPercentiles.count {
            lines.append("  Jacobian condition number, percentiles 0 20 40 60 80 100: "
                         + percentiles.map(number).joined(separator: " "))
        }
        if !last.testLoss.isFinite { lines.append("  warning: the test loss is not finite; the run diverged") }
        return lines.joined(separator: "\n")
    }

    static func signed(_ v: Double) -> String { v >= 0 ? "+" + number(v) : number(v) }

    /// A value on one line.
    public static func value(_ v: Value, timing: Bool = true) -> String {
        switch v {
        case .number(let x): return number(x)
        case .string(let s): return s
        case .list(let items) where items.count > 12:
            return "[" + items.prefix(10).map { value($0, timing: timing) }.joined(separator: ", ")
                + ", ... (\(items.count) values)]"
        case .list(let items): return "[" + items.map { value($0, timing: timing) }.joined(separator: ", ") + "]"
        case .result(let r): return summary(r, timing: timing)
        case .table(let t): return table(t, timing: timing)
        default: return v.shortDescription
        }
    }

    /// A table with aligned columns.
    public static func table(_ t: TableValue, timing: Bool = true) -> String {
        let shown = t.columns.indices.filter { timing || !timingColumns.contains(t.columns[$0]) }
        let columns = shown.map { t.columns[$0] }
        let cells = t.rows.map { row in shown.map { cell(row[$0]) } }
        let widths = columns.indices.map { c in ([columns[c]] + cells.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ items: [String]) -> String {
            zip(items, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var lines = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        lines += cells.map(line)
        return lines.joined(separator: "\n")
    }

    private static func cell(_ v: Value) -> String {
        switch v {
        case .number(let x): return number(x)
        case .string(let s): return s
        case .result(let r): return r.summaryLine
        default: return v.shortDescription
        }
    }

    // MARK: JSON

    /// A JSON-compatible object for an output.
    public static func json(_ output: Output) -> Any {
        switch output {
        case .value(let v): return ["value": json(v)]
        case .text(let s): return ["text": s]
        case .result(let r): return json(r)
        case .table(let t): return json(t)
        case .expectation(let s): return ["expect": s, "passed": true]
        case .figure(let f):
            return ["figure": ["title": f.title ?? "", "panels": f.panels.map { $0.title ?? "" }]]
        }
    }

    public static func json(_ r: ResultValue) -> [String: Any] {
        var o: [String: Any] = [
            "estimator": r.estimator, "critic": r.critic, "data": r.data, "batch": r.batch,
            "steps": r.trace.steps.count, "final": jsonNumber(r.final), "std": jsonNumber(r.std),
            "tail": r.tail, "steps_per_s": jsonNumber(r.trace.stepsPerSecond),
            "time": jsonNumber(r.trace.steps.last?.time ?? 0), "interrupted": r.trace.interrupted,
        ]
        if let t = r.truth { o["truth"] = jsonNumber(t); o["bias"] = jsonNumber(r.final - t) }
        if let m = r.mse { o["mse"] = jsonNumber(m) }
        if let c = r.trace.ceiling { o["ceiling"] = jsonNumber(c) }
        if let record = r.representation {
            o["se"] = jsonNumber(r.field("se")?.asNumber ?? .nan)
            o["training_final"] = jsonNumber(r.trainingFinal)
            o["evaluations"] = record.evaluations.map { e -> [String: Any] in
                ["step": e.step, "test": jsonNumber(e.testEstimate), "se": jsonNumber(e.standardError),
                 "metrics": e.metrics.mapValues(jsonNumber)]
            }
            if let b = r.baselineAccuracy { o["baseline_accuracy"] = jsonNumber(b) }
            if let b = r.baselineLoss { o["baseline_loss"] = jsonNumber(b) }
        }
        if let record = r.adversarial {
            o["warmup_losses"] = record.warmupLosses.map(jsonNumber)
            o["evaluations"] = record.evaluations.map { e -> [String: Any] in
                ["step": e.step, "classifier_loss": jsonNumber(e.classifierLoss),
                 "classifier_accuracy": jsonNumber(e.classifierAccuracy), "encoder_loss": jsonNumber(e.encoderLoss),
                 "metrics": e.metrics.mapValues(jsonNumber)]
            }
            if let b = r.baselineAccuracy { o["baseline_accuracy"] = jsonNumber(b) }
            if let b = r.baselineLoss { o["baseline_loss"] = jsonNumber(b) }
        }
        if let record = r.reconstruction {
            o["se"] = jsonNumber(r.field("se")?.asNumber ?? .nan)
            o["training_final"] = jsonNumber(r.trainingFinal)
            o["warmup_losses"] = record.warmupLosses.map(jsonNumber)
            o["evaluations"] = record.evaluations.map { e -> [String: Any] in
                ["step": e.step, "reconstruction": jsonNumber(e.testLoss), "se": jsonNumber(e.standardError),
                 "vinfo": jsonNumber(e.vInformation), "metrics": e.metrics.mapValues(jsonNumber)]
            }
            if let b = r.baselineAccuracy { o["baseline_accuracy"] = jsonNumber(b) }
            if let b = r.baselineLoss { o["baseline_loss"] = jsonNumber(b) }
        }
        o["settings"] = Dictionary(r.settings.map { ($0.0, json($0.1)) }, uniquingKeysWith: { a, _ in a })
        return o
    }

    public static func json(_ t: TableValue) -> [String: Any] {
        ["columns": t.columns, "rows": t.rows.map { $0.map(json) }]
    }

    public static func json(_ v: Value) -> Any {
        switch v {
        case .number(let x): return jsonNumber(x)
        case .string(let s): return s
        case .bool(let b): return b
        case .list(let items): return items.map(json)
        case .symbol(let s): return s
        case .result(let r): return json(r)
        case .table(let t): return json(t)
        case .nothing: return NSNull()
        default: return v.shortDescription
        }
    }

    /// JSON has no nan or inf: they become strings.
    static func jsonNumber(_ x: Double) -> Any { x.isFinite ? x : formatNumber(x) }

    /// One JSON object on one line, keys sorted.
    public static func jsonLine(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension Interpreter {
    /// `table VALUE`: a table as is, a result as one row, a list of results as rows.
    func tabulate(_ v: Value, at range: SourceRange) throws -> TableValue {
        let summary = ["estimator", "critic", "batch", "final", "truth", "bias", "std"]
        func row(_ r: ResultValue) -> [Value] { summary.map { r.field($0) ?? .nothing } }
        switch v {
        case .table(let t): return t
        case .result(let r): return TableValue(columns: summary, rows: [row(r)], results: [r])
        case .list(let items):
            let results = items.compactMap { if case .result(let r) = $0 { return r } else { return nil } }
            if results.count == items.count, !results.isEmpty {
                return TableValue(columns: summary, rows: results.map(row), results: results)
            }
            return TableValue(columns: ["index", "value"],
                              rows: items.enumerated().map { [.number(Double($0.offset)), $0.element] }, results: [])
        default:
            throw failure("table needs a table, a result or a list, got \(v.shortDescription)", range)
        }
    }
}
