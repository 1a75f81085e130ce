import Foundation
import MIEngine
import MILanguage

/// A folder of cached runs, one file per run, verified on every read.
///
/// A run's file is named by the digest of the running build's identity and
/// the run's key text (`RunKey.text`: every input, written exactly). The file
/// repeats what it is for and carries a checksum of its contents:
///
///     mi-run 1
///     digest <32 hex digits: the file's name>
///     build <32 hex digits: BuildIdentity.digest of the build that computed it>
///     checksum <32 hex digits: ContentDigest of the JSON below>
///     {"key": "<the key text>", "summary": ..., "seconds": ..., "value": ...}
///
/// A read replays the run only when every line agrees: the build is this
/// one, the checksum matches the bytes, and the stored key text is the one
/// asked for (so even a digest collision is a miss). Anything else, a torn,
/// truncated, edited or foreign file, is a miss and the run is computed
/// again. Entries are written atomically and never modified; concurrent
/// writers of one key write the same bytes.
public final class RunStore: RunCache, @unchecked Sendable {
    public let directory: String
    /// The build runs are keyed on (`BuildIdentity.digest` outside tests).
    public let build: String
    /// Compute every run and overwrite its entry (`--no-cache`).
    public let refresh: Bool
    /// Entries that were present but failed verification, since creation.
    public private(set) var rejected = 0

    static let magic = "mi-run 1"

    public init(directory: String, build: String = BuildIdentity.digest, refresh: Bool = false) {
        self.directory = directory
        self.build = build
        self.refresh = refresh
    }

    /// The store for `notebook`: `.mi-cache/runs` in its folder. Runs are
    /// named by content, so notebooks in one folder share what they compute.
    public static func beside(_ notebook: Notebook, refresh: Bool = false) -> RunStore {
        let dir = (notebook.path as NSString).deletingLastPathComponent
        return RunStore(directory: (dir.isEmpty ? "." : dir) + "/.mi-cache/runs", refresh: refresh)
    }

    /// The entry's name: the digest of the build and the key text.
    public func digest(for key: RunKey) -> String {
        ContentDigest.of(Array("build \(build)\nkey \(key.text)".utf8))
    }

    public func path(for key: RunKey) -> String { directory + "/" + digest(for: key) + ".run" }

    public func load(_ key: RunKey) -> CachedRun? {
        if refresh { return nil }
        let digest = digest(for: key)
        guard let data = FileManager.default.contents(atPath: directory + "/" + digest + ".run") else { return nil }
        guard let entry = verified(data, digest: digest), entry.key == key.text else {
            rejected += 1
            return nil
        }
        return CachedRun(value: entry.value, seconds: entry.seconds)
    }

    public func store(_ run: CachedRun, for key: RunKey) {
        let entry = Entry(key: key.text, summary: key.summary, seconds: run.seconds, value: run.value)
        guard let payload = try? Self.encoder.encode(entry) else { return }
        let digest = digest(for: key)
        let header = [Self.magic, "digest " + digest, "build " + build, "checksum " + ContentDigest.of([UInt8](payload))]
            .joined(separator: "\n") + "\n"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicWrite.write(Data(header.utf8) + payload, to: directory + "/" + digest + ".run")
        } catch {
            // An unwritable cache costs a recomputation next time, nothing more.
        }
    }

    /// The entry in `data` if its header and checksum hold.
    private func verified(_ data: Data, digest: String) -> Entry? {
        let bytes = [UInt8](data)
        var lines: [String] = []
        var start = 0
        while lines.count < 4, let end = bytes[start...].firstIndex(of: 0x0A) {
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end + 1
        }
        guard lines.count == 4, lines[0] == Self.magic, lines[1] == "digest " + digest,
              lines[2] == "build " + build else { return nil }
        let payload = bytes[start...]
        guard lines[3] == "checksum " + ContentDigest.of(Array(payload)) else { return nil }
        return try? Self.decoder.decode(Entry.self, from: Data(payload))
    }

    /// What a file holds after its header.
    struct Entry: Codable {
        var key: String
        var summary: String
        var seconds: Double
        var value: Value
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()
}
