import Foundation
import Testing
@testable import MIPlot

/// The generated script and data table of representative figures, compared
/// byte for byte with the files under `Tests/MIPlotTests/Golden/`.
///
/// Rewrite them after an intended change with
/// `MI_UPDATE_GOLDEN=1 swift test --filter GoldenTests`, then review the diff.
@Suite struct GoldenTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let figure: Figure
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "training-panel", figure: Fixtures.trainingPanel),
        Case(name: "grid-2x3", figure: Fixtures.grid),
        Case(name: "log-bands", figure: Fixtures.logBands),
        Case(name: "heat-map", figure: Fixtures.heatMap),
    ]

    @Test(arguments: cases)
    func scriptAndTableMatchGolden(_ c: Case) throws {
        let generated = try GnuplotScript(figure: c.figure, name: c.name)
        try Golden.check(generated.script, file: c.name + ".gp")
        try Golden.check(generated.table, file: c.name + ".dat")
    }

    /// The two golden files alone, copied to an empty directory, redraw the
    /// figure with a plain `gnuplot NAME.gp` (SVG by default) and, with
    /// `format="png"`, as a PNG of the figure's size.
    @Test(arguments: cases)
    func goldenFilesRedrawByHand(_ c: Case) throws {
        let scratch = try Scratch("golden")
        defer { scratch.remove() }
        for ext in ["gp", "dat"] {
            try FileManager.default.copyItem(at: Golden.url("\(c.name).\(ext)"), to: scratch.file("\(c.name).\(ext)"))
        }
        let runner = ProcessGnuplotRunner()
        _ = try runner.run(GnuplotJob(scriptFile: "\(c.name).gp", directory: scratch.url))
        let svg = try Data(contentsOf: scratch.file("\(c.name).svg"))
        #expect(FileChecks.parseXML(svg)?.root == "svg")

        _ = try runner.run(GnuplotJob(scriptFile: "\(c.name).gp", directory: scratch.url,
                                      variables: [.init("format", "'png'")]))
        let png = try Data(contentsOf: scratch.file("\(c.name).png"))
        let size = c.figure.resolvedSize
        #expect(PNGHeader.size(of: png).map { [$0.width, $0.height] } == [size.width, size.height])
    }

    @Test func generationIsDeterministic() throws {
        let a = try GnuplotScript(figure: Fixtures.grid, name: "g")
        let b = try GnuplotScript(figure: Fixtures.grid, name: "g")
        #expect(a == b)
    }
}
