import Foundation
import MIPlot

/// Representative figures, built from deterministic synthetic data (no
/// engine): the shapes of the papers' figures, small enough for golden files.
enum Fixtures {
    /// A tiny deterministic generator (64-bit LCG), so fixtures never change.
    struct Noise {
        var state: UInt64
        init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
        mutating func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        /// Roughly standard normal (sum of 4 uniforms, rescaled).
        mutating func normal() -> Double {
            (uniform() + uniform() + uniform() + uniform() - 2) * 1.7320508
        }
    }

    /// Rounds to 3 decimals, keeping the tables short and readable.
    static func r(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }

    /// Exponential moving average with the given span (as pandas' `ewm(span:)`).
    static func ema(_ xs: [Double], span: Double) -> [Double] {
        let a = 2 / (span + 1)
        var out: [Double] = []
        var m = xs.first ?? 0
        for x in xs {
            m = a * x + (1 - a) * m
            out.append(r(m))
        }
        return out
    }

    static let levels: [Double] = [2, 4, 6, 8, 10]
    static let stepsPerLevel = 40
    static let logK = log(64.0)

    /// A training trace on the MI staircase: `bias(truth)` plus noise of
    /// scale `noise`, clipped at `cap` (as nce saturates at log K).
    static func trace(seed: UInt64, noise: Double, cap: Double = .infinity,
                      bias: (Double) -> Double = { _ in 0 }) -> (x: [Double], raw: [Double], smooth: [Double]) {
        var g = Noise(seed: seed)
        var xs: [Double] = [], raw: [Double] = []
        for (i, level) in levels.enumerated() {
            for s in 0..<stepsPerLevel {
                xs.append(Double(i * stepsPerLevel + s))
                raw.append(r(min(level + bias(level), cap) + noise * g.normal()))
            }
        }
        return (xs, raw, ema(raw, span: 10))
    }

    static var truth: ReferenceLine {
        .staircase(levels: levels, stepLength: Double(stepsPerLevel), label: "true MI")
    }

    /// One panel of 004 Fig. 2: nce's raw trace light, its moving average
    /// dark, the true MI staircase in black and log K dashed.
    static var trainingPanel: Figure {
        let t = trace(seed: 1, noise: 0.35, cap: logK, bias: { -0.05 * $0 })
        let panel = Panel(
            title: "nce (K = 64)",
            x: Axis("training step"), y: Axis("MI (nats)", min: 0, max: 12),
            legend: .topLeft,
            layers: [
                .reference(truth),
                .reference(.horizontal(r(logK), label: "log K", dash: .dashed)),
                .line(LineSeries("nce", x: t.x, raw: t.raw, smoothed: t.smooth)),
            ])
        return Figure(panel)
    }

    /// A 2 x 3 grid: one estimator per panel, as the rows of 004 Fig. 2.
    static var grid: Figure {
        let specs: [(String, Double, Double, (Double) -> Double)] = [
            ("nwj", 0.8, .infinity, { _ in 0 }),
            ("js", 0.5, .infinity, { -0.1 * $0 }),
            ("nce", 0.2, logK, { _ in 0 }),
            ("tuba", 0.7, .infinity, { _ in -0.2 }),
            ("alpha=0.5", 0.3, 1 + log(64 / 0.5), { _ in 0 }),
            ("alpha=0.01", 0.4, 1 + log(64 / 0.01), { _ in 0 }),
        ]
        var panels: [Panel] = []
        for (i, spec) in specs.enumerated() {
            let t = trace(seed: UInt64(10 + i), noise: spec.1, cap: spec.2, bias: spec.3)
            var layers: [Layer] = [.line(LineSeries(spec.0, x: t.x, raw: t.raw, smoothed: t.smooth, color: Palette.color(i))),
                                   .reference(truth)]
            if spec.2.isFinite {
                layers.append(.reference(.horizontal(r(spec.2), label: i == 2 ? "log K" : "1 + log(K/alpha)", dash: .dashed)))
            }
            panels.append(Panel(title: spec.0, x: Axis(i >= 3 ? "training step" : nil),
                                y: Axis(i % 3 == 0 ? "MI (nats)" : nil, min: 0, max: 12),
                                legend: .topLeft, layers: layers))
        }
        return Figure(title: "Estimates on the MI staircase (K = 64)", rows: 2, columns: 3, panels: panels,
                      size: FigureSize(width: 1200, height: 700))
    }

