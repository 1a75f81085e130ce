/// A file format gnuplot draws into.
public enum OutputFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Scalable vector graphics (`svg` terminal).
    case svg
    /// PNG bitmap (`pngcairo`: antialiased, exact pixel size).
    case png
    /// PDF (`pdfcairo`), 100 pixels of the size hint per inch.
    case pdf
    /// Text art (`dumb`), for terminals and REPLs.
    case dumb

    /// The file extension (without the dot); `txt` for `dumb`.
    public var fileExtension: String { self == .dumb ? "txt" : rawValue }

    public var description: String { rawValue }
}

/// Fonts and defaults shared by every figure's script.
public struct GnuplotStyle: Sendable, Equatable {
    /// Font family handed to the cairo and SVG terminals.
    public var fontFamily: String
    /// Base font size in points (tic labels, axis labels, legend).
    public var fontSize: Double
    /// Font size of the figure title over a multi-panel figure.
    public var titleFontSize: Double
    /// What `gnuplot name.gp` draws when no format is chosen.
    public var defaultFormat: OutputFormat

    /// A style; the defaults suit figures on screen and in documents.
    public init(fontFamily: String = "sans", fontSize: Double = 11, titleFontSize: Double = 13,
                defaultFormat: OutputFormat = .svg) {
        self.fontFamily = fontFamily
        self.fontSize = fontSize
        self.titleFontSize = titleFontSize
        self.defaultFormat = defaultFormat
    }

    /// The terminal command for `format` at `size` (dumb takes its size
    /// from the `dumb_width`/`dumb_height` script variables).
    func terminal(_ format: OutputFormat, size: FigureSize, dumbColor: Bool = false) -> String {
        let font = GnuplotText.quoted(fontFamily + "," + GnuplotText.number(fontSize))
        let white = "background rgb 'white'"
        switch format {
        case .svg:
            return "set terminal svg size \(size.width),\(size.height) font \(font) noenhanced \(white)"
        case .png:
            return "set terminal pngcairo size \(size.width),\(size.height) font \(font) noenhanced \(white)"
        case .pdf:
            let w = GnuplotText.number(Double(size.width) / 100)
            let h = GnuplotText.number(Double(size.height) / 100)
            return "set terminal pdfcairo size \(w)in,\(h)in font \(font) noenhanced \(white)"
        case .dumb:
            return "set terminal dumb size dumb_width,dumb_height noenhanced " + (dumbColor ? "ansi256" : "mono")
        }
    }
}
