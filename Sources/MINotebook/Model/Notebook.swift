import MILanguage

/// A `.mi` notebook: Markdown prose with code cells, fenced blocks whose
/// info string is `mi` (optionally followed by options: `mi id=fig2 cache=false`).
/// Notebooks are plain text and are never modified by `mi`: outputs go to
/// the rendered document, not back into the file.
public struct Notebook: Sendable {
    /// The file it was read from (diagnostics name it).
    public let path: String
    public let blocks: [Block]

    public init(path: String, blocks: [Block]) {
        self.path = path
        self.blocks = blocks
    }

    /// The code cells, in order.
    public var cells: [Cell] {
        blocks.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
    }

    /// The notebook's name: its file name without `.mi`/`.md`.
    public var name: String {
        var base = path.split(separator: "/").last.map(String.init) ?? path
        for ext in [".mi", ".md", ".markdown"] where base.hasSuffix(ext) {
            base.removeLast(ext.count)
            break
        }
        return base
    }

    /// Whether `name` can name the notebook's folders (`Figures/<name>`,
    /// `.mi-cache/<name>`): not empty, not `.` or `..`.
    public static func isUsableName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("\0")
    }
}

/// A piece of a notebook.
public enum Block: Sendable {
    /// Markdown prose, kept verbatim (including fences of other languages).
    case prose(String)
    case cell(Cell)
}

/// A code cell.
public struct Cell: Sendable {
    /// 0-based position among the notebook's cells.
    public let index: Int
    /// The cell's code (without the fences).
    public let code: String
    /// 1-based line of the code's first line in the notebook.
    public let firstLine: Int
    /// Options from the info string: `id`, `cache`, and any others (kept for tools).
    public let options: [String: String]

    public init(index: Int, code: String, firstLine: Int, options: [String: String]) {
        self.index = index
        self.code = code
        self.firstLine = firstLine
        self.options = options
    }

    /// The cell's id: its `id=` option, or `cell-N` (1-based).
    public var id: String { options["id"] ?? "cell-\(index + 1)" }

    /// False when the cell opts out of the cache (`cache=false`).
    public var cacheable: Bool { options["cache"].map { $0 != "false" } ?? true }

    /// The cell as source for the language, positioned in its notebook.
    public func source(in notebook: Notebook) -> SourceFile {
        SourceFile(name: notebook.path, text: code, firstLine: firstLine)
    }
}
