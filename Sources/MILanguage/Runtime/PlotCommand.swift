import Foundation
import MIEngine
import MIPlot

/// Builds figures: `plot` makes one panel from results or a table,
/// `figure` arranges panels in a grid. Drawing them is the host's job
/// (files in a notebook, gnuplot's text terminal in the REPL).
struct PlotCommand {
    let interpreter: Interpreter
    let command: Command

    /// Points per raw trace in a figure: longer traces are thinned to the
    /// minimum and maximum of each bucket, which keeps the light envelope of
    /// the noise while the data table stays a manageable size.
    static let maximumPoints = 3000

    private func option(_ name: String) throws -> Value? { try command.option(name, in: interpreter) }

    private func flag(_ name: String) throws -> Bool { (try option(name))?.asBool ?? false }
    private func text(_ name: String) throws -> String? { (try option(name))?.asString }
    private func range(_ name: String) -> SourceRange { command.range(ofOption: name) }

    // MARK: plot

    func run() throws -> Value {
        guard let subject = command.subject else { throw interpreter.failure("plot needs a subject", command.verbRange) }
        let value = try interpreter.evaluate(subject)
        let series = try text("y") != nil
        var panel: Panel
        switch value {
        case .result(let r): panel = try curves([r])
        case .table(let t) where t.results.count == t.rows.count && !t.results.isEmpty
                                   && t.results.allSatisfy(\.hasEvaluations) && series:
            // A learn sweep: its runs' evaluation series, one line each.
            panel = try curves(t.results)
        case .table(let t): panel = try table(t)
        case .list(let items):
            let results = items.compactMap { v -> ResultValue? in if case .result(let r) = v { return r } else { return nil } }
            guard results.count == items.count, !results.isEmpty else {
                throw interpreter.failure("plot needs a result, a list of results or a table, got \(value.shortDescription)", subject.range)
            }
            panel = try curves(results)
        default:
            throw interpreter.failure("plot needs a result, a list of results or a table, got \(value.shortDescription)", subject.range)
        }
        if let title = try text("title"), !title.isEmpty { panel.title = title }
        if let l = try text("xlabel") { panel.x.label = l }
        if let l = try text("ylabel") { panel.y.label = l }
        if try flag("logx") { panel.x.scale = .log(base: 10) }
        if try flag("logy") { panel.y.scale = .log(base: 10) }
        if let lim = try option("ylim") {
            guard case .list(let items) = lim, items.count == 2, let lo = items[0].asNumber, let hi = items[1].asNumber, lo < hi else {
                throw interpreter.failure("ylim needs [low, high] with low < high", range("ylim"))
            }
            panel.y.min = lo
            panel.y.max = hi
        }
        panel.layers += try horizontalLines()
        return .figure(Figure(panel))
    }

    /// Whether a plot of training curves has `x="samples"` (x = step times
    /// batch size) rather than the default `x="steps"`.
    private func samplesOnX() throws -> Bool {
        guard let x = try text("x"), x != "steps" else { return false }
        if x == "samples" { return true }
        let hint = Suggestions.nearest(x, in: Registry.curveAxes).map { "; did you mean '\($0)'?" } ?? ""
        throw interpreter.failure(Registry.notACurveAxis(x) + hint, range("x"))
    }

    /// `hline=`: grey dashed horizontal lines at given heights, e.g. log N for a
    /// bound with no ceiling of its own (002 Figs. 1-3 draw log N this way),
    /// labelled `hlabel = value`. The option's check has made them finite numbers.
    private func horizontalLines() throws -> [Layer] {
        guard let h = try option("hline") else { return [] }
        let heights = (h.asList ?? [h]).compactMap(\.asNumber)
        let names = try lineNames(count: heights.count)
        return zip(heights, names).map { y, name in
            let label = name.isEmpty ? Format.number(y) : "\(name) = \(Format.number(y))"
            return .reference(.horizontal(y, label: label, color: .grey, width: 2, dash: .dashed))
        }
    }

