import XCTest
import MILanguage
import MIPlot

/// What `plot` options put into the figure model (the gnuplot text is
/// checked by the notebook goldens).
final class PlotOptionTests: XCTestCase {
    private func panel(_ plot: String) throws -> Panel {
        let observer = CollectingObserver()
        let session = Session(observer: observer)
        try session.run(SourceFile(name: "t.mi", text: """
            r = estimate nce critic=optimal batch=8 steps=5 data=gaussian(dim=2, mi=0.5)
            \(plot)
            """))
        for case .figure(let f) in observer.outputs { return try XCTUnwrap(f.panels.first) }
        throw XCTSkip("no figure")
    }

    private func references(_ p: Panel) -> [ReferenceLine] {
        p.layers.compactMap { if case .reference(let r) = $0 { return r } else { return nil } }
    }

    func testHlineDrawsOneDashedLinePerValueWithItsName() throws {
        let lines = references(try panel(#"plot r hline=[log(8), 1] hlabel=["log N", "one"]"#))
        XCTAssertEqual(lines.map(\.geometry), [.horizontal(log(8)), .horizontal(1)])
        XCTAssertEqual(lines.map(\.label), ["log N = 2.079", "one = 1"])
        XCTAssertEqual(Set(lines.map(\.dash)), [.dashed])
        let one = references(try panel("plot r hline=0.5"))
        XCTAssertEqual(one.map(\.label), ["0.5"])
    }

    func testSamplesOnXScalesStepsByTheBatchSize() throws {
        let p = try panel(#"plot r x="samples" raw=true"#)
        guard case .line(let series)? = p.layers.first else { return XCTFail("no line layer") }
        XCTAssertEqual(series.raw?.x, [8, 16, 24, 32, 40])
        XCTAssertEqual(p.x.label, "pairs drawn")
        let steps = try panel("plot r")
        guard case .line(let s)? = steps.layers.first else { return XCTFail("no line layer") }
        XCTAssertEqual(s.raw?.x, [1, 2, 3, 4, 5])
    }

    func testLegendsNameWhatDiffersAndNotTheDataAgainWhenOnlyItsMIDoes() throws {
        let observer = CollectingObserver()
        try Session(observer: observer).run(SourceFile(name: "t.mi", text: """
            t = estimate nce critic=optimal batch=8 steps=5 mi=[1, 2]
            u = estimate nce critic=optimal batch=8 steps=5 data=[gaussian(dim=2, mi=1), cubic(gaussian(dim=2, mi=1))]
            plot [t[0], t[1]]
            plot [u[0], u[1]]
            """))
        let legends = observer.outputs.compactMap { output -> [String?]? in
            guard case .figure(let f) = output else { return nil }
            return f.panels[0].layers.compactMap { if case .line(let l) = $0 { return l.label } else { return nil } }
        }
        XCTAssertEqual(legends.first, ["MI = 1", "MI = 2"])
        XCTAssertEqual(legends.last?.count, 2)
        XCTAssertNotEqual(legends.last?[0], legends.last?[1])
        XCTAssertTrue(legends.last?[1]?.contains("cubic") ?? false)
    }

    func testLegendsNameTheNegativeSamplingWhenItDiffers() throws {
        let observer = CollectingObserver()
        try Session(observer: observer).run(SourceFile(name: "t.mi", text: """
            t = estimate nwj critic=optimal batch=8 steps=5 negatives=[shuffled, all]
            plot [t[0], t[1]]
            """))
        guard case .figure(let f)? = observer.outputs.last else { return XCTFail("no figure") }
        let labels = f.panels[0].layers.compactMap { if case .line(let l) = $0 { return l.label } else { return nil } }
        XCTAssertEqual(labels, ["negatives = shuffled", "negatives = all"])
    }
}
