/// A grid of panels: `rows` x `columns`, filled row by row.
public struct GridLayout: Sendable, Equatable, Codable {
    /// Number of rows of panels.
    public var rows: Int
    /// Number of panels per row.
    public var columns: Int

    /// An explicit grid.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    /// The grid for `panelCount` panels: `columns` wide if given, with as
    /// many rows as needed.
    ///
    /// Without `columns`: 1, 2 and 3 panels sit in one row; beyond that the
    /// grid has ceil(sqrt(n)) columns (4 -> 2x2, 5-6 -> 2x3, 7-9 -> 3x3).
    public static func automatic(panelCount: Int, columns: Int? = nil) -> GridLayout {
        let n = Swift.max(panelCount, 1)
        let c: Int
        if let columns, columns > 0 {
            c = columns
        } else if n <= 3 {
            c = n
        } else {
            var k = 1
            while k * k < n { k += 1 }
            c = k
        }
        return GridLayout(rows: (n + c - 1) / c, columns: c)
    }

    /// Number of cells.
    public var cellCount: Int { rows * columns }
}

/// The size of a figure in pixels (PNG, SVG); PDF pages use 100 pixels per
/// inch. Fonts are sized in points independently of it.
public struct FigureSize: Sendable, Equatable, Codable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// A size in pixels.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The default for a layout: 640x480 for one panel, 480x360 per panel
    /// for grids (never smaller than 640x480).
    public static func automatic(for layout: GridLayout) -> FigureSize {
        if layout.rows == 1 && layout.columns == 1 { return FigureSize(width: 640, height: 480) }
        return FigureSize(width: Swift.max(640, 480 * layout.columns), height: Swift.max(480, 360 * layout.rows))
    }
}

/// A figure: an optional title over a grid of panels.
///
/// A pure value: building one has no side effects; `FigureRenderer` turns it
/// into files.
public struct Figure: Sendable, Equatable, Codable {
    /// Title over the whole figure; `nil` for none.
    public var title: String?
    /// The panels, filling `layout` row by row; cells beyond the last panel
    /// stay empty.
    public var panels: [Panel]
    /// The grid the panels fill.
    public var layout: GridLayout
    /// Size hint; `nil` uses `FigureSize.automatic(for: layout)`.
    public var size: FigureSize?

    /// A figure laid out automatically: `columns` wide if given (rows as
    /// needed), see `GridLayout.automatic`.
    public init(title: String? = nil, panels: [Panel], columns: Int? = nil, size: FigureSize? = nil) {
        self.title = title
        self.panels = panels
        self.layout = .automatic(panelCount: panels.count, columns: columns)
        self.size = size
    }

    /// A figure on an explicit `rows` x `columns` grid.
    public init(title: String? = nil, rows: Int, columns: Int, panels: [Panel], size: FigureSize? = nil) {
        self.title = title
        self.panels = panels
        self.layout = GridLayout(rows: rows, columns: columns)
        self.size = size
    }

    /// A figure of one panel.
    public init(title: String? = nil, _ panel: Panel, size: FigureSize? = nil) {
        self.init(title: title, panels: [panel], columns: 1, size: size)
    }

    /// The size to draw at: the hint, or the automatic size of the layout.
    public var resolvedSize: FigureSize { size ?? .automatic(for: layout) }
}
