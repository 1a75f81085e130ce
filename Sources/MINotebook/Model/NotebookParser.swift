import Foundation

/// Splits Markdown into prose and `mi` code cells.
///
/// A cell is a fenced code block (CommonMark: a line of at least three
/// backticks or tildes, closed by a fence of the same character at least as
/// long) whose info string's first word is `mi`. Later words are options,
/// `key=value` or bare `key` (meaning true). Other fenced blocks stay prose.
public enum NotebookParser {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let path: String
        /// 0 when the failure is about the file as a whole (unreadable, badly named).
        public let line: Int
        public let message: String
        public var description: String { line > 0 ? "\(path):\(line): error: \(message)" : "\(path): error: \(message)" }
    }

    /// Reads and parses the notebook at `path`.
    ///
    /// A file whose name leaves no usable notebook name (`...mi` would be
    /// `..`, `.mi` nothing) is refused: the name becomes a folder
    /// (`Figures/<name>`, `.mi-cache/<name>`), which must not be `.` or `..`.
    public static func load(_ path: String) throws -> Notebook {
        let name = Notebook(path: path, blocks: []).name
        guard Notebook.isUsableName(name) else {
            throw Failure(path: path, line: 0, message: "the notebook's file name leaves '\(name)' as its name, which would "
                          + "name a folder that is not its own (Figures/\(name)); rename the file, e.g. to notebook.mi")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(path: path, line: 0, message: "cannot read the notebook (no such file, or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure(path: path, line: 0, message: "the notebook is not valid UTF-8")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> Notebook {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [Block] = []
        var prose: [String] = []
        var cellIndex = 0
        var ids: [String: Int] = [:]
        var i = 0
        func flushProse() {
            if !prose.isEmpty { blocks.append(.prose(prose.joined(separator: "\n"))) }
            prose = []
        }
        while i < lines.count {
            guard let fence = Fence(opening: lines[i]) else {
                prose.append(lines[i])
                i += 1
                continue
            }
            // Find the closing fence.
            var j = i + 1
            while j < lines.count, !fence.isClosed(by: lines[j]) { j += 1 }
            guard fence.isMiCell else {
                prose.append(contentsOf: lines[i..<min(j + 1, lines.count)])
                i = j + 1
                continue
            }
            guard j < lines.count else {
                throw Failure(path: path, line: i + 1, message: "the mi cell opened here is never closed; add a line with \(fence.marker)")
            }
            flushProse()
            let options = try fence.options(path: path, line: i + 1)
            let cell = Cell(index: cellIndex, code: lines[(i + 1)..<j].map { fence.strip($0) }.joined(separator: "\n"),
                            firstLine: i + 2, options: options)
            if let previous = ids[cell.id] {
                throw Failure(path: path, line: i + 1, message: "cell id '\(cell.id)' is already used by the cell at line \(previous)")
            }
            ids[cell.id] = i + 1
            blocks.append(.cell(cell))
            cellIndex += 1
            i = j + 1
        }
        flushProse()
        return Notebook(path: path, blocks: blocks)
    }
}

/// An opening code fence.
private struct Fence {
    let character: Character
    let length: Int
    let indent: Int
    let info: String

    init?(opening line: String) {
        let indent = line.prefix(while: { $0 == " " }).count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let c = rest.first, c == "`" || c == "~" else { return nil }
        let run = rest.prefix(while: { $0 == c }).count
        guard run >= 3 else { return nil }
        let info = rest.dropFirst(run).trimmingCharacters(in: .whitespaces)
        if c == "`" && info.contains("`") { return nil }
        self.character = c
        self.length = run
        self.indent = indent
        self.info = info
    }

    var marker: String { String(repeating: character, count: length) }

    var words: [String] { info.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }

    var isMiCell: Bool { words.first == "mi" || words.first?.hasPrefix("{mi") == true }

    func isClosed(by line: String) -> Bool {
        let indent = line.prefix(while: { $0 == " " }).count
        guard indent <= 3 else { return false }
        let rest = line.dropFirst(indent)
        let run = rest.prefix(while: { $0 == character }).count
        return run >= length && rest.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// Removes up to `indent` leading spaces (CommonMark's rule for indented fences).
    func strip(_ line: String) -> String {
        let drop = min(indent, line.prefix(while: { $0 == " " }).count)
        return String(line.dropFirst(drop))
    }

    func options(path: String, line: Int) throws -> [String: String] {
        var out: [String: String] = [:]
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let key = parts[0]
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw NotebookParser.Failure(path: path, line: line, message: "bad cell option '\(word)'; write key=value")
            }
            if out[key] != nil {
                throw NotebookParser.Failure(path: path, line: line, message: "cell option '\(key)' is given twice")
            }
            if key == "id" && parts.count == 1 {
                throw NotebookParser.Failure(path: path, line: line, message: "the cell option id needs a name: id=NAME")
            }
            if key == "cache", let v = parts.dropFirst().first, !["true", "false"].contains(v) {
                throw NotebookParser.Failure(path: path, line: line, message: "cache= takes true or false, got '\(v)'")
            }
            // The id names the cell's figure files (`<id>-1.png`), so it
            // must be a plain, portable file name.
            if key == "id", let v = parts.dropFirst().first,
               v.isEmpty || v.count > 100 || !v.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) || $0 == "_" || $0 == "-" }) {
                throw NotebookParser.Failure(path: path, line: line,
                                             message: "a cell id may hold up to 100 ASCII letters, digits, '-' and '_', got '\(v)'")
            }
            out[key] = parts.count > 1 ? parts[1] : "true"
        }
        return out
    }
}
