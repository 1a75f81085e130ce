import Foundation
import Testing
@testable import MIPlot

/// Writes every fixture as SVG, PNG and PDF into the directory named by
/// `MI_PLOT_SAMPLES`, for looking at by eye:
///
///     MI_PLOT_SAMPLES=/tmp/samples swift test --filter SampleTests
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MI_PLOT_SAMPLES"] != nil))
struct SampleTests {
    @Test func writeSamples() throws {
        let dir = URL(fileURLWithPath: ProcessInfo.processInfo.environment["MI_PLOT_SAMPLES"]!, isDirectory: true)
        let renderer = FigureRenderer(directory: dir)
        let figures: [(String, Figure)] = [
            ("training-panel", Fixtures.trainingPanel), ("grid-2x3", Fixtures.grid), ("log-bands", Fixtures.logBands),
            ("heat-map", Fixtures.heatMap), ("awkward-labels", Fixtures.awkwardLabels),
        ]
        for (name, figure) in figures {
            try renderer.render(figure, name: name, formats: [.svg, .png, .pdf])
        }
        print(try FigureRenderer.dumb(Fixtures.trainingPanel, width: 100, height: 30))
    }
}

extension SampleTests {
    /// The size of 004 Fig. 2: 2 x 7 panels, 20000 steps each, raw and smoothed.
    @Test func fullSizeFigure2() throws {
        let dir = URL(fileURLWithPath: ProcessInfo.processInfo.environment["MI_PLOT_SAMPLES"]!, isDirectory: true)
        var g = Fixtures.Noise(seed: 3)
        let steps = 20_000
        let xs = (0..<steps).map(Double.init)
        let truth = (0..<steps).map { Double(2 + 2 * ($0 / 4000)) }
        var panels: [Panel] = []
        for i in 0..<14 {
            let raw = truth.map { Float(min($0, 4.16 + Double(i % 7)) + 0.5 * g.normal()) }.map(Double.init)
            let smooth = Fixtures.ema(raw, span: 200)
            panels.append(Panel(title: "estimator \(i % 7)", x: Axis("step"), y: Axis("MI", min: 0, max: 12), layers: [
                .line(LineSeries("est \(i)", x: xs, raw: raw, smoothed: smooth)),
                .reference(.staircase(levels: [2, 4, 6, 8, 10], stepLength: 4000, label: "true MI")),
                .reference(.horizontal(4.16, label: "log K", dash: .dashed)),
            ]))
        }
        let figure = Figure(title: "Figure 2 at full size", rows: 2, columns: 7, panels: panels)
        let clock = ContinuousClock()
        var generated: GnuplotScript?
        let generation = try clock.measure { generated = try GnuplotScript(figure: figure, name: "fig2-full") }
        print("generation: \(generation), table \(generated!.table.utf8.count) bytes")
        let render = try clock.measure {
            try FigureRenderer(directory: dir).render(figure, name: "fig2-full", formats: [.svg, .png])
        }
        print("render (svg, png): \(render)")
    }
}
