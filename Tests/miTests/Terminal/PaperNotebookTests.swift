import Foundation
import Testing

/// Every notebook under Notebooks/ renders with the small parameters its
/// `<!-- mi-ci: -p NAME=VALUE ... -->` line gives, and every `expect` in it
/// passes (a failed expect fails the render). The papers' claims are thereby
/// checked on every CI run, at a scale that fits in it.
@Suite("Notebooks render", .enabled(if: Executable.mi != nil, "needs a built mi"))
struct PaperNotebookTests {
    static let notebooks: [String] = {
        guard let folder = Executable.packageRoot?.appendingPathComponent("Notebooks") else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".mi") }.sorted().map { folder.appendingPathComponent($0).path }
    }()

    /// The `-p` arguments of a notebook's `mi-ci:` comment.
    static func ciArguments(_ text: String) -> [String]? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("<!-- mi-ci:") }) else { return nil }
        let body = line.replacingOccurrences(of: "<!-- mi-ci:", with: "").replacingOccurrences(of: "-->", with: "")
        return body.split(separator: " ").map(String.init)
    }

    @Test func thereAreNotebooks() {
        #expect(Self.notebooks.contains { $0.hasSuffix("/tour.mi") })
    }

    @Test(arguments: notebooks)
    func rendersWithCIParameters(_ path: String) throws {
        let mi = try #require(Executable.mi)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let arguments = try #require(Self.ciArguments(text), "\(path) has no <!-- mi-ci: ... --> line")
        // A copy, so the repository's cache folder and figures stay untouched.
        let directory = try TemporaryDirectory()
        let name = URL(fileURLWithPath: path).lastPathComponent
        let copy = try directory.write(name, text)
        let out = directory.path("out")
        let (status, output) = try Spawn.run(mi, ["render", copy, "-o", out] + arguments, capture: true)
        #expect(status == 0, "mi render \(name) \(arguments.joined(separator: " ")) exited \(status):\n\(output)")
        let document = try String(contentsOfFile: out + "/README.md", encoding: .utf8)
        #expect(!document.contains("> **This cell "), "a cell failed or was skipped:\n\(document)")
        let expects = text.components(separatedBy: "\nexpect ").count - 1
        #expect(document.components(separatedBy: "ok: expect ").count - 1 == expects, "every expect ran and held")
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == text)
    }

    /// The rendered document committed under Figures/ for each notebook is
    /// whole: no cell failed or was skipped, every expect held, and every
    /// figure it shows is there (a render from an older language once
    /// committed two failed cells and no figure).
    @Test(arguments: notebooks)
    func committedDocumentIsComplete(_ path: String) throws {
        let root = try #require(Executable.packageRoot)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let folder = root.appendingPathComponent("Figures").appendingPathComponent(name)
        let document = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(!document.contains("> **This cell "), "Figures/\(name)/README.md shows a failed or skipped cell")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expects = text.components(separatedBy: "\nexpect ").count - 1
        #expect(document.components(separatedBy: "ok: expect ").count - 1 == expects,
                "Figures/\(name)/README.md: not every expect ran and held")
        for image in document.components(separatedBy: "](").dropFirst().compactMap({ $0.split(separator: ")").first })
        where image.hasSuffix(".png") || image.hasSuffix(".svg") {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(String(image)).path),
                    "Figures/\(name)/README.md shows \(image), which is missing")
        }
    }
}
