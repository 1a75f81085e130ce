import Foundation

/// Files that appear whole or not at all: everything is written under a
/// temporary name in the destination directory and then renamed into place
/// (`rename(2)` replaces the target atomically within one file system).
public enum AtomicFile {
    /// Writes `data` to `url` atomically: readers see the old file or the new
    /// one, never a part; on failure nothing is left behind.
    ///
    /// - Throws: `PlotError.io`.
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try data.write(to: temp)
            try syncFile(temp)
            try move(temp, to: url)
        } catch let error as PlotError {
            try? FileManager.default.removeItem(at: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw PlotError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Renames `source` to `destination`, replacing it atomically.
    public static func move(_ source: URL, to destination: URL) throws {
        if rename(source.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            throw PlotError.io("cannot move \(source.path) to \(destination.path): \(reason)")
        }
    }

    /// Flushes a file's data to disk, so a crash after the rename cannot
    /// leave an empty file under the final name.
    static func syncFile(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw PlotError.io("cannot open \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        _ = fsync(fd)
    }
}

/// A private directory beside the destination files where a render writes
/// everything before any of it is moved into place; removed at the end
/// whatever happens.
struct StagingDirectory {
    let url: URL

    /// Creates `.<name>.render-<pid>-<uuid>` inside `parent` (creating `parent` too).
    init(in parent: URL, for name: String) throws {
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            let pid = ProcessInfo.processInfo.processIdentifier
            url = parent.appendingPathComponent(".\(name).render-\(pid)-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        } catch let error as PlotError {
            throw error
        } catch {
            throw PlotError.io("cannot create a staging directory in \(parent.path): \(error.localizedDescription)")
        }
    }

    /// Removes staging directories of `name` in `parent` left behind by a
    /// render that was killed: those whose process no longer exists, and
    /// any older than `age` seconds (a render still running elsewhere keeps
    /// its own).
    static func removeStale(in parent: URL, for name: String, olderThan age: Double) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        let prefix = ".\(name).render-"
        for entry in entries where entry.hasPrefix(prefix) {
            let url = parent.appendingPathComponent(entry)
            // `<pid>-<uuid>`: six dash-separated parts; older names have no pid.
            let parts = entry.dropFirst(prefix.count).split(separator: "-")
            let pid = parts.count == 6 ? Int32(parts[0]) : nil
            let ownerGone = pid.map { kill($0, 0) != 0 && errno == ESRCH } ?? false
            let modified = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
            let old = modified.map { Date().timeIntervalSince($0) > age } ?? false
            if ownerGone || old { try? fm.removeItem(at: url) }
        }
    }

    /// A file inside the staging directory.
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` to a file inside the staging directory, flushed to disk.
    func write(_ text: String, to name: String) throws {
        let target = file(name)
        do {
            try Data(text.utf8).write(to: target)
            try AtomicFile.syncFile(target)
        } catch let error as PlotError {
            throw error
        } catch {
            throw PlotError.io("cannot write \(target.path): \(error.localizedDescription)")
        }
    }

    /// Removes the directory and whatever is left in it.
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
