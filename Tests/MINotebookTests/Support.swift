import Foundation
import MILanguage
@testable import MINotebook

/// A fresh temporary directory, removed by the caller when done.
func temporaryDirectory(_ label: String) -> String {
    let path = NSTemporaryDirectory() + "mi-notebook-\(label)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A fixture notebook copied into `directory` (so tests may edit it).
func fixture(_ name: String, into directory: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
        throw CocoaError(.fileNoSuchFile)
    }
    let path = directory + "/" + name
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.copyItem(atPath: url.path, toPath: path)
    return path
}

/// Runs a notebook with its cache beside it.
func runNotebook(_ path: String, overrides: [String: Value] = [:], noCache: Bool = false) throws -> NotebookRun {
    let nb = try NotebookParser.load(path)
    return NotebookRunner(notebook: nb, overrides: overrides, cache: RunStore.beside(nb, refresh: noCache)).run()
}

/// The golden file's path in the source tree (MI_UPDATE_GOLDEN=1 rewrites it).
func goldenPath(_ name: String, file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Golden/\(name)").path
}

func compareGolden(_ actual: String, _ name: String) -> String? {
    let path = goldenPath(name)
    if ProcessInfo.processInfo.environment["MI_UPDATE_GOLDEN"] == "1" {
        try? actual.write(toFile: path, atomically: true, encoding: .utf8)
        return nil
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else { return "missing golden file \(name)" }
    return expected == actual ? nil : "\(name) differs from its golden file (MI_UPDATE_GOLDEN=1 rewrites it)"
}
