/// The gnuplot commands of one panel: settings, then one `plot` command
/// whose clauses read the panel's blocks of the data table.
struct PanelScript {
    let panel: Panel
    /// 1-based panel number, its row and column in the grid.
    let number: Int
    let row: Int
    let column: Int

    /// Appends the panel's data to `table` (one block per drawn series, in
    /// drawing order) and returns its commands.
    func commands(table: inout DataTable) -> [String] {
        var lines: [String] = []
        var heading = "# Panel \(number) (row \(row), column \(column))"
        if let title = panel.title { heading += ": " + GnuplotText.comment(title) }
        lines.append(heading)
        lines.append("reset")
        if let title = panel.title { lines.append("set title \(GnuplotText.quoted(title))") }
        if let label = panel.x.label { lines.append("set xlabel \(GnuplotText.quoted(label))") }
        if let label = panel.y.label { lines.append("set ylabel \(GnuplotText.quoted(label))") }
        lines += axisCommands(panel.x, name: "x")
        lines += axisCommands(panel.y, name: "y")
        lines += legendCommands(hasEntries: hasLegendEntries)
        if panel.grid && !panel.hasHeatMap {
            // Light solid grid lines; left out of text drawings, where they clutter.
            lines.append("if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }")
        }
        let colors = resolveColors()
        let seriesLabels = Set(panel.layers.compactMap { layer -> String? in
            switch layer {
            case .line(let s): return s.label
            case .points(let p): return p.label
            default: return nil
            }
        })
        var groups = ClauseGroups()
        var arrows: [String] = []
        let place = "panel \(number)" + (panel.title.map { " \"\($0)\"" } ?? "")

        for (i, layer) in panel.layers.enumerated() {
            switch layer {
            case .heatMap(let h):
                lines += heatMapSettings(h)
                // Cells are filled boxes (crisp in every format, unlike `with image`,
                // which SVG viewers blur), a hair wider than a cell so that
                // antialiasing leaves no seams between neighbours.
                let image = "using 1:2:(0.51):(0.51):3 with boxxyerror fs solid 1 noborder lc palette notitle"
                let text = cellFormat(h.cellValues).map {
                    "using 1:2:($3 == $3 ? sprintf('\($0)', $3) : ''):4 with labels tc rgb variable notitle"
                }
                let block = PendingBlock(about: "\(place), heat map", columns: ["column", "row", "value", "text_rgb"],
                                         rows: heatMapRows(h), breaksOnMissing: false)
                groups.heatMaps.append(Pending(block: block) { k in
                    ["data index \(k!) " + image] + (text.map { ["data index \(k!) " + $0] } ?? [])
                })
            case .band(let b):
                let rows = zip3(b.x, b.lower, b.upper).map { [$0, $1, $2] }
                let style = "with filledcurves fc rgb '\(colors[i].hex)' fs transparent solid \(GnuplotText.number(b.opacity)) noborder"
                // A band labelled like a line or points shares their legend entry.
                let key = b.label.flatMap { seriesLabels.contains($0) ? nil : $0 }
                groups.bands.append(data(about: "\(place), band" + labelled(b.label), columns: ["x", "lower", "upper"],
                                         rows: rows, using: "1:2:3", style: style, label: key))
            case .line(let s):
                if let raw = s.raw {
                    let color = raw.color ?? colors[i].tint(Palette.rawTint)
                    groups.raw.append(data(about: "\(place), line" + labelled(s.label) + ", raw trace", columns: ["x", "y"],
                                           rows: zip(raw.x, raw.y).map { [$0, $1] }, using: "1:2",
                                           style: "with lines lc rgb '\(color.hex)' lw \(GnuplotText.number(raw.width))",
                                           label: nil))
                }
                let style = "with lines lc rgb '\(colors[i].hex)' lw \(GnuplotText.number(s.width))" + dash(s.dash)
                groups.lines.append(data(about: "\(place), line" + labelled(s.label), columns: ["x", "y"],
                                         rows: zip(s.x, s.y).map { [$0, $1] }, using: "1:2", style: style, label: s.label))
            case .points(let p):
                groups.points.append(points(p, color: colors[i], place: place))
            case .reference(let r):
                let style = "with lines lc rgb '\(r.color.hex)' lw \(GnuplotText.number(r.width))" + dash(r.dash)
                switch r.geometry {
                case .horizontal(let y):
                    groups.references.append(Pending(block: nil) { _ in ["\(GnuplotText.number(y)) \(style) " + title(r.label)] })
                case .vertical(let x):
                    let at = GnuplotText.number(x)
                    arrows.append("set arrow from first \(at), graph 0 to first \(at), graph 1 nohead front"
                                  + " lc rgb '\(r.color.hex)' lw \(GnuplotText.number(r.width))" + dash(r.dash))
                    if let label = r.label {
                        groups.references.append(Pending(block: nil) { _ in ["keyentry \(style) " + title(label)] })
                    }
                case .curve(let x, let y, let stepped):
                    let curveStyle = stepped ? style.replacingOccurrences(of: "with lines", with: "with steps") : style
                    groups.references.append(data(about: "\(place), reference" + labelled(r.label), columns: ["x", "y"],
                                                  rows: zip(x, y).map { [$0, $1] }, using: "1:2", style: curveStyle,
                                                  label: r.label, keyStyle: style))
                }
            }
        }
        lines += arrows
        // Blocks are numbered in drawing order, so the table reads like the plot command.
        var clauses: [String] = []
        for pending in groups.all {
            var index: Int?
            if let b = pending.block {
                index = table.add(about: b.about, columns: b.columns, rows: b.rows, breaksOnMissing: b.breaksOnMissing)
            }
            clauses += pending.clauses(index)
        }
        if !clauses.contains(where: { !$0.hasPrefix("keyentry") }) {
            // Nothing to draw (no layers, or no finite values): an empty frame.
            lines += emptyRanges()
            clauses.insert("1/0 notitle", at: 0)
        }
        lines.append("plot \\")
        for (j, c) in clauses.enumerated() {
            lines.append("    " + c + (j == clauses.count - 1 ? "" : ", \\"))
        }
        return lines
    }

