import Foundation
import Testing

/// The built `mi` executable: the newest of .build/release/mi and
/// .build/debug/mi (CI builds it with `swift build -c release --product mi`
/// before `swift test`).
func miExecutable(file: String = #filePath) -> String? {
    var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
    while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
        dir = dir.deletingLastPathComponent()
    }
    let candidates = ["release", "debug"].map { dir.appendingPathComponent(".build/\($0)/mi").path }
        .filter { FileManager.default.isExecutableFile(atPath: $0) }
    return candidates.max { a, b in
        let da = ((try? FileManager.default.attributesOfItem(atPath: a))?[.modificationDate] as? Date) ?? .distantPast
        let db = ((try? FileManager.default.attributesOfItem(atPath: b))?[.modificationDate] as? Date) ?? .distantPast
        return da < db
    }
}

let executableAvailable = miExecutable() != nil
let needsExecutable: Comment = "build the mi executable first (swift build --product mi)"

@Suite(.serialized, .enabled(if: executableAvailable, needsExecutable))
struct CommandLineTests {
    /// Killing a render midway leaves no partial figure or document, and the
    /// next render completes.
    @Test func killedRenderLeavesNothingHalfWritten() throws {
        let dir = temporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("slow.mi", into: dir)
        let out = dir + "/out"
        for delay in [0.3, 1.5] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: miExecutable()!)
            p.arguments = ["render", path, "-o", out]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let files = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            #expect(!files.contains("README.md") && !files.contains("index.html"), "document written before the slow cell finished")
            for f in files where f.hasSuffix(".png") { #expect(pngSize(out + "/" + f) != nil, "\(f) is not a whole PNG") }
            #expect(files.filter { $0.hasSuffix(".tmp") }.isEmpty)
        }
        // The next render (small) completes and cleans up after the killed ones.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: miExecutable()!)
        p.arguments = ["render", path, "-o", out, "-p", "steps=20"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.contains("README.md") && files.contains("index.html"))
        #expect(pngSize(out + "/after-1.png") != nil)
        #expect(files.filter { $0.hasPrefix(".") }.isEmpty, "staging left behind: \(files)")
    }

    /// `mi step` through a pseudo-terminal (tmux): Enter runs a statement,
    /// `p NAME` prints, `c` finishes a cell, `q` quits.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "needs tmux"))
    func stepThroughThreeCells() throws {
        let dir = temporaryDirectory("step")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try fixture("three.mi", into: dir)
        let session = "mi-step-\(getpid())"
        let tmux = Tmux(session: session)
        defer { tmux.kill() }
        try tmux.start("\(miExecutable()!) step \(path)", width: 120)
        try tmux.waitFor("three.mi:4: let x = 20")
        tmux.send("Enter")                                   // run `let x = 20`
        try tmux.waitFor("three.mi:5: let y = x + 1")
        tmux.send("p x", "Enter")
        try tmux.waitFor("x = 20")
        tmux.send("Enter")                                   // run `let y = x + 1`
        try tmux.waitFor("three.mi:9: print y * 2")
        tmux.send("c", "Enter")                              // finish cell b
        try tmux.waitFor("42")
        try tmux.waitFor("three.mi:13: print x - 1")
        tmux.send("q", "Enter")
        try tmux.waitFor("$ ", orExit: true)
        #expect(!tmux.screen().contains("19"), "q should quit before running the last statement")
    }
}

/// A detached tmux session driving a command on a pseudo-terminal.
struct Tmux {
    let session: String

    func start(_ command: String, width: Int) throws {
        try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "40", "sh -c '\(command); echo \"$ \"; sleep 30'"])
    }

    func send(_ keys: String...) { _ = try? run(["send-keys", "-t", session] + keys) }

    func screen() -> String { (try? run(["capture-pane", "-p", "-t", session])) ?? "" }

    /// Polls the screen until `text` shows, or fails after `timeout` seconds.
    func waitFor(_ text: String, timeout: Double = 20, orExit: Bool = false) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if screen().contains(text) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \"\(text)\"; screen:\n\(screen())")
        throw CancellationError()
    }

    func kill() { _ = try? run(["kill-session", "-t", session]) }

    @discardableResult
    private func run(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
