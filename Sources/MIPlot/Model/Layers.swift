/// One thing drawn in a panel.
///
/// Layers are drawn in a fixed stacking order whatever their order in
/// `Panel.layers`: heat maps, then error bands, then every raw trace, then
/// smoothed lines, points, and reference lines on top (so the truth stays
/// visible). Within a kind, and in the legend, the panel's order is kept.
public enum Layer: Sendable, Equatable, Codable {
    /// A line series, optionally with its raw trace drawn light behind it.
    case line(LineSeries)
    /// A reference: a horizontal or vertical line, or a given curve such as
    /// the staircase of the true MI.
    case reference(ReferenceLine)
    /// A translucent band between a lower and an upper curve.
    case band(Band)
    /// A scatter of points, optionally with error bars.
    case points(Points)
    /// A matrix of values drawn as coloured cells with a colour bar.
    case heatMap(HeatMap)
}

/// The raw (unsmoothed) trace drawn light behind a line series.
public struct RawTrace: Sendable, Equatable, Codable {
    /// Positions along x.
    public var x: [Double]
    /// Raw values, one per x.
    public var y: [Double]
    /// The colour; `nil` draws it in a light tint of the series colour.
    public var color: Color?
    /// Line width in points.
    public var width: Double

    /// A raw trace; leave `color` nil to use a tint of the series colour.
    public init(x: [Double], y: [Double], color: Color? = nil, width: Double = 1) {
        self.x = x
        self.y = y
        self.color = color
        self.width = width
    }
}

/// A line through (x[i], y[i]); non-finite values break the line.
public struct LineSeries: Sendable, Equatable, Codable {
    /// Legend text; `nil` keeps the series out of the legend.
    public var label: String?
    /// Positions along x.
    public var x: [Double]
    /// Values, one per x (the smoothed trace when there is a raw one).
    public var y: [Double]
    /// `nil` takes the next colour of `Palette.series` in the panel.
    public var color: Color?
    /// Line width in points.
    public var width: Double
    /// Solid, dashed...
    public var dash: Dash
    /// The raw companion trace, drawn light and behind every smoothed line.
    public var raw: RawTrace?

    /// A line series.
    public init(_ label: String?, x: [Double], y: [Double], color: Color? = nil,
                width: Double = 2, dash: Dash = .solid, raw: RawTrace? = nil) {
        self.label = label
        self.x = x
        self.y = y
        self.color = color
        self.width = width
        self.dash = dash
        self.raw = raw
    }

    /// A smoothed series with its raw trace over the same x values: the way
    /// the papers draw training curves (raw light, smoothed dark on top).
    public init(_ label: String?, x: [Double], raw: [Double], smoothed: [Double],
                color: Color? = nil, width: Double = 2) {
        self.init(label, x: x, y: smoothed, color: color, width: width, raw: RawTrace(x: x, y: raw))
    }
}

/// A line drawn as a reference (black by default), not as data: the true MI,
/// a bound such as log K, a threshold.
public struct ReferenceLine: Sendable, Equatable, Codable {
    /// Where the line runs.
    public enum Geometry: Sendable, Equatable, Codable {
        /// y = value across the whole panel.
        case horizontal(Double)
        /// x = value across the whole panel.
        case vertical(Double)
        /// Through the given points; `stepped` holds each y until the next x
        /// (a staircase), otherwise points are joined by straight segments.
        case curve(x: [Double], y: [Double], stepped: Bool)
    }

    /// Where the line runs.
    public var geometry: Geometry
    /// Legend text; `nil` keeps the line out of the legend.
    public var label: String?
    /// Black by default.
    public var color: Color
    /// Line width in points.
    public var width: Double
    /// `.dashed` for bounds such as log K.
    public var dash: Dash

    /// A reference line.
    public init(_ geometry: Geometry, label: String? = nil, color: Color = Palette.reference,
                width: Double = 1.5, dash: Dash = .solid) {
        self.geometry = geometry
        self.label = label
        self.color = color
        self.width = width
        self.dash = dash
    }

    /// y = `value` across the panel.
    public static func horizontal(_ value: Double, label: String? = nil, color: Color = Palette.reference,
                                  width: Double = 1.5, dash: Dash = .solid) -> ReferenceLine {
        ReferenceLine(.horizontal(value), label: label, color: color, width: width, dash: dash)
    }

    /// x = `value` across the panel.
    public static func vertical(_ value: Double, label: String? = nil, color: Color = Palette.reference,
                                width: Double = 1.5, dash: Dash = .solid) -> ReferenceLine {
        ReferenceLine(.vertical(value), label: label, color: color, width: width, dash: dash)
    }

