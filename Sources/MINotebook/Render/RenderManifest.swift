import Foundation

/// The record a render keeps in its output folder (`.mi-render.json`): the
/// notebook it rendered and the files it wrote there. It is what makes a
/// render safe in a folder that holds other files: a render overwrites or
/// deletes only files that an earlier render of the same notebook listed
/// here. A missing or unreadable manifest, or one written for another
/// notebook, lists nothing, so nothing is deleted or overwritten.
struct RenderManifest: Codable, Equatable {
    /// The manifest's file name in the output folder.
    static let fileName = ".mi-render.json"

    /// The notebook, relative to the output folder (so a project folder can
    /// be moved or cloned and still match).
    var notebook: String
    /// File names (plain names in the output folder), sorted.
    var files: [String]

    init(notebook: String, files: some Sequence<String>) {
        self.notebook = notebook
        self.files = Set(files).sorted()
    }

    /// The files an earlier render of `notebookPath` listed in `directory`:
    /// empty when there is no manifest, it cannot be read or decoded, or it
    /// names another notebook. Only plain names are kept.
    static func owned(in directory: String, notebookPath: String) -> Set<String> {
        guard let data = FileManager.default.contents(atPath: directory + "/" + fileName),
              let manifest = try? JSONDecoder().decode(RenderManifest.self, from: data),
              manifest.notebook == relativePath(of: notebookPath, from: directory) else { return [] }
        return Set(manifest.files.filter { FileName.isPlain($0) && $0 != fileName })
    }

    /// Writes the manifest into `directory`, atomically.
    func write(in directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(contentsOf: Array("\n".utf8))
        try AtomicWrite.write(data, to: directory + "/" + Self.fileName)
    }

    /// The path of `file` as seen from `directory` (both resolved through
    /// symbolic links when they exist), e.g. `../../Notebooks/tour.mi`.
    static func relativePath(of file: String, from directory: String) -> String {
        let target = resolved(file).split(separator: "/").map(String.init)
        let base = resolved(directory).split(separator: "/").map(String.init)
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let up = Array(repeating: "..", count: base.count - common)
        return (up + target[common...]).joined(separator: "/")
    }

    /// An absolute path without `.`, `..` or symbolic links (as far as it exists).
    private static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let real = realpath(absolute, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        return (absolute as NSString).standardizingPath
    }
}

/// File names a render may write: one path component, no directories.
enum FileName {
    /// True for a name that stays inside its folder: not empty, no `/` or
    /// NUL, not `.` or `..`.
    static func isPlain(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }

    /// A cell id as the stem of file names: letters, digits, `-` and `_`
    /// kept, anything else (a `/`, a `.`, a space) replaced by `_`. The
    /// notebook parser admits only such ids; this keeps programmatic cells
    /// inside the folder too.
    static func stem(_ id: String) -> String {
        let kept = String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber) || $0 == "-" || $0 == "_" ? $0 : "_" })
        return kept.isEmpty ? "_" : kept
    }
}
