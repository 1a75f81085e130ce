import Foundation
import Testing
@testable import MIPlot

/// Real renders with the installed gnuplot.
@Suite struct RenderTests {
    @Test func pngIsValidNonTrivialAndOfTheRequestedSize() throws {
        let scratch = try Scratch("png")
        defer { scratch.remove() }
        var figure = Fixtures.trainingPanel
        figure.size = FigureSize(width: 800, height: 500)
        let written = try FigureRenderer(directory: scratch.url).render(figure, name: "fig2", formats: [.png])
        let png = try Data(contentsOf: try #require(written.images[.png]))
        let size = try #require(PNGHeader.size(of: png), "not a PNG")
        #expect(size.width == 800 && size.height == 500)
        #expect(png.count > 15_000, "a drawn figure, not a blank canvas: \(png.count) bytes")
    }

    @Test func gridPngHasTheGridSize() throws {
        let scratch = try Scratch("grid")
        defer { scratch.remove() }
        let written = try FigureRenderer(directory: scratch.url).render(Fixtures.grid, name: "grid", formats: [.png])
        let png = try Data(contentsOf: scratch.file("grid.png"))
        #expect(PNGHeader.size(of: png).map { [$0.width, $0.height] } == [1200, 700])
        #expect(png.count > 50_000)
        #expect(written.images.keys.sorted { $0.rawValue < $1.rawValue } == [.png])
    }

    @Test func svgParsesWithAnSvgRoot() throws {
        let scratch = try Scratch("svg")
        defer { scratch.remove() }
        try FigureRenderer(directory: scratch.url).render(Fixtures.logBands, name: "bands", formats: [.svg])
        let parsed = try #require(FileChecks.parseXML(try Data(contentsOf: scratch.file("bands.svg"))))
        #expect(parsed.root == "svg")
        #expect(parsed.text.contains("batch size K"))
        #expect(parsed.text.contains("variance (nats^2)"))
    }

    @Test func pdfOnRequest() throws {
        let scratch = try Scratch("pdf")
        defer { scratch.remove() }
        try FigureRenderer(directory: scratch.url).render(Fixtures.heatMap, name: "alpha", formats: [.pdf])
        let pdf = try Data(contentsOf: scratch.file("alpha.pdf"))
        #expect(pdf.starts(with: Data("%PDF-".utf8)))
        #expect(pdf.count > 2_000)
    }

    @Test func renderWritesScriptTableAndImagesAndReportsThem() throws {
        let scratch = try Scratch("paths")
        defer { scratch.remove() }
        let dir = scratch.url.appendingPathComponent("Figures/nb", isDirectory: true)  // created on demand
        let written = try FigureRenderer(directory: dir).render(Fixtures.trainingPanel, name: "fig2", formats: [.svg, .png])
        #expect(written.paths.map(\.lastPathComponent) == ["fig2.svg", "fig2.png", "fig2.dat", "fig2.gp"])
        for url in written.paths { #expect(FileManager.default.fileExists(atPath: url.path)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
                == ["fig2.dat", "fig2.gp", "fig2.png", "fig2.svg"])
        // The script finds its table by relative path only.
        let script = try String(contentsOf: written.script, encoding: .utf8)
        #expect(script.contains("data = 'fig2.dat'"))
        #expect(!script.contains(scratch.url.path))
    }

    @Test func dumbReturnsTextOfTheRequestedSize() throws {
        let text = try FigureRenderer.dumb(Fixtures.trainingPanel, width: 90, height: 28)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(text.contains("nce (K = 64)"))
        #expect(text.contains("training step"))
        #expect(text.contains("true MI"))
        #expect(!text.contains("\u{0C}"))  // no form feed
        #expect(lines.count >= 28 && lines.count <= 30)
        #expect(lines.allSatisfy { $0.count <= 90 })
    }

    @Test func dumbDrawsAGrid() throws {
        let text = try FigureRenderer.dumb(Fixtures.grid, width: 160, height: 50)
        for title in ["nwj", "js", "nce", "tuba", "alpha=0.5", "alpha=0.01"] { #expect(text.contains(title)) }
    }

    @Test func dumbFormatInARenderWritesText() throws {
        let scratch = try Scratch("txt")
        defer { scratch.remove() }
        let written = try FigureRenderer(directory: scratch.url).render(Fixtures.heatMap, name: "alpha", formats: [.dumb])
        let text = try String(contentsOf: try #require(written.images[.dumb]), encoding: .utf8)
        #expect(text.contains("Best alpha"))
    }

    @Test func emptyPanelsAndAllMissingSeriesStillDraw() throws {
        let scratch = try Scratch("empty")
        defer { scratch.remove() }
        let nan = Double.nan
        let figure = Figure(panels: [
            Panel(title: "nothing yet"),
            Panel(title: "diverged", x: Axis("step"), y: .log("loss"),
                  layers: [.line(LineSeries("mine", x: [1, 2, 3], y: [nan, .infinity, nan]))]),
            Panel(title: "gap", layers: [.line(LineSeries("nwj", x: [1, 2, 3, 4, 5], y: [1, nan, 2, 3, nan]))]),
        ])
        try FigureRenderer(directory: scratch.url).render(figure, name: "empty", formats: [.png])
        #expect(PNGHeader.size(of: try Data(contentsOf: scratch.file("empty.png"))) != nil)
        let table = try String(contentsOf: scratch.file("empty.dat"), encoding: .utf8)
        #expect(table.contains("# x y\n1 1\n\n3 2\n4 3\n"))
    }

    @Test func oneRowHeatMapDraws() throws {
        let scratch = try Scratch("row")
        defer { scratch.remove() }
        let figure = Figure(Panel(layers: [.heatMap(HeatMap(values: [[0.1, 0.5, 0.9]], columnLabels: ["a", "b", "c"],
                                                             rowLabels: ["only"]))]))
        try FigureRenderer(directory: scratch.url).render(figure, name: "row", formats: [.png])
        #expect(PNGHeader.size(of: try Data(contentsOf: scratch.file("row.png"))) != nil)
    }
}

extension RenderTests {
    /// Every legend position, marker, dash, error-bar kind and reference
    /// geometry produces a script gnuplot accepts, in every format.
    @Test func everyOptionIsValidGnuplot() throws {
        let xs: [Double] = [1, 2, 4, 8]
        let legends: [LegendPosition] = [.none, .topLeft, .topRight, .bottomLeft, .bottomRight, .outsideRight, .below]
        let markers: [Marker] = [.circle, .square, .triangle, .diamond, .cross, .plus,
                                 .openCircle, .openSquare, .openTriangle, .openDiamond]
        let dashes: [Dash] = [.solid, .dashed, .dotted, .dashDot]
        var panels: [Panel] = []
        for (i, legend) in legends.enumerated() {
            var layers: [Layer] = [
                .line(LineSeries("dash \(i)", x: xs, y: xs.map { $0 + Double(i) }, dash: dashes[i % dashes.count],
                                 raw: RawTrace(x: xs, y: xs, color: .grey, width: 0.5))),
                .points(Points("m \(i)", x: xs, y: xs, errors: i % 2 == 0 ? .symmetric([0.1, 0.2, 0.3, 0.4])
                                                                    : .interval(lower: xs.map { $0 - 1 }, upper: xs.map { $0 + 1 }),
                               marker: markers[i], size: 1.5, connected: i % 2 == 0)),
                .points(Points(nil, x: xs, y: xs.reversed(), marker: markers[i + 3])),
                .band(Band("own band", x: xs, lower: xs.map { $0 / 2 }, upper: xs, color: .olive, opacity: 0.4)),
                .reference(.vertical(3)),
                .reference(.vertical(5, label: "x = 5", color: .vermillion, dash: .dashDot)),
                .reference(ReferenceLine(.curve(x: xs, y: xs.map { $0 * 0.8 }, stepped: false), label: "curve")),
            ]
            if i == 3 { layers.append(.reference(.horizontal(2))) }
            panels.append(Panel(title: "legend \(i)", x: i == 4 ? Axis(scale: .log(base: 2)) : Axis("x", min: 0.5),
                                y: Axis("y", max: 15), legend: legend, grid: i % 2 == 0, layers: layers))
        }
        panels.append(Panel(layers: [.heatMap(HeatMap(values: [[1, 2], [3, 4]], columnLabels: [], rowLabels: [],
                                                       cellValues: .hidden))]))
        panels.append(Panel(layers: [.heatMap(HeatMap(values: [[7, 7], [7, .nan]], columnLabels: ["a", "b"],
                                                       rowLabels: ["c", "d"], cellValues: .significant(3)))]))
        let figure = Figure(title: "everything", panels: panels, columns: 3)
        let scratch = try Scratch("options")
        defer { scratch.remove() }
        let written = try FigureRenderer(directory: scratch.url).render(figure, name: "all", formats: OutputFormat.allCases)
        #expect(written.images.count == 4)
        _ = try FigureRenderer.dumb(figure, width: 150, height: 60, color: true)
    }
}
