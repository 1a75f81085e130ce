import Foundation
import MILanguage

/// `:load FILE`: runs a `.mi` program, or the ```` ```mi ```` cells of a
/// Markdown notebook one after another, in the REPL's session, so what
/// they define stays available. Relative paths inside the file (`csv(...)`)
/// resolve against the file's folder while it runs; diagnostics name the
/// file and its own line numbers. The first cell that fails stops the load.
struct ProgramLoader {
    let repl: REPL

    /// The programs to run for a file's text: each notebook cell, or the
    /// whole text. Nil when a notebook has no `mi` cells.
    static func sources(name: String, text: String, isMarkdown: Bool) -> [SourceFile]? {
        guard isMarkdown || NotebookCells.isNotebook(text) else {
            return [SourceFile(name: name, text: text)]
        }
        let cells = NotebookCells.cells(in: text)
        if cells.isEmpty { return nil }
        return cells.map { SourceFile(name: name, text: $0.code, firstLine: $0.firstLine) }
    }

    /// Loads and runs `path` (relative to the working directory; `~` expanded).
    func load(_ path: String) {
        let expanded = NSString(string: path).expandingTildeInPath
        let url = URL(fileURLWithPath: expanded)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            printError("error: cannot load '\(path)': " + (isDirectory.boolValue ? "it is a directory" : "no such file"))
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            printError("error: cannot load '\(path)': the file cannot be read")
            return
        }
        let isMarkdown = ["md", "markdown"].contains(url.pathExtension.lowercased())
        guard let sources = ProgramLoader.sources(name: path, text: String(decoding: data, as: UTF8.self),
                                                  isMarkdown: isMarkdown) else {
            printError("error: '\(path)' has no ```mi cells")
            return
        }
        let session = repl.session
        let saved = session.environment.baseDirectory
        session.environment.baseDirectory = url.deletingLastPathComponent().path
        defer { session.environment.baseDirectory = saved }
        for (i, source) in sources.enumerated() where !repl.execute(source) {
            if sources.count > 1 { printError(":load stopped at cell \(i + 1) of \(sources.count)") }
            return
        }
    }
}

/// The code cells of a Markdown notebook: fenced blocks whose info string
/// starts with the word `mi` (```` ```mi ```` or ```` ```mi id=fig2 ````),
/// following CommonMark's fence rules (three or more backticks or tildes,
/// indented at most three spaces, closed by a fence of the same character
/// at least as long; an unclosed fence runs to the end of the file).
///
/// The REPL's `:load` uses this until the notebook layer (MINotebook) lands.
enum NotebookCells {
    /// A cell's code and the 1-based line of its first code line in the file.
    struct Cell: Equatable {
        let code: String
        let firstLine: Int
    }

    /// Whether `text` is a notebook: it has at least one `mi` fence. (A
    /// program cannot contain one: a backtick or tilde is not valid code.)
    static func isNotebook(_ text: String) -> Bool {
        text.split(separator: "\n", omittingEmptySubsequences: false).contains { line in
            fence(String(line)).map { isMi($0.info) } ?? false
        }
    }

    /// The `mi` cells of `text`, in order.
    static func cells(in text: String) -> [Cell] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cells: [Cell] = []
        var open: (fence: Fence, first: Int, body: [String])? = nil
        for (index, line) in lines.enumerated() {
            if let current = open {
                if let closing = fence(line), closing.character == current.fence.character,
                   closing.length >= current.fence.length, closing.info.isEmpty {
                    if isMi(current.fence.info) {
                        cells.append(Cell(code: current.body.joined(separator: "\n"), firstLine: current.first))
                    }
                    open = nil
                } else {
                    open?.body.append(removingIndent(line, upTo: current.fence.indent))
                }
            } else if let opening = fence(line), !(opening.character == "`" && opening.info.contains("`")) {
                open = (opening, index + 2, [])
            }
        }
        if let current = open, isMi(current.fence.info) {
            cells.append(Cell(code: current.body.joined(separator: "\n"), firstLine: current.first))
        }
        return cells
    }

    /// A fence line: its character, length, indentation and info string.
    struct Fence {
        let character: Character
        let length: Int
        let indent: Int
        let info: String
    }

    static func fence(_ line: String) -> Fence? {
        let indent = line.prefix(while: { $0 == " " }).count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let c = rest.first, c == "`" || c == "~" else { return nil }
        let length = rest.prefix(while: { $0 == c }).count
        guard length >= 3 else { return nil }
        let info = rest.dropFirst(length).trimmingWhitespace()
        return Fence(character: c, length: length, indent: indent, info: info)
    }

    /// Whether an info string names the `mi` language (its first word).
    static func isMi(_ info: String) -> Bool {
        info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == "mi"
    }

    private static func removingIndent(_ line: String, upTo indent: Int) -> String {
        let spaces = min(indent, line.prefix(while: { $0 == " " }).count)
        return String(line.dropFirst(spaces))
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