    /// Log-scale axes: variance against batch size with error bands, points
    /// with error bars and a vertical reference.
    static var logBands: Figure {
        let batch: [Double] = [16, 32, 64, 128, 256, 512]
        func curve(_ scale: Double, _ power: Double) -> (mid: [Double], lo: [Double], hi: [Double]) {
            let mid = batch.map { r(scale * pow($0, -power)) }
            return (mid, mid.map { r($0 * 0.7) }, mid.map { r($0 * 1.4) })
        }
        let nwj = curve(40, 0.9), nce = curve(4, 0.6)
        let panel = Panel(
            title: "Variance of the estimate",
            x: Axis.log("batch size K"), y: Axis.log("variance (nats^2)"),
            legend: .bottomLeft,
            layers: [
                .band(Band("nwj", x: batch, lower: nwj.lo, upper: nwj.hi)),
                .band(Band("nce", x: batch, lower: nce.lo, upper: nce.hi)),
                .line(LineSeries("nwj", x: batch, y: nwj.mid)),
                .line(LineSeries("nce", x: batch, y: nce.mid)),
                .points(Points("alpha=0.5", x: batch, y: batch.map { r(10 * pow($0, -0.75)) },
                               errors: .symmetric(batch.map { r(3 * pow($0, -0.75)) }), marker: .square)),
                .reference(.vertical(64, label: "K used in Fig. 2", dash: .dotted)),
            ])
        return Figure(panel)
    }

    /// The best alpha per (MI, batch size), 004 Fig. 4 (right).
    static var heatMap: Figure {
        let mi = ["2", "4", "6", "8", "10"]
        let batch = ["16", "32", "64", "128", "256"]
        var values: [[Double]] = []
        for (i, _) in mi.enumerated() {
            values.append(batch.indices.map { j in r(min(0.99, 0.01 + 0.2 * Double(i) * 0.5 / Double(j + 1))) })
        }
        values[4][0] = .nan  // a missing cell
        let panel = Panel(
            title: "Best alpha",
            x: Axis("batch size K"), y: Axis("true MI (nats)"), legend: .none,
            layers: [.heatMap(HeatMap(values: values, columnLabels: batch, rowLabels: mi,
                                      colorBarLabel: "alpha", colorMin: 0, colorMax: 1,
                                      cellValues: .decimals(2)))])
        return Figure(panel)
    }

    /// Labels that stress the escaping: quotes, backslashes (one at the end),
    /// enhanced-text characters, gnuplot's macro and substitution
    /// characters, a newline and non-ASCII text.
    static var awkwardLabels: Figure {
        let xs: [Double] = [1, 2, 3, 4]
        let panel = Panel(
            title: "it's \"quoted\" \\ back\\slash `echo pwned` @data $1 %s",
            x: Axis("log_k and x^2 {braces} ~tilde & amp"), y: Axis("I(X;Y) ≥ 0 — nats, αβγ, é ñ ü"),
            legend: .topLeft,
            layers: [
                .line(LineSeries("log_k \\", x: xs, y: [1, 2, 3, 4])),
                .line(LineSeries("multi\nline", x: xs, y: [2, 2, 3, 1])),
                .points(Points("tab\there 'single'", x: xs, y: [1, 3, 2, 4])),
                .reference(.horizontal(2.5, label: "1 + log(K/α)", dash: .dashed)),
            ])
        return Figure(title: "Title with _underscores_ and ^carets^ \\", panels: [panel])
    }
}
