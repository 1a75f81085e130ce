import Foundation
import Testing
@testable import mi

@Suite struct HistoryFileTests {
    @Test func entriesRoundTripThroughTheEscapes() {
        for entry in ["print [1,\n2]", "x = 1 \\\n + 2", "print \"a\\nb\"", "plain", "\\", "ends with \\n"] {
            #expect(HistoryFile.decode(HistoryFile.encode(entry)) == entry)
            #expect(!HistoryFile.encode(entry).contains("\n"))
        }
    }

    @Test func appendsLoadsDropsRepeatsAndBounds() throws {
        let directory = try TemporaryDirectory()
        let file = HistoryFile(path: directory.path("h"), limit: 3)
        #expect(file.load() == [])
        for entry in ["a", "b", "b", "c\nd", "e"] { file.append(entry) }
        #expect(file.load() == ["b", "c\nd", "e"])
        for entry in ["f", "g", "h"] { file.append(entry) }
        #expect(file.load() == ["f", "g", "h"])
        let lines = try String(contentsOfFile: directory.path("h"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3, "a file past twice the limit is cut back")
    }

    @Test func pathFromTheEnvironment() {
        #expect(HistoryFile.defaultPath(environment: ["MI_HISTORY": "/tmp/h", "HOME": "/home/u"]) == "/tmp/h")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.mi_history")
        #expect(HistoryFile.defaultPath(environment: ["MI_HISTORY": "", "HOME": "/home/u"]) == nil)
        HistoryFile(path: nil).append("nothing happens")
    }
}
