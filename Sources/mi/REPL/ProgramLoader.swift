import Foundation
import MILanguage
import MINotebook

/// `:load FILE`: runs a `.mi` program, or the ```` ```mi ```` cells of a
/// notebook one after another, in the REPL's session, so what they define
/// stays available. Notebooks are read by MINotebook's `NotebookParser`,
/// the parser `mi run` and `mi render` use, so a file means the same to
/// all of them. Relative paths inside the file (`csv(...)`) resolve
/// against the file's folder while it runs; diagnostics name the file and
/// its own line numbers. The first cell that fails stops the load.
struct ProgramLoader {
    let repl: REPL

    /// The programs to run for a file's text: each notebook cell, or the
    /// whole text when it has no `mi` cell and is not Markdown (a plain
    /// program cannot hold a fence: a backtick or tilde is not valid code).
    /// Nil for Markdown without `mi` cells.
    ///
    /// - Throws: `NotebookParser.Failure` for a malformed notebook (a cell
    ///   never closed, a bad cell option, a repeated cell id).
    static func sources(name: String, text: String, isMarkdown: Bool) throws -> [SourceFile]? {
        let notebook = try NotebookParser.parse(text, path: name)
        let cells = notebook.cells
        if cells.isEmpty { return isMarkdown ? nil : [SourceFile(name: name, text: text)] }
        return cells.map { $0.source(in: notebook) }
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
        let sources: [SourceFile]
        do {
            guard let found = try ProgramLoader.sources(name: path, text: String(decoding: data, as: UTF8.self),
                                                        isMarkdown: isMarkdown) else {
                printError("error: '\(path)' has no ```mi cells")
                return
            }
            sources = found
        } catch {
            printError("\(error)")
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
