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
