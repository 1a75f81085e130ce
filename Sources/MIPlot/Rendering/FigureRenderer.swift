import Foundation

/// The files a render wrote.
public struct RenderedFigure: Sendable, Equatable {
    /// The gnuplot script, `NAME.gp`.
    public var script: URL
    /// The data table, `NAME.dat`.
    public var table: URL
    /// The drawings, by format (`NAME.svg`, `NAME.png`, `NAME.pdf`, `NAME.txt`).
    public var images: [OutputFormat: URL]

    /// Every file written: the drawings (svg, png, pdf, txt order), then
    /// the table and the script.
    public var paths: [URL] {
        OutputFormat.allCases.compactMap { images[$0] } + [table, script]
    }
}

/// Draws figures into a directory with gnuplot.
///
///     let renderer = FigureRenderer(directory: URL(fileURLWithPath: "Figures/nb"))
///     let written = try renderer.render(figure, name: "fig2", formats: [.svg, .png])
///     print(try FigureRenderer.dumb(figure, width: 100, height: 30))
///
/// A render is all or nothing: the script, the table and every drawing are
/// first written into a private staging directory beside the destination,
/// and only when gnuplot has succeeded for every format are they renamed
/// into place (each rename atomic). A failure or timeout leaves the
/// directory as it was, older files included. (A render killed outright
/// leaves its hidden `.NAME.render-*` directory; the next render of `NAME`
/// removes it once it is stale.)
public struct FigureRenderer: Sendable {
    /// Where the files go (created when missing).
    public var directory: URL
    /// How gnuplot is run; a fake in tests.
    public var runner: any GnuplotRunner
    /// Fonts and the script's default format.
    public var style: GnuplotStyle
    /// Seconds each gnuplot run may take before it is stopped.
    public var timeout: Double

    /// A renderer writing into `directory`.
    public init(directory: URL, runner: any GnuplotRunner = ProcessGnuplotRunner(),
                style: GnuplotStyle = GnuplotStyle(), timeout: Double = 60) {
        self.directory = directory
        self.runner = runner
        self.style = style
        self.timeout = timeout
    }

    /// A renderer writing into the directory at `path`.
    public init(directory path: String, runner: any GnuplotRunner = ProcessGnuplotRunner(),
                style: GnuplotStyle = GnuplotStyle(), timeout: Double = 60) {
        self.init(directory: URL(fileURLWithPath: path, isDirectory: true), runner: runner, style: style, timeout: timeout)
    }

    /// Draws `figure` as `NAME.<ext>` for each format, with `NAME.gp` and
    /// `NAME.dat` beside them (`gnuplot NAME.gp` redraws it by hand).
    ///
    /// - Parameters:
    ///   - name: base name of the files: letters, digits, `-`, `_`, `.`.
    ///   - formats: the drawings to make (`.dumb` writes `NAME.txt`).
    /// - Returns: the files written.
    /// - Throws: `PlotError`; nothing in `directory` has changed then.
    @discardableResult
    public func render(_ figure: Figure, name: String, formats: [OutputFormat] = [.svg, .png]) throws -> RenderedFigure {
        let generated = try GnuplotScript(figure: figure, name: name, style: style)
        StagingDirectory.removeStale(in: directory, for: name, olderThan: max(600, 8 * timeout))
        let staging = try StagingDirectory(in: directory, for: name)
        defer { staging.remove() }
        try staging.write(generated.table, to: generated.tableFileName)
        try staging.write(generated.script, to: generated.scriptFileName)

        var unique: [OutputFormat] = []
        for format in formats where !unique.contains(format) { unique.append(format) }
        for format in unique {
            let output = name + "." + format.fileExtension
            var variables = [GnuplotJob.Variable("format", GnuplotText.quoted(format.rawValue)),
                             GnuplotJob.Variable("output", GnuplotText.quoted(output))]
            if format == .dumb {
                variables += [.init("dumb_width", "100"), .init("dumb_height", "30")]
            }
            _ = try runner.run(GnuplotJob(scriptFile: generated.scriptFileName, directory: staging.url,
                                          variables: variables, timeout: timeout))
            let size = (try? FileManager.default.attributesOfItem(atPath: staging.file(output).path)[.size] as? Int) ?? nil
            guard let size, size > 0 else {
                throw PlotError.emptyOutput(path: directory.appendingPathComponent(output).path)
            }
        }

        // Commit: every file is complete; rename each into place.
        var result = RenderedFigure(script: directory.appendingPathComponent(generated.scriptFileName),
                                    table: directory.appendingPathComponent(generated.tableFileName), images: [:])
        for format in unique {
            let output = name + "." + format.fileExtension
            let target = directory.appendingPathComponent(output)
            try AtomicFile.move(staging.file(output), to: target)
            result.images[format] = target
        }
        try AtomicFile.move(staging.file(generated.tableFileName), to: result.table)
        try AtomicFile.move(staging.file(generated.scriptFileName), to: result.script)
        return result
    }

    /// Draws `figure` as text (gnuplot's `dumb` terminal) `width` columns by
    /// `height` lines, through this renderer's runner; writes nothing in
    /// `directory`.
    ///
    /// - Parameter color: ANSI colours (256-colour escapes) for a terminal.
    public func text(_ figure: Figure, width: Int = 100, height: Int = 30, color: Bool = false) throws -> String {
        guard (20...2000).contains(width), (10...1000).contains(height) else {
            throw PlotError.invalidFigure("text size \(width)x\(height) is outside 20...2000 x 10...1000 characters")
        }
        let generated = try GnuplotScript(figure: figure, name: "figure", style: style)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mi-plot-\(UUID().uuidString)")
        let staging = try StagingDirectory(in: scratch, for: "figure")
        defer {
            staging.remove()
            try? FileManager.default.removeItem(at: scratch)
        }
        try staging.write(generated.table, to: generated.tableFileName)
        try staging.write(generated.script, to: generated.scriptFileName)
        let variables = [GnuplotJob.Variable("format", "'dumb'"), .init("output", "''"),
                         .init("dumb_width", String(width)), .init("dumb_height", String(height)),
                         .init("dumb_color", color ? "1" : "0")]
        let out = try runner.run(GnuplotJob(scriptFile: generated.scriptFileName, directory: staging.url,
                                            variables: variables, timeout: timeout))
        // The dumb terminal starts each page with a form feed; a REPL wants none.
        return String(decoding: out, as: UTF8.self).replacingOccurrences(of: "\u{0C}", with: "")
    }

    /// Draws `figure` as text with gnuplot's `dumb` terminal, for a REPL.
    ///
    ///     print(try FigureRenderer.dumb(figure, width: 100, height: 30))
    public static func dumb(_ figure: Figure, width: Int = 100, height: Int = 30, color: Bool = false,
                            runner: any GnuplotRunner = ProcessGnuplotRunner(), timeout: Double = 60) throws -> String {
        try FigureRenderer(directory: FileManager.default.temporaryDirectory, runner: runner, timeout: timeout)
            .text(figure, width: width, height: height, color: color)
    }
}
