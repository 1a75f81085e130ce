/// A figure as a gnuplot script and its data table: two plain-text files that
/// redraw the figure by hand (`gnuplot NAME.gp` in their directory).
///
/// The script reads the table by relative path (`NAME.dat`) and picks its
/// terminal from two variables that can be set on the command line:
/// `format` (`svg`, the default, `png`, `pdf` or `dumb`) and `output` (the
/// file to write; `NAME.<format>` by default, the terminal for `dumb`).
///
///     gnuplot NAME.gp                        # NAME.svg
///     gnuplot -e 'format="png"' NAME.gp      # NAME.png
///     gnuplot -e 'format="dumb"' NAME.gp     # text on the terminal
///
/// Generation is pure and deterministic: the same figure gives the same
/// bytes, which the golden tests rely on.
public struct GnuplotScript: Sendable, Equatable {
    /// The base name of both files.
    public let name: String
    /// The script's text.
    public let script: String
    /// The data table's text.
    public let table: String
    /// The table's structure.
    public let data: DataTable

    /// The script's file name, `NAME.gp`.
    public var scriptFileName: String { name + ".gp" }
    /// The table's file name, `NAME.dat`.
    public var tableFileName: String { name + ".dat" }

    /// Builds the script and table of `figure`.
    ///
    /// - Parameters:
    ///   - name: base name of the files (letters, digits, `-`, `_`, `.`; not
    ///     starting with `.`).
    ///   - style: fonts and the default format.
    /// - Throws: `PlotError.invalidName`, or `PlotError.invalidFigure` from
    ///   `Figure.validate()`.
    public init(figure: Figure, name: String, style: GnuplotStyle = GnuplotStyle()) throws {
        try Self.checkName(name)
        try figure.validate()
        self.name = name
        var table = DataTable()
        var lines = Self.prelude(figure: figure, name: name, style: style)
        let layout = figure.layout
        let multiplot = layout.cellCount > 1 || figure.title != nil
        if multiplot {
            var command = "set multiplot layout \(layout.rows),\(layout.columns) rowsfirst"
            if let title = figure.title {
                command += " title \(GnuplotText.quoted(title)) font ',\(GnuplotText.number(style.titleFontSize))'"
            }
            lines.append(command)
        }
        for (i, panel) in figure.panels.enumerated() {
            lines.append("")
            let panelScript = PanelScript(panel: panel, number: i + 1,
                                          row: i / layout.columns + 1, column: i % layout.columns + 1)
            lines += panelScript.commands(table: &table)
        }
        lines.append("")
        if multiplot { lines.append("unset multiplot") }
        lines.append("unset output")
        self.script = lines.joined(separator: "\n") + "\n"
        self.data = table
        self.table = table.text(fileName: name + ".dat", scriptName: name + ".gp", title: figure.title)
    }

    /// Checks that `name` is a plain file name: `[A-Za-z0-9._-]+`, not
    /// starting with `.`, at most 200 characters.
    public static func checkName(_ name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
        if name.isEmpty || name.count > 200 || name.hasPrefix(".") || !allowed {
            throw PlotError.invalidName(name)
        }
    }

    /// Header comment, terminal selection and shared settings.
    private static func prelude(figure: Figure, name: String, style: GnuplotStyle) -> [String] {
        let size = figure.resolvedSize
        var lines: [String] = []
        var about = "# \(name).gp: "
        about += figure.title.map { "figure \"\(GnuplotText.comment($0))\"" } ?? "a figure"
        about += ", drawn by MIPlot; its data is \(name).dat, beside this file."
        lines.append(about)
        lines += [
            "# Redraw it from this directory:",
            "#   gnuplot \(name).gp                       writes \(name).\(style.defaultFormat.fileExtension)",
            "#   gnuplot -e 'format=\"png\"' \(name).gp     writes \(name).png (formats: svg, png, pdf, dumb)",
            "#   gnuplot -e 'format=\"dumb\"' \(name).gp    draws it as text in the terminal",
            "#   gnuplot -e 'output=\"other.svg\"' \(name).gp   writes another file",
            "if (!exists(\"format\")) format = '\(style.defaultFormat.rawValue)'",
            "if (!exists(\"output\")) output = (format eq 'dumb') ? '' : '\(name).' . format",
            "if (!exists(\"dumb_width\")) dumb_width = 100",
            "if (!exists(\"dumb_height\")) dumb_height = 30",
            "if (!exists(\"dumb_color\")) dumb_color = 0",
        ]
        for format in [OutputFormat.svg, .png, .pdf] {
            lines.append("if (format eq '\(format.rawValue)') { \(style.terminal(format, size: size)) }")
        }
        lines.append("if (format eq 'dumb') { if (dumb_color) { \(style.terminal(.dumb, size: size, dumbColor: true)) } "
                     + "else { \(style.terminal(.dumb, size: size)) } }")
        lines += [
            "if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {",
            "    exit error 'format must be svg, png, pdf or dumb, not ' . format",
            "}",
            "if (output ne '') { set output output }",
            "set encoding utf8",
            "data = '\(name).dat'",
        ]
        return lines
    }
}
