import Foundation

/// The REPL's history on disk: `~/.mi_history`, or `$MI_HISTORY` when set
/// (tests point it elsewhere; an empty value turns saving off).
///
/// One entry per line. A multi-line input stays one entry, so Up recalls it
/// whole: newlines are written as `\n` and backslashes as `\\` (the only
/// escapes). Each entry is appended as it is accepted, so two REPLs running
/// at once interleave their entries instead of overwriting each other's.
/// Consecutive duplicates are dropped, and the file is cut back to the last
/// `limit` entries when it grows past twice that.
struct HistoryFile {
    /// Where the history lives; nil when saving is off.
    let path: String?
    /// How many entries are kept.
    let limit: Int

    init(path: String?, limit: Int = 1000) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// The path from the environment: `$MI_HISTORY` if set (empty: none),
    /// else `~/.mi_history`.
    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["MI_HISTORY"] { return explicit.isEmpty ? nil : explicit }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.mi_history"
    }

    /// The saved entries, oldest first: consecutive duplicates dropped, at
    /// most `limit`. A file grown past twice the limit is rewritten.
    func load() -> [String] {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return [] }
        // Bytes, not Characters: this runs before the first prompt.
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        var entries: [String] = []
        entries.reserveCapacity(min(lines.count, 2 * limit))
        for line in lines.suffix(2 * limit) {
            let text = String(decoding: line, as: UTF8.self)
            let entry = line.contains(UInt8(ascii: "\\")) ? HistoryFile.decode(text) : text
            if entry.isEmpty || entry == entries.last { continue }
            entries.append(entry)
        }
        if lines.count > 2 * limit {
            entries = Array(entries.suffix(limit))
            rewrite(entries)
        }
        return Array(entries.suffix(limit))
    }

    /// Appends one entry to the file (the caller drops duplicates).
    func append(_ entry: String) {
        guard let path else { return }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array((HistoryFile.encode(entry) + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Replaces the file's contents with `entries` (atomically, by rename).
    private func rewrite(_ entries: [String]) {
        guard let path else { return }
        let text = entries.map { HistoryFile.encode($0) + "\n" }.joined()
        let temporary = path + ".tmp\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// One entry as one line: `\` as `\\`, newline as `\n`.
    static func encode(_ entry: String) -> String {
        var out = ""
        for c in entry {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// The inverse of `encode` (an unknown escape is kept as written).
    static func decode<S: StringProtocol>(_ line: S) -> String {
        var out = ""
        var escaped = false
        for c in line {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "\\": out.append("\\")
                default: out.append("\\"); out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        if escaped { out.append("\\") }
        return out
    }
}
