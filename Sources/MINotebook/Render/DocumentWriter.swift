import Foundation
import MIEngine
import MILanguage
import MIPlot

/// Writes a notebook run as a document: every figure as SVG and PNG with
/// its gnuplot script and data table beside it, then README.md and
/// index.html. Every file is written atomically, so a render killed midway
/// leaves the previous document and figures intact.
///
/// The output folder may hold other files: a render writes over or deletes
/// only files that an earlier render of the same notebook wrote, as listed
/// in the folder's manifest (`RenderManifest`). It refuses, before writing
/// anything, when a file it would write is already there and is not listed.
/// A figure gnuplot cannot draw fails its cell, like an error in the cell,
/// and the rest of the document is still written.
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
        /// The run as the document shows it: a cell with a figure that could
        /// not be drawn is failed (its summary and exit code count it).
        public var run: NotebookRun
        /// Files of earlier renders of the notebook that this one no longer
        /// writes (a deleted or renamed cell), removed.
        public var removed: [String]
    }

    /// A render that would overwrite files it did not write.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let directory: String
        public let files: [String]
        public let notebook: String

        public var description: String {
            let shown = files.prefix(5).joined(separator: ", ") + (files.count > 5 ? " and \(files.count - 5) more" : "")
            let (are, it) = files.count == 1 ? ("is", "it") : ("are", "them")
            return "\(directory): not writing the document of \(notebook): \(shown) \(are) already there and no "
                + "earlier render of this notebook wrote \(it) (the folder's \(RenderManifest.fileName) does not list \(it)). "
                + "mi never overwrites files it did not write: move \(it) away, or render into another folder with -o DIR."
        }
    }

    /// Checks, before a long run, that the document's own files could be
    /// written: README.md and index.html are absent or were written by an
    /// earlier render of `notebook`. (`write` checks every file again.)
    public func checkFolder(for notebook: Notebook) throws {
        let owned = RenderManifest.owned(in: directory, notebookPath: notebook.path)
        let clashes = Self.documentFiles.filter { exists($0) && !owned.contains($0) }
        if !clashes.isEmpty { throw Refusal(directory: directory, files: clashes, notebook: notebook.path) }
    }

    static let documentFiles = ["README.md", "index.html"]

    /// A figure the document shows: its cell, its number in the cell and its files.
    private struct PlannedFigure {
        let record: Int
        let number: Int
        let figure: Figure
        let name: String
        let files: [String]
    }

    public func write(_ run: NotebookRun) throws -> Written {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let formats: [OutputFormat] = pdf ? [.svg, .png, .pdf] : [.svg, .png]
        let planned = try plan(run, formats: formats)
        let plannedFiles = Self.documentFiles + planned.flatMap(\.files)

        // Nothing is written unless every file is new or this notebook's own.
        let owned = RenderManifest.owned(in: directory, notebookPath: run.notebook.path)
        let clashes = plannedFiles.filter { exists($0) && !owned.contains($0) }
        if !clashes.isEmpty { throw Refusal(directory: directory, files: clashes, notebook: run.notebook.path) }
        // Listed before they are written: a render killed midway leaves them
        // owned, so the next render may replace or remove them.
        let notebook = RenderManifest.relativePath(of: run.notebook.path, from: directory)
        try RenderManifest(notebook: notebook, files: owned.union(plannedFiles)).write(in: directory)

        var run = run
        var figures: [String: [DocumentFigure]] = [:]
        var files: [String] = []
        var unchanged = 0
        for p in planned {
            let formatsFiles = formats.map { p.name + "." + $0.fileExtension }
            do {
                if (try? isCurrent(p.figure, name: p.name, formats: formats)) == true {
                    unchanged += 1
                } else {
                    try renderer.render(p.figure, name: p.name, formats: formats)
                }
            } catch {
                Self.fail(&run.records[p.record], figure: p.number, error, notebook: run.notebook)
                continue
            }
            files += p.files
            let cell = run.records[p.record].cell
            figures[cell.id, default: []].append(DocumentFigure(
                image: p.name + ".png", alt: p.figure.title ?? p.figure.panels.first?.title ?? p.name,
                files: [p.name + ".gp", p.name + ".dat"] + formatsFiles))
        }
        var document = MarkdownDocument(figures: figures)
        if footer { document.footer = Self.footer(run) }
        let markdown = document.markdown(for: run)
        try AtomicWrite.write(markdown, to: directory + "/README.md")
        try AtomicWrite.write(HTMLDocument.html(markdown: markdown, title: run.notebook.name), to: directory + "/index.html")
        files += Self.documentFiles

        // Files this notebook's renders wrote that this one did not: a
        // deleted or renamed cell's figures, or a figure that failed now.
        var removed: [String] = []
        for name in owned.union(plannedFiles).subtracting(files).sorted() where isRegularFile(name) {
            if unlink(directory + "/" + name) == 0 { removed.append(name) }
        }
        try RenderManifest(notebook: notebook, files: files).write(in: directory)
        return Written(markdown: markdown, files: files, unchangedFigures: unchanged, run: run, removed: removed)
    }

    /// The figures of `run` with their file names: `<cell id>-<k>`, the id
    /// made safe as a file name; two cells whose names would clash are an error.
    private func plan(_ run: NotebookRun, formats: [OutputFormat]) throws -> [PlannedFigure] {
        var planned: [PlannedFigure] = []
        var used: [String: String] = [:]
        for (i, record) in run.records.enumerated() {
            var k = 0
            for output in record.outputs {
                guard case .figure(let figure) = output else { continue }
                k += 1
                let name = "\(FileName.stem(record.cell.id))-\(k)"
                if let other = used[name], other != record.cell.id {
                    throw PlotError.invalidName("\(name) (cells '\(other)' and '\(record.cell.id)' would both write it)")
                }
                used[name] = record.cell.id
                let files = [name + ".gp", name + ".dat"] + formats.map { name + "." + $0.fileExtension }
                planned.append(PlannedFigure(record: i, number: k, figure: figure, name: name, files: files))
            }
        }
        return planned
    }

    /// Marks a cell failed because its `number`th figure could not be drawn.
    private static func fail(_ record: inout CellRecord, figure number: Int, _ error: Error, notebook: Notebook) {
        let text = "\(notebook.path):\(record.cell.firstLine): error: figure \(number) of cell '\(record.cell.id)' "
            + "could not be drawn: \(error)"
        record.error = record.error.map { $0 + "\n" + text } ?? text
        if record.status != .failed {
            record.status = .failed
            if case PlotError.io = error { record.errorCode = 74 } else { record.errorCode = 70 }
        }
    }

    /// True when `name` is in the folder as anything (a symbolic link included).
    private func exists(_ name: String) -> Bool {
        var info = stat()
        return lstat(directory + "/" + name, &info) == 0
    }

    /// True when `name` is a regular file (not a link, a folder or a device).
    private func isRegularFile(_ name: String) -> Bool {
        var info = stat()
        return lstat(directory + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
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