    /// `hlabel=`: one name for every hline, or one name per line.
    private func lineNames(count: Int) throws -> [String] {
        switch try option("hlabel") {
        case nil: return Array(repeating: "", count: count)
        case .string(let name)?: return Array(repeating: name, count: count)
        case .list(let items)? where items.count == count:
            return items.compactMap(\.asString)
        case let other?:
            throw interpreter.failure("hlabel needs a name, or one name per hline (\(count)), got \(other.shortDescription)",
                                      range("hlabel"))
        }
    }

    /// Results drawn against training steps: their training traces, or with
    /// `y=` one of a `learn` run's evaluation series (`test`, `probe`,
    /// `cond_p0` ... `cond_p100`, or `cond` for all six percentiles).
    private func curves(_ results: [ResultValue]) throws -> Panel {
        guard let y = try text("y") else { return try traces(results) }
        let series = ["test", "test_se", "probe", "probe_train", "probe_loss", "grad_norm", "classifier_loss",
                      "classifier_accuracy", "encoder_loss", "reconstruction", "vinfo", "mlp_probe", "mlp_probe_loss",
                      "cond"] + ResultValue.conditioningPercentiles.map { "cond_p\($0)" }
        guard series.contains(y) else {
            let hint = Suggestions.nearest(y, in: series).map { "; did you mean '\($0)'?" } ?? ""
            throw interpreter.failure("for results, y is a learn run's evaluation series (\(series.joined(separator: ", ")))"
                                      + ", got \"\(y)\"" + hint, range("y"))
        }
        guard results.allSatisfy(\.hasEvaluations) else {
            throw interpreter.failure("y=\"\(y)\" plots what learn records; these results come from estimate", range("y"))
        }
        // Series one kind of learn run records and the other does not.
        if let r = results.first(where: { $0.evaluationSeries(y == "cond" ? "cond_p0" : y) == nil }) {
            let kind = r.adversarial != nil || r.reconstruction != nil ? "learn \(r.estimator)"
                : "learn with a bound (\(r.estimator))"
            throw interpreter.failure("y=\"\(y)\" is not recorded by \(kind)", range("y"))
        }
        if y == "grad_norm", let r = results.first(where: { ($0.evaluationSeries(y) ?? []).allSatisfy(\.isNaN) }) {
            throw interpreter.failure("y=\"grad_norm\" is recorded with a gradient penalty (learn wpc, or lipschitz=gp); "
                                      + "\(r.estimator) with \(r.critic) ran without one", range("y"))
        }
        let labels = Self.labels(results)
        var layers: [Layer] = []
        for (i, r) in results.enumerated() {
            let x = r.evaluationSeries("eval_steps") ?? []
            if y == "cond" {
                // 001 Fig. 2c: one line per percentile, darker towards the median.
                for (j, p) in ResultValue.conditioningPercentiles.enumerated() {
                    let values = r.evaluationSeries("cond_p\(p)") ?? []
                    let name = results.count == 1 ? "p\(p)" : "\(labels[i]), p\(p)"
                    layers.append(.points(Points(name, x: x, y: values, color: Palette.color(results.count == 1 ? j : i),
                                                 connected: true)))
                }
            } else {
                layers.append(.points(Points(labels[i], x: x, y: r.evaluationSeries(y) ?? [], color: Palette.color(i),
                                             connected: true)))
            }
        }
        if y == "probe" || y == "probe_loss" {
            var seen = Set<Double>()
            for r in results {
                guard let b = y == "probe" ? r.baselineAccuracy : r.baselineLoss, seen.insert(b).inserted else { continue }
                layers.append(.reference(.horizontal(b, label: "raw pixels = \(Format.number(b))", dash: .dashed)))
            }
        }
        if y == "test", try flag("log_k") {
            var seen = Set<Double>()
            for r in results {
                guard let c = r.trace.ceiling, seen.insert(c).inserted else { continue }
                layers.append(.reference(.horizontal(c, label: "log K = \(Format.number(c))", dash: .dashed)))
            }
        }
        let names = ["test": "test I_EST (nats)", "test_se": "standard error of test I_EST", "probe": "probe test accuracy",
                     "probe_train": "probe training accuracy", "probe_loss": "probe test loss (nats)",
                     "grad_norm": "mean ||grad f|| at test interpolates",
                     "classifier_loss": "in-loop classifier test loss (nats)",
                     "classifier_accuracy": "in-loop classifier test accuracy",
                     "encoder_loss": "cross-entropy to uniform (nats)", "cond": "condition number of g1's Jacobian",
                     "reconstruction": "test reconstruction loss (per pixel)", "vinfo": "test I_V (nats)",
                     "mlp_probe": "MLP probe test accuracy", "mlp_probe_loss": "MLP probe test loss (nats)"]
        var panel = Panel(title: results.count == 1 ? "\(results[0].estimator), \(Self.shortCritic(results[0].critic))" : nil,
                          x: Axis(results.allSatisfy { $0.adversarial != nil || $0.reconstruction?.joint == false }
                                  ? "encoder step" : "training step"),
                          y: Axis(names[y] ?? "condition number (\(y.dropFirst(5)))"),
                          legend: .topLeft, layers: layers)
        panel.grid = true
        return panel
    }