    // MARK: - Settings

    private func axisCommands(_ axis: Axis, name: String) -> [String] {
        var lines: [String] = []
        if case .log(let base) = axis.scale {
            lines.append("set logscale \(name) \(GnuplotText.number(base))")
        }
        if axis.min != nil || axis.max != nil {
            let lo = axis.min.map(GnuplotText.number) ?? "*"
            let hi = axis.max.map(GnuplotText.number) ?? "*"
            lines.append("set \(name)range [\(lo):\(hi)]")
        }
        return lines
    }

    /// Whether any layer puts an entry in the legend.
    var hasLegendEntries: Bool {
        panel.layers.contains { layer in
            switch layer {
            case .line(let s): return s.label != nil
            case .points(let p): return p.label != nil
            case .band(let b): return b.label != nil
            case .reference(let r): return r.label != nil
            case .heatMap: return false
            }
        }
    }

    /// `set key`: placement, a light opaque box so lines behind stay out of
    /// the text, room between entries; no key at all when nothing is labelled.
    private func legendCommands(hasEntries: Bool) -> [String] {
        let place: String
        if !hasEntries { return ["unset key"] }
        switch panel.legend {
        case .none: return ["unset key"]
        case .topLeft: place = "inside top left vertical"
        case .topRight: place = "inside top right vertical"
        case .bottomLeft: place = "inside bottom left vertical"
        case .bottomRight: place = "inside bottom right vertical"
        case .outsideRight: place = "outside right top vertical"
        case .below: place = "below center horizontal"
        }
        return ["set key \(place) Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1"]
    }

    /// Ranges for a panel with nothing to autoscale on.
    private func emptyRanges() -> [String] {
        func range(_ axis: Axis, _ name: String) -> String? {
            if axis.min != nil && axis.max != nil { return nil }
            if case .log = axis.scale { return "set \(name)range [1:10]" }
            return "set \(name)range [0:1]"
        }
        return [range(panel.x, "x"), range(panel.y, "y")].compactMap { $0 }
    }

