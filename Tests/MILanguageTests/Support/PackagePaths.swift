import Foundation

/// Paths of the package this test target belongs to, found from this
/// source file's location (Tests/MILanguageTests/Support/PackagePaths.swift).
enum PackagePaths {
    /// The package root: the folder holding Package.swift.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// Tests/MILanguageTests/Golden in the source tree (where
    /// MI_UPDATE_GOLDEN=1 writes expected files).
    static var goldenSource: URL { root.appendingPathComponent("Tests/MILanguageTests/Golden") }

    /// The golden programs as copied into the test bundle, or the source
    /// tree's folder when the bundle has none.
    static var golden: URL {
        Bundle.module.url(forResource: "Golden", withExtension: nil) ?? goldenSource
    }
}
