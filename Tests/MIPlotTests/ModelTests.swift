import Foundation
import Testing
@testable import MIPlot

@Suite struct ModelTests {
    @Test func automaticLayout() {
        func grid(_ n: Int, _ columns: Int? = nil) -> [Int] {
            let g = GridLayout.automatic(panelCount: n, columns: columns)
            return [g.rows, g.columns]
        }
        #expect(grid(1) == [1, 1])
        #expect(grid(2) == [1, 2])
        #expect(grid(3) == [1, 3])
        #expect(grid(4) == [2, 2])
        #expect(grid(6) == [2, 3])
        #expect(grid(7) == [3, 3])
        #expect(grid(5, 2) == [3, 2])
        #expect(grid(14, 7) == [2, 7])
        #expect(Figure(panels: Array(repeating: Panel(), count: 5), columns: 3).layout == GridLayout(rows: 2, columns: 3))
    }

    @Test func automaticSize() {
        #expect(FigureSize.automatic(for: GridLayout(rows: 1, columns: 1)) == FigureSize(width: 640, height: 480))
        #expect(FigureSize.automatic(for: GridLayout(rows: 2, columns: 3)) == FigureSize(width: 1440, height: 720))
        var f = Fixtures.trainingPanel
        f.size = FigureSize(width: 300, height: 200)
        #expect(f.resolvedSize == FigureSize(width: 300, height: 200))
    }

    @Test func validationNamesThePanelAndLayer() {
        let bad = Figure(panels: [Panel(), Panel(title: "nce", layers: [
            .reference(.horizontal(1)),
            .line(LineSeries("nce", x: [1, 2, 3], y: [1, 2])),
        ])])
        #expect(throws: PlotError.invalidFigure("panel 2 (\"nce\"), layer 2 (line \"nce\"): x has 3 values but y has 2")) {
            try bad.validate()
        }
        #expect(throws: PlotError.self) {
            try Figure(rows: 1, columns: 1, panels: [Panel(), Panel()]).validate()
        }
        #expect(throws: PlotError.self) { try Figure(Panel(y: Axis.log(min: 0, max: 1))).validate() }
        #expect(throws: PlotError.self) { try Figure(Panel(x: Axis(min: 2, max: 1))).validate() }
        #expect(throws: PlotError.self) {
            try Figure(Panel(layers: [.heatMap(HeatMap(values: [[1, 2], [3]], columnLabels: [], rowLabels: []))])).validate()
        }
        #expect(throws: PlotError.self) {
            try Figure(Panel(layers: [.band(Band(x: [1, 2], lower: [0], upper: [1, 2]))])).validate()
        }
        #expect(throws: PlotError.self) {
            try Figure(Panel(layers: [.points(Points("p", x: [1], y: [1], errors: .symmetric([])))])).validate()
        }
        #expect(throws: Never.self) { try Fixtures.grid.validate() }
    }

    @Test func paletteAndTints() {
        #expect(Palette.color(0) == .blue)
        #expect(Palette.color(Palette.series.count) == .blue)
        #expect(Color(hex: 0x0072B2).hex == "#0072B2")
        #expect(Color.black.tint(1) == .white)
        #expect(Color.blue.tint(0) == .blue)
        let light = Color.blue.tint(Palette.rawTint)
        #expect(light.luminance > Color.blue.luminance + 0.3)
        #expect(Palette.heatMapColor(0) == Palette.heatMap.first)
        #expect(Palette.heatMapColor(1) == Palette.heatMap.last)
        // Okabe-Ito: no two series colours alike.
        #expect(Set(Palette.series).count == Palette.series.count)
    }

    @Test func automaticColoursFollowTheSeries() {
        let panel = Panel(layers: [
            .band(Band("nce", x: [1], lower: [0], upper: [1])),
            .line(LineSeries("nwj", x: [1], y: [1])),
            .line(LineSeries("nce", x: [1], y: [1])),
            .reference(.horizontal(1)),
            .points(Points("p", x: [1], y: [1], color: .orange)),
            .band(Band("other", x: [1], lower: [0], upper: [1])),
        ])
        let colors = PanelScript(panel: panel, number: 1, row: 1, column: 1).resolveColors()
        #expect(colors == [Palette.color(1), Palette.color(0), Palette.color(1), .black, .orange, Palette.color(2)])
    }

    @Test func staircaseHoldsEachLevel() {
        let s = ReferenceLine.staircase(levels: [2, 4, 6], stepLength: 100, start: 0, label: "true MI")
        #expect(s.geometry == .curve(x: [0, 100, 200, 300], y: [2, 4, 6, 6], stepped: true))
        #expect(s.color == .black)
    }

    @Test func tableBreaksLinesAtMissingValuesWithoutEndingTheBlock() {
        var table = DataTable()
        table.add(about: "a", columns: ["x", "y"], rows: [[0, .nan], [1, 1], [2, .nan], [3, .infinity], [4, 4], [5, .nan]])
        table.add(about: "b", columns: ["x", "y"], rows: [[0, 0]])
        let text = table.text(fileName: "t.dat", scriptName: "t.gp", title: nil)
        #expect(text.contains("# x y\n1 1\n\n4 4\n\n\n# index 1: b\n# x y\n0 0\n"))
        #expect(!text.contains("\n\n\n\n"))
    }

    @Test func bandsTakeTheirSeriesLegendEntry() throws {
        let script = try GnuplotScript(figure: Fixtures.logBands, name: "b").script
        #expect(script.contains("with filledcurves fc rgb '#0072B2' fs transparent solid 0.25 noborder notitle"))
        #expect(script.components(separatedBy: "title 'nwj'").count == 2)
    }

    @Test func stackingOrderPutsRawTracesBehindAndReferencesOnTop() throws {
        let script = try GnuplotScript(figure: Fixtures.trainingPanel, name: "t").script
        let plot = script.components(separatedBy: "plot \\\n")[1]
        let raw = try #require(plot.range(of: "lc rgb '\(Color.blue.tint(Palette.rawTint).hex)' lw 1 notitle"))
        let smooth = try #require(plot.range(of: "title 'nce'"))
        let truth = try #require(plot.range(of: "with steps"))
        let logK = try #require(plot.range(of: "dt 2 title 'log K'"))
        #expect(raw.lowerBound < smooth.lowerBound)
        #expect(smooth.lowerBound < truth.lowerBound)
        #expect(truth.lowerBound < logK.lowerBound)
    }
}