    /// Training curves: light raw trace, dark smoothed trace, and optionally
    /// the truth (a staircase when it changes over training) and the ceiling.
    private func traces(_ results: [ResultValue]) throws -> Panel {
        let showRaw = (try option("raw"))?.asBool ?? true
        let bySamples = try samplesOnX()
        var layers: [Layer] = []
        let labels = Self.labels(results)
        for (i, r) in results.enumerated() {
            let estimates = r.trace.estimates
            // Against pairs drawn, runs with different batch sizes line up by
            // data seen (002 App. C: for batches below 512 an epoch holds a
            // fixed number of samples).
            let scale = bySamples ? Double(r.batch) : 1
            let x = estimates.indices.map { Double($0 + 1) * scale }
            let smoothed = r.smoothedCurve
            let label = labels[i]
            let color = Palette.color(i)
            let (sx, sy) = Self.thin(smoothed.x.map { $0 * scale }, smoothed.y)
            var series = LineSeries(label, x: sx, y: sy, color: color, width: 2)
            if showRaw {
                let (rx, ry) = Self.envelope(x, estimates)
                series.raw = RawTrace(x: rx, y: ry)
            }
            layers.append(.line(series))
        }
        if try flag("truth"), let first = results.first {
            let truths = first.trace.steps.map { $0.truth ?? .nan }
            if truths.contains(where: { $0.isFinite }) {
                let scale = bySamples ? Double(first.batch) : 1
                let x = truths.indices.map { Double($0 + 1) * scale }
                let (tx, ty) = Self.changes(x, truths)
                layers.append(.reference(ReferenceLine(.curve(x: tx, y: ty, stepped: true), label: "true MI",
                                                      color: .black, width: 2)))
            }
        }
        if try flag("log_k") {
            var seen = Set<Double>()
            for r in results {
                guard let c = r.trace.ceiling, seen.insert(c).inserted else { continue }
                let label = r.estimator.hasPrefix("alpha") ? "1 + log(K/α)" : "log K"
                layers.append(.reference(.horizontal(c, label: "\(label) = \(Format.number(c))", dash: .dashed)))
            }
        }
        var panel = Panel(title: results.count == 1 ? "\(results[0].estimator), \(Self.shortCritic(results[0].critic))" : nil,
                          x: Axis(bySamples ? "pairs drawn" : "training step"), y: Axis("MI estimate (nats)"),
                          legend: .topLeft, layers: layers)
        panel.grid = true
        return panel
    }

