import Foundation
import MILanguage

/// What a cached cell left behind: enough to replay it without running.
public struct CachedCell: Codable, Sendable {
    public var outputs: [Output]
    /// Variables the cell defined, with their values.
    public var variables: [String: Value]
    /// Parameters the cell declared, with the values in force.
    public var parameters: [String: Value]
    /// The session seed when the cell finished.
    public var seed: UInt64
    /// Seconds the cell took when it ran.
    public var seconds: Double
}

/// A directory of cached cells, one JSON file per cache key, written
/// atomically (temporary file, then rename), so an interrupted run never
/// leaves a corrupt entry; an unreadable entry is treated as a miss.
public struct CellCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The cache for `notebook`: `.mi-cache/<name>` beside it.
    public static func beside(_ notebook: Notebook) -> CellCache {
        let dir = (notebook.path as NSString).deletingLastPathComponent
        return CellCache(directory: (dir.isEmpty ? "." : dir) + "/.mi-cache/" + notebook.name)
    }

    private func path(_ key: String) -> String { directory + "/" + key + ".json" }

    public func load(_ key: String) -> CachedCell? {
        guard let data = FileManager.default.contents(atPath: path(key)) else { return nil }
        return try? Self.decoder.decode(CachedCell.self, from: data)
    }

    public func store(_ entry: CachedCell, key: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let data = try Self.encoder.encode(entry)
        try AtomicWrite.write(data, to: path(key))
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()
}

/// Writes a file by writing a temporary file in the same directory and
/// renaming it over the target: readers see the old file or the new one,
/// never half of one.
public enum AtomicWrite {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temp)
            if rename(temp.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}