    /// A staircase: `levels[i]` from `start + i * stepLength` to
    /// `start + (i + 1) * stepLength`, e.g. the true MI of 004 Fig. 2
    /// (levels 2, 4, 6, 8, 10 nats for 4000 steps each).
    public static func staircase(levels: [Double], stepLength: Double, start: Double = 0,
                                 label: String? = nil, color: Color = Palette.reference,
                                 width: Double = 1.5, dash: Dash = .solid) -> ReferenceLine {
        var xs: [Double] = []
        var ys: [Double] = []
        for (i, level) in levels.enumerated() {
            xs.append(start + Double(i) * stepLength)
            ys.append(level)
        }
        if let last = levels.last {
            xs.append(start + Double(levels.count) * stepLength)
            ys.append(last)
        }
        return ReferenceLine(.curve(x: xs, y: ys, stepped: true), label: label, color: color, width: width, dash: dash)
    }
}

/// A translucent band between `lower[i]` and `upper[i]` at `x[i]`.
public struct Band: Sendable, Equatable, Codable {
    /// Legend text; `nil` keeps the band out of the legend. A band labelled
    /// like a line or point series of its panel belongs to that series: it
    /// takes its colour (unless `color` is set) and no legend entry of its own.
    public var label: String?
    /// Positions along x.
    public var x: [Double]
    /// Lower edge, one per x.
    public var lower: [Double]
    /// Upper edge, one per x.
    public var upper: [Double]
    /// `nil` takes the colour of the series with the same label if there is
    /// one, otherwise the next palette colour.
    public var color: Color?
    /// Fill opacity, 0 (invisible) ... 1 (opaque).
    public var opacity: Double

    /// A band.
    public init(_ label: String? = nil, x: [Double], lower: [Double], upper: [Double],
                color: Color? = nil, opacity: Double = 0.25) {
        self.label = label
        self.x = x
        self.lower = lower
        self.upper = upper
        self.color = color
        self.opacity = opacity
    }
}

/// Error bars of a point series.
public enum ErrorBars: Sendable, Equatable, Codable {
    /// y ± e[i].
    case symmetric([Double])
    /// From lower[i] to upper[i] (absolute values, not offsets).
    case interval(lower: [Double], upper: [Double])
}

/// Markers at (x[i], y[i]), optionally joined and with error bars.
public struct Points: Sendable, Equatable, Codable {
    /// Legend text; `nil` keeps the series out of the legend.
    public var label: String?
    /// Positions along x.
    public var x: [Double]
    /// Values, one per x.
    public var y: [Double]
    /// Vertical error bars, if any.
    public var errors: ErrorBars?
    /// `nil` takes the next colour of `Palette.series` in the panel.
    public var color: Color?
    /// The marker's shape.
    public var marker: Marker
    /// Marker size, 1 = gnuplot's default.
    public var size: Double
    /// Join consecutive points with a line (`linespoints`).
    public var connected: Bool

    /// A point series.
    public init(_ label: String?, x: [Double], y: [Double], errors: ErrorBars? = nil, color: Color? = nil,
                marker: Marker = .circle, size: Double = 1, connected: Bool = false) {
        self.label = label
        self.x = x
        self.y = y
        self.errors = errors
        self.color = color
        self.marker = marker
        self.size = size
        self.connected = connected
    }
}

/// How heat-map cells print their values.
public enum CellValues: Sendable, Equatable, Codable {
    /// No text in the cells.
    case hidden
    /// Fixed-point with this many decimals (`%.Nf`).
    case decimals(Int)
    /// This many significant digits (`%.Ng`).
    case significant(Int)
}

/// A matrix of values drawn as coloured cells, e.g. the best alpha per
/// (MI, batch size).
///
/// `values[row][column]`; row 0 is drawn at the bottom (y grows upwards),
/// column 0 on the left. Non-finite values leave their cell blank.
public struct HeatMap: Sendable, Equatable, Codable {
    /// `values[row][column]`.
    public var values: [[Double]]
    /// Tick labels of the columns (one per column), left to right.
    public var columnLabels: [String]
    /// Tick labels of the rows (one per row), bottom to top.
    public var rowLabels: [String]
    /// Title of the colour bar.
    public var colorBarLabel: String?
    /// Lower end of the colour scale; `nil` uses the smallest value.
    public var colorMin: Double?
    /// Upper end of the colour scale; `nil` uses the largest value.
    public var colorMax: Double?
    /// Print each cell's value in it.
    public var cellValues: CellValues

    /// A heat map.
    public init(values: [[Double]], columnLabels: [String], rowLabels: [String], colorBarLabel: String? = nil,
                colorMin: Double? = nil, colorMax: Double? = nil, cellValues: CellValues = .significant(2)) {
        self.values = values
        self.columnLabels = columnLabels
        self.rowLabels = rowLabels
        self.colorBarLabel = colorBarLabel
        self.colorMin = colorMin
        self.colorMax = colorMax
        self.cellValues = cellValues
    }

    /// Number of rows.
    public var rowCount: Int { values.count }
    /// Number of columns (of the first row).
    public var columnCount: Int { values.first?.count ?? 0 }
}