    /// A table: one line per value of `by`, `y` against `x`.
    private func table(_ t: TableValue) throws -> Panel {
        let numericColumns = t.columns.filter { c in t.column(c)?.allSatisfy { $0.asNumber != nil } ?? false }
        let xName = try text("x") ?? numericColumns.first { !["final", "truth", "bias", "std", "steps_per_s"].contains($0) }
            ?? numericColumns.first ?? ""
        let yName = try text("y") ?? "final"
        let byName = try text("by") ?? (t.columns.contains("estimator") && Set(t.column("estimator")!.map(\.shortDescription)).count > 1 ? "estimator" : nil)
        func column(_ name: String, _ option: String) throws -> [Value] {
            if let c = t.column(name) { return c }
            if t.results.count == t.rows.count, let first = t.results.first, first.field(name) != nil {
                return t.results.map { $0.field(name)! }
            }
            throw interpreter.failure("the table has no column '\(name)'; columns: \(t.columns.joined(separator: ", "))",
                                      range(option))
        }
        let xs = try column(xName, "x"), ys = try column(yName, "y")
        if let zName = try text("z") {
            return try heatMap(x: (xName, xs), y: (yName, ys), z: (zName, try column(zName, "z")))
        }
        let groups = try byName.map { try column($0, "by") } ?? Array(repeating: Value.string(""), count: xs.count)
        var order: [String] = []
        var points: [String: [(Double, Double)]] = [:]
        for ((xv, yv), g) in zip(zip(xs, ys), groups) {
            guard let x = xv.asNumber, let y = yv.asNumber else {
                throw interpreter.failure("x and y columns must hold numbers ('\(xName)', '\(yName)')", command.range)
            }
            let key = g.asString ?? (g.asNumber != nil && byName != nil ? "\(byName!) = \(g.shortDescription)" : g.shortDescription)
            if points[key] == nil { order.append(key) }
            points[key, default: []].append((x, y))
        }
        var layers: [Layer] = []
        for (i, key) in order.enumerated() {
            let ps = points[key]!.sorted { $0.0 < $1.0 }
            layers.append(.points(Points(key.isEmpty ? yName : key, x: ps.map(\.0), y: ps.map(\.1),
                                         color: Palette.color(i), connected: true)))
        }
        if try flag("truth"), t.columns.contains("truth") || t.results.count == t.rows.count {
            let truth = try column("truth", "truth")
            let ps = zip(xs, truth).compactMap { x, y in x.asNumber.flatMap { a in y.asNumber.map { (a, $0) } } }
                .sorted { $0.0 < $1.0 }
            layers.append(.reference(ReferenceLine(.curve(x: ps.map(\.0), y: ps.map(\.1), stepped: false),
                                                  label: "true MI", color: .black, width: 2)))
        }
        if try flag("log_k"), let ks = t.column("batch")?.compactMap(\.asNumber), let k = ks.first,
           ks.allSatisfy({ $0 == k }) {
            let logK = Foundation.log(k)
            layers.append(.reference(.horizontal(logK, label: "log K = \(Format.number(logK))", dash: .dashed)))
        }
        var panel = Panel(x: Axis(xName), y: Axis(yName), legend: .topLeft, layers: layers)
        panel.grid = true
        return panel
    }

    /// A heat map of column `z` over the distinct values of `x` (columns,
    /// ascending) and `y` (rows, ascending upwards); missing cells stay blank.
    private func heatMap(x: (name: String, values: [Value]), y: (name: String, values: [Value]),
                         z: (name: String, values: [Value])) throws -> Panel {
        func numbers(_ c: (name: String, values: [Value]), _ option: String) throws -> [Double] {
            try c.values.map {
                guard let v = $0.asNumber else {
                    throw interpreter.failure("column '\(c.name)' must hold numbers for a heat map", range(option))
                }
                return v
            }
        }
        let xv = try numbers(x, "x"), yv = try numbers(y, "y"), zv = try numbers(z, "z")
        let columns = Array(Set(xv)).sorted(), rows = Array(Set(yv)).sorted()
        var values = Array(repeating: Array(repeating: Double.nan, count: columns.count), count: rows.count)
        for i in zv.indices {
            values[rows.firstIndex(of: yv[i])!][columns.firstIndex(of: xv[i])!] = zv[i]
        }
        let map = HeatMap(values: values, columnLabels: columns.map(Format.number), rowLabels: rows.map(Format.number),
                          colorBarLabel: z.name)
        return Panel(x: Axis(x.name), y: Axis(y.name), legend: .none, layers: [.heatMap(map)])
    }

    private static func shortCritic(_ c: String) -> String {
        c.split(separator: "(").first.map(String.init) ?? c
    }

