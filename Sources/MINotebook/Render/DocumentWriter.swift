import Foundation
import MIEngine
import MILanguage
import MIPlot

/// Writes a notebook run as a document: every figure as SVG and PNG with
/// its gnuplot script and data table beside it, then README.md and
/// index.html. Every file is written atomically, so a render killed midway
/// leaves the previous document and figures intact.
public struct DocumentWriter {
    public let directory: String
    public let renderer: FigureRenderer
    /// Also write PDF figures.
    public var pdf = false
    /// Add the closing line with machine and timing (off for golden tests).
    public var footer = true

    public init(directory: String, runner: any GnuplotRunner = ProcessGnuplotRunner()) {
        self.directory = directory
        self.renderer = FigureRenderer(directory: directory, runner: runner)
    }

    /// What the render wrote.
    public struct Written: Sendable {
        public var markdown: String
        public var files: [String]
        /// Figures whose files were already up to date (gnuplot not run).
        public var unchangedFigures: Int
    }

    public func write(_ run: NotebookRun) throws -> Written {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var figures: [String: [DocumentFigure]] = [:]
        var files: [String] = []
        var unchanged = 0
        for record in run.records {
            var k = 0
            for output in record.outputs {
                guard case .figure(let figure) = output else { continue }
                k += 1
                let name = "\(record.cell.id)-\(k)"
                let formats: [OutputFormat] = pdf ? [.svg, .png, .pdf] : [.svg, .png]
                if try isCurrent(figure, name: name, formats: formats) {
                    unchanged += 1
                } else {
                    try renderer.render(figure, name: name, formats: formats)
                }
                let written = [name + ".gp", name + ".dat"] + formats.map { name + "." + $0.fileExtension }
                files += written
                figures[record.cell.id, default: []].append(
                    DocumentFigure(image: name + ".png", alt: figure.title ?? figure.panels.first?.title ?? name, files: written))
            }
        }
        var document = MarkdownDocument(figures: figures)
        if footer { document.footer = Self.footer(run) }
        let markdown = document.markdown(for: run)
        try AtomicWrite.write(markdown, to: directory + "/README.md")
        try AtomicWrite.write(HTMLDocument.html(markdown: markdown, title: run.notebook.name), to: directory + "/index.html")
        files += ["README.md", "index.html"]
        try removeStale(keeping: Set(files))
        return Written(markdown: markdown, files: files, unchangedFigures: unchanged)
    }

    /// True when the figure's script and table on disk are exactly what it
    /// would write now and its images exist: drawing again would change nothing.
    private func isCurrent(_ figure: Figure, name: String, formats: [OutputFormat]) throws -> Bool {
        let generated = try GnuplotScript(figure: figure, name: name)
        let fm = FileManager.default
        guard let script = fm.contents(atPath: directory + "/" + generated.scriptFileName),
              let table = fm.contents(atPath: directory + "/" + generated.tableFileName),
              String(decoding: script, as: UTF8.self) == generated.script,
              String(decoding: table, as: UTF8.self) == generated.table else { return false }
        return formats.allSatisfy { fm.fileExists(atPath: directory + "/" + name + "." + $0.fileExtension) }
    }

    /// Removes figure files of earlier renders that this render did not
    /// produce (a deleted or renamed cell), leaving other files alone.
    private func removeStale(keeping: Set<String>) throws {
        let fm = FileManager.default
        let extensions = ["gp", "dat", "svg", "png", "pdf", "txt"]
        for file in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] where !keeping.contains(file) {
            guard let ext = file.split(separator: ".").last.map(String.init), extensions.contains(ext),
                  file.range(of: #"^[A-Za-z0-9_-]+-\d+\.[a-z]+$"#, options: .regularExpression) != nil else { continue }
            try? fm.removeItem(atPath: directory + "/" + file)
        }
    }

    /// "Rendered by mi on <machine> ..." with the cells' total compute time
    /// (cached cells count the time they took when they ran).
    static func footer(_ run: NotebookRun) -> String {
        let compute = run.records.reduce(0) { $0 + $1.seconds }
        return "Rendered by mi \(MIVersion.release) (build \(BuildIdentity.digest.prefix(12))) on \(Machine.description). "
            + "Cells computed in \(Self.duration(compute)) in total; this render computed \(run.computedRuns) "
            + "run\(run.computedRuns == 1 ? "" : "s") and replayed \(run.replayedRuns) from the cache in \(Self.duration(run.seconds))."
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \((s % 3600) / 60) min"
    }
}

/// The machine a document was rendered on.
public enum Machine {
    public static var description: String {
        var model = "unknown CPU"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let name = line.split(separator: ":", maxSplits: 1).last {
            model = name.trimmingCharacters(in: .whitespaces)
        }
        return "\(model), \(Parallel.cores) core\(Parallel.cores == 1 ? "" : "s")"
    }
}