    // MARK: - Heat maps

    private func heatMapSettings(_ h: HeatMap) -> [String] {
        var lines: [String] = []
        if panel.x.min == nil && panel.x.max == nil {
            lines.append("set xrange [-0.5:\(GnuplotText.number(Double(h.columnCount) - 0.5))]")
        }
        if panel.y.min == nil && panel.y.max == nil {
            lines.append("set yrange [-0.5:\(GnuplotText.number(Double(h.rowCount) - 0.5))]")
        }
        lines.append("set xtics " + tics(h.columnLabels, count: h.columnCount))
        lines.append("set ytics " + tics(h.rowLabels, count: h.rowCount))
        lines.append("set tics scale 0")
        let stops = Palette.heatMap.enumerated().map { "\($0.offset) '\($0.element.hex)'" }
        lines.append("set palette defined (" + stops.joined(separator: ", ") + ")")
        let (lo, hi) = colorRange(h)
        lines.append("set cbrange [\(GnuplotText.number(lo)):\(GnuplotText.number(hi))]")
        if let label = h.colorBarLabel { lines.append("set cblabel \(GnuplotText.quoted(label))") }
        return lines
    }

    private func tics(_ labels: [String], count: Int) -> String {
        if labels.isEmpty { return "0,1,\(max(count - 1, 0))" }
        return "(" + labels.enumerated().map { "\(GnuplotText.quoted($0.element)) \($0.offset)" }
            .joined(separator: ", ") + ")"
    }

    /// The colour scale's ends: as given, else the finite data's extent
    /// (widened when all values are equal).
    func colorRange(_ h: HeatMap) -> (Double, Double) {
        let finite = h.values.joined().filter(\.isFinite)
        var lo = h.colorMin ?? finite.min() ?? 0
        var hi = h.colorMax ?? finite.max() ?? 1
        if !(lo < hi) {
            let pad = max(abs(lo) * 0.05, 0.5)
            if h.colorMin == nil { lo -= pad }
            if h.colorMax == nil || !(lo < hi) { hi = lo + 2 * pad }
        }
        return (lo, hi)
    }

    /// Cell rows `column row value text_rgb`: the text colour is white over
    /// dark cells and black over light ones.
    private func heatMapRows(_ h: HeatMap) -> [[Double]] {
        let (lo, hi) = colorRange(h)
        var rows: [[Double]] = []
        for (r, values) in h.values.enumerated() {
            for (c, v) in values.enumerated() {
                let cell = Palette.heatMapColor((v - lo) / (hi - lo))
                let text = cell.luminance > 0.3 ? Color.black : Color.white
                rows.append([Double(c), Double(r), v.isFinite ? v : .nan, Double(text.rgbInteger)])
            }
        }
        return rows
    }

    private func cellFormat(_ values: CellValues) -> String? {
        switch values {
        case .hidden: return nil
        case .decimals(let n): return "%.\(n)f"
        case .significant(let n): return "%.\(max(n, 1))g"
        }
    }

    // MARK: - Clauses

    /// A block not yet numbered.
    private struct PendingBlock {
        var about: String
        var columns: [String]
        var rows: [[Double]]
        var breaksOnMissing = true
    }

    /// Plot clauses waiting for the index of their block (if they have one).
    private struct Pending {
        var block: PendingBlock?
        var clauses: (Int?) -> [String]
    }

    private struct ClauseGroups {
        var heatMaps: [Pending] = []
        var bands: [Pending] = []
        var raw: [Pending] = []
        var lines: [Pending] = []
        var points: [Pending] = []
        var references: [Pending] = []
        /// The stacking order of `Layer`.
        var all: [Pending] { heatMaps + bands + raw + lines + points + references }
    }

