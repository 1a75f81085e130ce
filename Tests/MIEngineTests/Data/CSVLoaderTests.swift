import Testing
@testable import MIEngine

/// CSV files written from known numbers load back exactly.
@Suite struct CSVLoaderTests {
    @Test func roundTripOfRandomDoublesIsExact() throws {
        let dir = try TemporaryDirectory()
        var rng = RNG(seed: 3)
        let rows = 50
        var values: [[Double]] = []
        var text = "a,b,c,d\n"
        for _ in 0..<rows {
            // Swift prints the shortest text that reads back to the same Double.
            let row = [rng.normal(), 1e-300 * rng.uniform(), -1e300 * rng.uniform(), Double(rng.int(below: 100))]
            values.append(row)
            text += row.map { "\($0)" }.joined(separator: ",") + "\n"
        }
        let path = try dir.write("r.csv", text: text)
        let pairs = try CSVData.read(path: path, x: ["a..c"], y: ["d"])
        #expect(pairs.x == Matrix(values.map { Array($0[0..<3]) }))
        #expect(pairs.y == Matrix(values.map { [$0[3]] }))
        #expect(pairs.xNames == ["a", "b", "c"])
        #expect(pairs.yNames == ["d"])
        #expect(pairs.source == path)
    }

    @Test func numberFormsBlanksQuotesCommentsAndLineEndings() throws {
        let text = "\u{FEFF}# made by hand\r\n"
            + " x1 , \"x,2\" ,y\r\n"
            + "\r\n"
            + "1, -2.5 ,+3e2\r\n"
            + "  # a comment between rows\n"
            + ".5,4.,1E-3\n"
            + "\"7\" ,  \"-0.0\",6.02e+23"  // no final line break
        let pairs = try CSVData.read(bytes: utf8(text), file: "forms.csv", x: ["x1", "x,2"], y: ["y"])
        #expect(pairs.x == Matrix([[1, -2.5], [0.5, 4], [7, -0.0]]))
        #expect(pairs.y == Matrix([[300], [0.001], [6.02e23]]))
        #expect(pairs.xNames == ["x1", "x,2"])
    }

    @Test func loneCarriageReturnsEndLines() throws {
        let pairs = try CSVData.read(bytes: utf8("x,y\r1,2\r3,4\r"), file: "mac.csv", x: ["x"], y: ["y"])
        #expect(pairs.x == Matrix([[1], [3]]))
        #expect(pairs.y == Matrix([[2], [4]]))
    }

    @Test func otherDelimitersAndNoComments() throws {
        // With ';' the comma is an ordinary character (here in an unselected column).
        let text = "a;b;c\n1.5;2;1,5\n-3;4e-1;x,y\n"
        let pairs = try CSVData.read(bytes: utf8(text), file: "s.csv", x: ["b"], y: ["a"],
                                     options: CSVOptions(delimiter: ";"))
        #expect(pairs.x == Matrix([[2], [0.4]]))
        #expect(pairs.y == Matrix([[1.5], [-3]]))
    }

    @Test func tabDelimiterKeepsEmptyCells() throws {
        let text = "#id\tx\ty\tnote\n0\t1.5\t2\t\n1\t3\t4\tfine\n"
        let pairs = try CSVData.read(bytes: utf8(text), file: "t.tsv", x: ["x"], y: ["y"],
                                     options: CSVOptions(delimiter: "\t", commentPrefix: nil))
        #expect(pairs.x == Matrix([[1.5], [3]]))
        #expect(pairs.y == Matrix([[2], [4]]))
    }

    @Test func selectorsByIndexRangeAndOrder() throws {
        let text = "x1,x2,x3,y1,y2\n1,2,3,4,5\n6,7,8,9,10\n"
        let a = try CSVData.read(bytes: utf8(text), file: "s.csv", x: [2, 0], y: [.indexRange(from: 3, through: 4)])
        #expect(a.x == Matrix([[3, 1], [8, 6]]))
        #expect(a.y == Matrix([[4, 5], [9, 10]]))
        let b = try CSVData.read(bytes: utf8(text), file: "s.csv", x: ["x1 .. x2"], y: ["y2", "y1"])
        #expect(b.x == Matrix([[1, 2], [6, 7]]))
        #expect(b.y == Matrix([[5, 4], [10, 9]]))
        #expect(b.yNames == ["y2", "y1"])
        // Unselected columns may hold anything.
        let c = try CSVData.read(bytes: utf8("label,x,y\ncat,1,2\n\"dog, big\",3,4\n"), file: "c.csv",
                                 x: ["x"], y: ["y"])
        #expect(c.x == Matrix([[1], [3]]))
    }

    @Test func selectorParsing() {
        #expect(ColumnSelector("x1..x20") == .nameRange(from: "x1", through: "x20"))
        #expect(ColumnSelector("x1") == .name("x1"))
        #expect(ColumnSelector("..x") == .name("..x"))
        #expect(ColumnSelector(7) == ColumnSelector.index(7))
        #expect(ColumnSelector.nameRange(from: "a", through: "b").description == "a..b")
    }

    @Test func nearestNames() {
        #expect(NameSuggestion.nearest(to: "x_1", among: ["x1", "x2", "y"]) == "x1")
        #expect(NameSuggestion.nearest(to: "X2", among: ["x1", "x2"]) == "x2")
        #expect(NameSuggestion.nearest(to: "temperature", among: ["temprature", "time"]) == "temprature")
        #expect(NameSuggestion.nearest(to: "zeta", among: ["x1", "y"]) == nil)
    }

    @Test func numberText() {
        #expect(NumberText.read("1e5") == .number(1e5))
        #expect(NumberText.read("-.5E-1") == .number(-0.05))
        for bad in ["0x1p3", "1_000", "1e", "e5", ".", "-", "1.2.3", "1e5.0", "--1", "1 2"] {
            #expect(NumberText.read(bad) == .notANumber, "\(bad)")
        }
        for nonFinite in ["nan", "-NaN", "Inf", "+infinity"] {
            #expect(NumberText.read(nonFinite) == .nonFinite, "\(nonFinite)")
        }
        #expect(NumberText.read("-1e999") == .overflow)
        #expect(NumberText.read("") == .empty)
    }
}
