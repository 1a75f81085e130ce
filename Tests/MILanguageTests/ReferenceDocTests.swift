import Foundation
import XCTest
import MILanguage

/// docs/reference.md is generated from the registry by `mi reference`; it
/// must be committed as generated, and must cover everything the registry
/// knows.
final class ReferenceDocTests: XCTestCase {
    static let regenerate = "swift run mi reference > docs/reference.md"

    func testCommittedReferenceIsUpToDate() throws {
        let url = PackagePaths.root.appendingPathComponent("docs/reference.md")
        guard let committed = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("docs/reference.md is missing; generate it with `\(ReferenceDocTests.regenerate)`")
            return
        }
        let generated = ReferenceDoc.markdown()
        if committed != generated {
            let a = committed.split(separator: "\n", omittingEmptySubsequences: false)
            let b = generated.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] }.map { $0 + 1 } ?? min(a.count, b.count) + 1
            let show = { (lines: [Substring]) in line <= lines.count ? String(lines[line - 1]) : "(end of file)" }
            XCTFail("docs/reference.md differs from the registry at line \(line); regenerate it with "
                    + "`\(ReferenceDocTests.regenerate)` and commit it.\n"
                    + "committed: \(show(a))\ngenerated: \(show(b))")
        }
    }

    /// Every entry has a section, every parameter a row, every field a row.
    func testReferenceCoversTheRegistry() {
        let doc = ReferenceDoc.markdown()
        let registry = Registry.standard
        for entry in registry.allEntries {
            XCTAssertTrue(doc.contains("\n### \(entry.name)\n\n```\n\(entry.usage)\n```\n"), "no section for \(entry.name)")
            for p in entry.parameters {
                XCTAssertTrue(doc.contains("| `\(p.name)` | "), "no row for \(entry.name)'s \(p.name)")
            }
        }
        for f in ResultValue.fields { XCTAssertTrue(doc.contains("| `\(f.name)` | "), "no row for field \(f.name)") }
        for k in Keyword.allCases { XCTAssertTrue(doc.contains("`\(k.rawValue)`"), "reserved word \(k) missing") }
        XCTAssertFalse(doc.contains("\n\n\n"), "stray blank lines")
        XCTAssertTrue(doc.hasSuffix("|\n"))
    }
}
