extension Figure {
    /// Checks that the figure can be drawn: array lengths agree, the layout
    /// holds every panel, ranges and sizes make sense.
    ///
    /// - Throws: `PlotError.invalidFigure` naming the first problem and where
    ///   it is (panel and layer, counted from 1).
    public func validate() throws {
        func fail(_ message: String) throws -> Never { throw PlotError.invalidFigure(message) }
        if layout.rows < 1 || layout.columns < 1 {
            try fail("the layout must have at least one row and one column, not \(layout.rows)x\(layout.columns)")
        }
        if panels.count > layout.cellCount {
            try fail("\(panels.count) panels do not fit a \(layout.rows)x\(layout.columns) layout")
        }
        if let size, size.width < 16 || size.height < 16 || size.width > 20000 || size.height > 20000 {
            try fail("size \(size.width)x\(size.height) is outside 16...20000 pixels")
        }
        for (p, panel) in panels.enumerated() {
            let place = "panel \(p + 1)" + (panel.title.map { " (\"\($0)\")" } ?? "")
            try Self.check(axis: panel.x, name: "x", place: place)
            try Self.check(axis: panel.y, name: "y", place: place)
            for (l, layer) in panel.layers.enumerated() {
                if let problem = Self.problem(in: layer) {
                    try fail("\(place), layer \(l + 1) (\(layer.kindName)): \(problem)")
                }
            }
        }
    }

    private static func check(axis: Axis, name: String, place: String) throws {
        if let lo = axis.min, !lo.isFinite { throw PlotError.invalidFigure("\(place): \(name) axis minimum \(lo) is not finite") }
        if let hi = axis.max, !hi.isFinite { throw PlotError.invalidFigure("\(place): \(name) axis maximum \(hi) is not finite") }
        if let lo = axis.min, let hi = axis.max, !(lo < hi) {
            throw PlotError.invalidFigure("\(place): \(name) axis range [\(lo), \(hi)] is empty")
        }
        if case .log(let base) = axis.scale {
            if !(base > 1) || !base.isFinite {
                throw PlotError.invalidFigure("\(place): \(name) axis log base \(base) must be finite and above 1")
            }
            for end in [axis.min, axis.max].compactMap({ $0 }) where !(end > 0) {
                throw PlotError.invalidFigure("\(place): \(name) axis is logarithmic but its range reaches \(end)")
            }
        }
    }

    private static func problem(in layer: Layer) -> String? {
        func lengths(_ named: [(String, Int)]) -> String? {
            guard let first = named.first else { return nil }
            for (name, count) in named.dropFirst() where count != first.1 {
                return "\(first.0) has \(first.1) values but \(name) has \(count)"
            }
            return nil
        }
        func width(_ w: Double) -> String? { w > 0 && w.isFinite ? nil : "line width \(w) must be positive" }
        switch layer {
        case .line(let s):
            if let p = lengths([("x", s.x.count), ("y", s.y.count)]) { return p }
            if let raw = s.raw {
                if let p = lengths([("raw x", raw.x.count), ("raw y", raw.y.count)]) { return p }
                if let p = width(raw.width) { return "raw trace: " + p }
            }
            return width(s.width)
        case .reference(let r):
            switch r.geometry {
            case .horizontal(let v), .vertical(let v):
                if !v.isFinite { return "the line's position \(v) is not finite" }
            case .curve(let x, let y, _):
                if let p = lengths([("x", x.count), ("y", y.count)]) { return p }
            }
            return width(r.width)
        case .band(let b):
            if let p = lengths([("x", b.x.count), ("lower", b.lower.count), ("upper", b.upper.count)]) { return p }
            if !(0...1).contains(b.opacity) { return "opacity \(b.opacity) is outside 0...1" }
            return nil
        case .points(let s):
            if let p = lengths([("x", s.x.count), ("y", s.y.count)]) { return p }
            switch s.errors {
            case .symmetric(let e)?:
                return lengths([("x", s.x.count), ("errors", e.count)])
            case .interval(let lo, let hi)?:
                return lengths([("x", s.x.count), ("lower", lo.count), ("upper", hi.count)])
            case nil:
                break
            }
            if !(s.size > 0) || !s.size.isFinite { return "marker size \(s.size) must be positive" }
            return nil
        case .heatMap(let h):
            if h.rowCount == 0 || h.columnCount == 0 { return "the heat map has no cells" }
            for (i, row) in h.values.enumerated() where row.count != h.columnCount {
                return "row \(i + 1) has \(row.count) values but row 1 has \(h.columnCount)"
            }
            if !h.columnLabels.isEmpty && h.columnLabels.count != h.columnCount {
                return "\(h.columnLabels.count) column labels for \(h.columnCount) columns"
            }
            if !h.rowLabels.isEmpty && h.rowLabels.count != h.rowCount {
                return "\(h.rowLabels.count) row labels for \(h.rowCount) rows"
            }
            if let lo = h.colorMin, let hi = h.colorMax, !(lo < hi) {
                return "colour range [\(lo), \(hi)] is empty"
            }
            switch h.cellValues {
            case .decimals(let n), .significant(let n):
                if !(0...15).contains(n) { return "\(n) digits is outside 0...15" }
            case .hidden:
                break
            }
            return nil
        }
    }
}

extension Layer {
    /// A short name of the layer's kind and label, for messages and comments.
    var kindName: String {
        switch self {
        case .line(let s): return "line" + Self.quoted(s.label)
        case .reference(let r): return "reference" + Self.quoted(r.label)
        case .band(let b): return "band" + Self.quoted(b.label)
        case .points(let p): return "points" + Self.quoted(p.label)
        case .heatMap: return "heat map"
        }
    }

    private static func quoted(_ label: String?) -> String {
        label.map { " \"\($0)\"" } ?? ""
    }
}
