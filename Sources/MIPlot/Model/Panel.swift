/// The scale of an axis.
public enum AxisScale: Sendable, Equatable, Codable {
    case linear
    /// Logarithmic with this base (10 by default); non-positive values are
    /// not drawn.
    case log(base: Double = 10)
}

/// One axis of a panel: label, scale and range.
public struct Axis: Sendable, Equatable, Codable {
    /// Axis title; `nil` for none.
    public var label: String?
    /// Linear or logarithmic.
    public var scale: AxisScale
    /// Lower end; `nil` lets gnuplot fit the data.
    public var min: Double?
    /// Upper end; `nil` lets gnuplot fit the data.
    public var max: Double?

    /// An axis; without `min`/`max` it fits the data.
    public init(_ label: String? = nil, scale: AxisScale = .linear, min: Double? = nil, max: Double? = nil) {
        self.label = label
        self.scale = scale
        self.min = min
        self.max = max
    }

    /// A logarithmic (base 10) axis.
    public static func log(_ label: String? = nil, min: Double? = nil, max: Double? = nil) -> Axis {
        Axis(label, scale: .log(base: 10), min: min, max: max)
    }
}

/// Where a panel's legend goes.
public enum LegendPosition: Sendable, Equatable, Codable {
    /// No legend.
    case none
    case topLeft, topRight, bottomLeft, bottomRight
    /// To the right of the plot area, outside it (for many series).
    case outsideRight
    /// Below the plot area, in columns.
    case below
}

/// One plot area: axes, legend and the layers drawn in it.
public struct Panel: Sendable, Equatable, Codable {
    /// Title above the panel; `nil` for none.
    public var title: String?
    /// The horizontal axis.
    public var x: Axis
    /// The vertical axis.
    public var y: Axis
    /// Where the legend goes (`.none` for no legend).
    public var legend: LegendPosition
    /// Light grid lines at the major tics (never drawn over heat maps).
    public var grid: Bool
    /// What is drawn; see `Layer` for the stacking order.
    public var layers: [Layer]

    /// A panel.
    public init(title: String? = nil, x: Axis = Axis(), y: Axis = Axis(), legend: LegendPosition = .topLeft,
                grid: Bool = true, layers: [Layer] = []) {
        self.title = title
        self.x = x
        self.y = y
        self.legend = legend
        self.grid = grid
        self.layers = layers
    }

    /// Whether the panel draws a heat map.
    public var hasHeatMap: Bool {
        layers.contains { if case .heatMap = $0 { return true } else { return false } }
    }
}
