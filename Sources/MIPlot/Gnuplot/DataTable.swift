/// The data of a figure as one plain-text table gnuplot reads with `index`.
///
/// Layout (also written as a comment at the top of every table):
/// - blocks are separated by two blank lines; gnuplot selects block N,
///   counted from 0, with `index N`;
/// - each block starts with comment lines naming its index, panel, layer and
///   columns;
/// - rows are whitespace-separated numbers; within a line block a single
///   blank line breaks the line where a value was missing or not finite;
///   heat-map blocks hold one row per cell (column, row, value or `NaN`,
///   text colour as the integer `0xRRGGBB`).
public struct DataTable: Sendable, Equatable {
    /// One block: what it holds, its column names, and its rows.
    public struct Block: Sendable, Equatable {
        /// Block index, as `index N` selects it.
        public var index: Int
        /// Which panel and layer it belongs to (one line of text).
        public var about: String
        /// Column names, in order.
        public var columns: [String]
        /// Rows of numbers (`columns.count` each).
        public var rows: [[Double]]
        /// Whether a row with a non-finite value becomes a line break (line
        /// data) or is written with `NaN` (heat-map cells).
        public var breaksOnMissing: Bool
    }

    /// The blocks, in index order.
    public private(set) var blocks: [Block] = []

    /// An empty table.
    public init() {}

    /// Whether `rows` has at least one row `add` would write as numbers.
    static func hasFiniteRow(_ rows: [[Double]]) -> Bool {
        rows.contains { $0.allSatisfy(\.isFinite) }
    }

    /// Appends a block and returns its index.
    @discardableResult
    public mutating func add(about: String, columns: [String], rows: [[Double]], breaksOnMissing: Bool = true) -> Int {
        let index = blocks.count
        blocks.append(Block(index: index, about: about, columns: columns, rows: rows, breaksOnMissing: breaksOnMissing))
        return index
    }

    /// The table's text; `title` names the figure in the header comment.
    public func text(fileName: String, scriptName: String, title: String?) -> String {
        var out = "# \(fileName): the data of "
        out += title.map { "figure \"\(GnuplotText.comment($0))\"" } ?? "a figure"
        out += ", drawn by \(scriptName) (MIPlot).\n"
        out += """
            #
            # Layout: blocks separated by two blank lines; gnuplot selects block N
            # (counted from 0) with `index N`. Each block starts with comments naming
            # its panel, layer and columns. Rows are whitespace-separated numbers; in
            # a line block one blank line breaks the line where a value was missing or
            # not finite. Heat-map blocks hold one row per cell (column and row indices
            # from 0, the value or NaN when missing, the colour of its text as the
            # integer 0xRRGGBB).
            #
            # index  contents (columns)

            """
        for b in blocks {
            let idx = String(b.index)
            out += "# " + String(repeating: " ", count: max(0, 5 - idx.count)) + idx + "  "
            out += GnuplotText.comment(b.about) + " (" + b.columns.joined(separator: " ") + ")\n"
        }
        for (i, b) in blocks.enumerated() {
            out += i == 0 ? "#\n" : "\n\n"
            out += "# index \(b.index): \(GnuplotText.comment(b.about))\n"
            out += "# " + b.columns.joined(separator: " ") + "\n"
            Self.write(b, into: &out)
        }
        return out
    }

    /// Writes a block's rows: never two blank lines in a row (that would end
    /// the block) and no blank line at either end.
    private static func write(_ block: Block, into out: inout String) {
        var pendingBreak = false
        var wroteRow = false
        for row in block.rows {
            if block.breaksOnMissing && !row.allSatisfy(\.isFinite) {
                pendingBreak = wroteRow
                continue
            }
            if pendingBreak { out += "\n" }
            pendingBreak = false
            out += row.map(GnuplotText.number).joined(separator: " ") + "\n"
            wroteRow = true
        }
    }
}