    /// Legend labels naming what differs between the runs of one panel
    /// (estimator, critic, batch size, true MI, data); the estimator alone
    /// when nothing does.
    static func labels(_ results: [ResultValue]) -> [String] {
        let mi: (ResultValue) -> String = { "MI = \(Format.number($0.truth ?? .nan))" }
        var parts: [(ResultValue) -> String] = [{ $0.estimator }, { shortCritic($0.critic) }, { "K = \($0.batch)" }, mi]
        // Data named by its MI (gaussian(dim=20, mi=5)) says nothing the MI
        // part does not: name it only when it differs beyond its MI.
        if Set(results.map { "\(mi($0))|\($0.data)" }).count > Set(results.map(mi)).count {
            parts.append { $0.data }
        }
        parts += ["encoder", "shared", "target", "probe", "seed", "negatives", "act", "lr", "weight_decay", "dropout", "lipschitz", "penalty"].map { name in
            { r in r.settings.first { $0.0 == name }.map { "\(name) = \($0.1.shortDescription)" } ?? "" }
        }
        let varying = parts.filter { part in Set(results.map(part)).count > 1 }
        if varying.isEmpty { return results.map(\.estimator) }
        return results.map { r in varying.map { $0(r) }.joined(separator: ", ") }
    }

    // MARK: figure

    func arrange() throws -> Value {
        guard let subject = command.subject else { throw interpreter.failure("figure needs a list of plots", command.verbRange) }
        let value = try interpreter.evaluate(subject)
        var panels: [Panel] = []
        switch value {
        case .figure(let f): panels = f.panels
        case .list(let items):
            for item in items {
                guard case .figure(let f) = item else {
                    throw interpreter.failure("figure needs plots, got \(item.shortDescription)", subject.range)
                }
                panels += f.panels
            }
        default:
            throw interpreter.failure("figure needs a list of plots, got \(value.shortDescription)", subject.range)
        }
        guard !panels.isEmpty else { throw interpreter.failure("figure needs at least one plot", subject.range) }
        let columns = (try option("cols"))?.asNumber.map { Int($0) } ?? min(3, panels.count)
        let title = try text("title").flatMap { $0.isEmpty ? nil : $0 }
        var figure = Figure(title: title, panels: panels, columns: columns)
        if let w = (try option("width"))?.asNumber {
            let auto = figure.resolvedSize
            let h = (try option("height"))?.asNumber.map { Int($0) } ?? Int(Double(auto.height) * w / Double(auto.width))
            figure.size = FigureSize(width: Int(w), height: h)
        } else if let h = (try option("height"))?.asNumber {
            figure.size = FigureSize(width: figure.resolvedSize.width, height: Int(h))
        }
        return .figure(figure)
    }

    // MARK: Thinning

    /// Every k-th point, so at most `maximumPoints` remain (smooth curves).
    static func thin(_ x: [Double], _ y: [Double]) -> ([Double], [Double]) {
        guard x.count > maximumPoints else { return (x, y) }
        let step = (x.count + maximumPoints - 1) / maximumPoints
        let idx = Array(stride(from: 0, to: x.count, by: step)) + [x.count - 1]
        return (idx.map { x[$0] }, idx.map { y[$0] })
    }

    /// Minimum and maximum of each bucket, in step order (noisy raw traces).
    static func envelope(_ x: [Double], _ y: [Double]) -> ([Double], [Double]) {
        guard x.count > maximumPoints else { return (x, y) }
        let buckets = maximumPoints / 2
        let size = (x.count + buckets - 1) / buckets
        var ox: [Double] = [], oy: [Double] = []
        for start in stride(from: 0, to: x.count, by: size) {
            let r = start..<min(start + size, x.count)
            let finite = r.filter { y[$0].isFinite }
            guard let lo = finite.min(by: { y[$0] < y[$1] }), let hi = finite.max(by: { y[$0] < y[$1] }) else { continue }
            for i in [lo, hi].sorted() { ox.append(x[i]); oy.append(y[i]) }
        }
        return (ox, oy)
    }

    /// The points where a piecewise-constant series changes, plus its end.
    static func changes(_ x: [Double], _ y: [Double]) -> ([Double], [Double]) {
        var ox: [Double] = [], oy: [Double] = []
        for i in x.indices where i == 0 || y[i] != y[i - 1] || i == x.count - 1 {
            ox.append(x[i]); oy.append(y[i])
        }
        return (ox, oy)
    }
}