    /// A clause plotting a block of data; when the block has nothing finite
    /// to draw, only its legend entry (`keyentry`) is kept.
    private func data(about: String, columns: [String], rows: [[Double]], using: String, style: String,
                      label: String?, keyStyle: String? = nil) -> Pending {
        let title = title(label)
        guard DataTable.hasFiniteRow(rows) else {
            return Pending(block: nil) { _ in label == nil ? [] : ["keyentry " + (keyStyle ?? style) + " " + title] }
        }
        return Pending(block: PendingBlock(about: about, columns: columns, rows: rows)) { k in
            ["data index \(k!) using \(using) \(style) " + title]
        }
    }

    private func points(_ p: Points, color: Color, place: String) -> Pending {
        let marker = "pt \(pointType(p.marker)) ps \(GnuplotText.number(p.size)) lc rgb '\(color.hex)'"
        let about = "\(place), points" + labelled(p.label)
        let withErrors = (p.connected ? "with yerrorlines lw 1.5 " : "with yerrorbars lw 1.2 ") + marker
        switch p.errors {
        case nil:
            let style = (p.connected ? "with linespoints lw 1.5 " : "with points ") + marker
            return data(about: about, columns: ["x", "y"], rows: zip(p.x, p.y).map { [$0, $1] },
                        using: "1:2", style: style, label: p.label)
        case .symmetric(let e)?:
            return data(about: about, columns: ["x", "y", "error"], rows: zip3(p.x, p.y, e).map { [$0, $1, $2] },
                        using: "1:2:3", style: withErrors, label: p.label)
        case .interval(let lower, let upper)?:
            let rows = p.x.indices.map { [p.x[$0], p.y[$0], lower[$0], upper[$0]] }
            return data(about: about, columns: ["x", "y", "lower", "upper"], rows: rows,
                        using: "1:2:3:4", style: withErrors, label: p.label)
        }
    }

    private func pointType(_ m: Marker) -> Int {
        switch m {
        case .circle: return 7
        case .square: return 5
        case .triangle: return 9
        case .diamond: return 13
        case .cross: return 2
        case .plus: return 1
        case .openCircle: return 6
        case .openSquare: return 4
        case .openTriangle: return 8
        case .openDiamond: return 12
        }
    }

    private func dash(_ d: Dash) -> String {
        switch d {
        case .solid: return ""
        // gnuplot's own patterns, scaled by each terminal to look alike.
        case .dashed: return " dt 2"
        case .dotted: return " dt 3"
        case .dashDot: return " dt 4"
        }
    }

    private func title(_ label: String?) -> String {
        label.map { "title " + GnuplotText.quoted($0) } ?? "notitle"
    }

    private func labelled(_ label: String?) -> String {
        label.map { " \"\($0)\"" } ?? ""
    }

    /// The colour of every layer: explicit, or handed out from the palette to
    /// lines and points in order; bands without a colour take the colour of
    /// the line (or points) with the same label, else the next palette colour.
    func resolveColors() -> [Color] {
        var colors = [Color](repeating: .black, count: panel.layers.count)
        var next = 0
        var byLabel: [String: Color] = [:]
        func take() -> Color { defer { next += 1 }; return Palette.color(next) }
        for (i, layer) in panel.layers.enumerated() {
            switch layer {
            case .line(let s):
                colors[i] = s.color ?? take()
                if let label = s.label, byLabel[label] == nil { byLabel[label] = colors[i] }
            case .points(let p):
                colors[i] = p.color ?? take()
                if let label = p.label, byLabel[label] == nil { byLabel[label] = colors[i] }
            case .reference(let r):
                colors[i] = r.color
            case .band, .heatMap:
                break
            }
        }
        for (i, layer) in panel.layers.enumerated() {
            if case .band(let b) = layer {
                colors[i] = b.color ?? b.label.flatMap { byLabel[$0] } ?? take()
            }
        }
        return colors
    }
}

/// Triples of three sequences, as long as the shortest.
func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
    (0..<min(a.count, b.count, c.count)).map { (a[$0], b[$0], c[$0]) }
}
