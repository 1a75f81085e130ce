import Foundation
import Testing

/// Runs `mi` (the REPL, or with `arguments` any interactive subcommand such
/// as `mi step`) in a detached tmux session on a private tmux server, types
/// into it and reads its screen, the way a person would.
///
/// Each instance has its own server socket (`tmux -L`), killed with
/// everything in it when the instance is released, so tests running side by
/// side (and other developers' tmux sessions) never meet. Waits poll the
/// screen until a condition holds or a timeout passes; nothing sleeps a
/// fixed time.
final class TmuxREPL {
    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }

    static let tmux: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isAvailable: Bool { tmux != nil && Executable.mi != nil }

    private let socket: String
    private let config: String
    /// Where the wrapping shell writes mi's exit status.
    private let statusFile: String
    private let target = "repl"
    /// How long waits last before failing (generous: debug builds, busy machines).
    var timeout = 20.0

    /// Starts `mi` with `$MI_HISTORY` at `history` in a `columns` x `rows`
    /// window and, when `waitsForPrompt`, waits for the REPL's first prompt.
    init(history: String, arguments: [String] = [], workingDirectory: String? = nil,
         columns: Int = 120, rows: Int = 50, waitsForPrompt: Bool = true) throws {
        guard let mi = Executable.mi else { throw Timeout(description: "the mi executable is not built") }
        socket = "mi-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        config = FileManager.default.temporaryDirectory.appendingPathComponent(socket + ".conf").path
        try Data("set -g remain-on-exit on\nset -g history-limit 10000\n".utf8)
            .write(to: URL(fileURLWithPath: config))
        statusFile = config + ".status"
        // A shell waits for mi and records its exit status (tmux's own
        // #{pane_dead_status} is sometimes left empty). Its `trap : INT` keeps
        // it alive through Ctrl-C; mi itself starts with SIGINT at its default.
        var command = "env MI_HISTORY=\(quoted(history)) INPUTRC=/dev/null \(quoted(mi))"
        for a in arguments { command += " " + quoted(a) }
        if let workingDirectory { command = "cd \(quoted(workingDirectory)) && " + command }
        let script = "trap : INT; \(command); echo $? > \(quoted(statusFile))"
        try tmux(["new-session", "-d", "-s", target, "-x", "\(columns)", "-y", "\(rows)", "sh -c \(quoted(script))"])
        if waitsForPrompt { try waitForPrompts(1) }
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: config)
        try? FileManager.default.removeItem(atPath: statusFile)
    }

    // MARK: Keys

    /// Types `text` literally (no key names).
    func type(_ text: String) throws { try tmux(["send-keys", "-t", target, "-l", text]) }

    /// Presses keys by tmux name: `Enter`, `Tab`, `Up`, `C-c`, `C-d`, `C-u`.
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", target] + keys) }

    /// Types `line`, presses Enter and waits for the next prompt; returns the screen.
    @discardableResult
    func enter(_ line: String) throws -> String {
        let before = promptCount(try screen())
        try type(line)
        try press("Enter")
        return try waitForPrompts(before + 1)
    }

    // MARK: Screen

    /// The screen and its scrollback: wrapped lines joined, trailing spaces
    /// and trailing blank lines dropped (so an empty prompt reads `mi>`).
    func screen() throws -> String {
        let text = try tmux(["capture-pane", "-p", "-J", "-t", target, "-S", "-10000"])
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.reversed().drop(while: { $0.trimmingCharacters(in: .whitespaces).isEmpty })
            .reversed().joined(separator: "\n")
    }

    /// The last non-blank line (where the cursor is, at a prompt).
    func lastLine() throws -> String {
        try screen().split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Waits until `condition` holds for the screen; returns the screen.
    @discardableResult
    func wait(_ what: String, timeout: Double? = nil, until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout ?? self.timeout)
        var delay = 0.01
        while true {
            let text = try screen()
            if condition(text) { return text }
            if Date() > deadline {
                throw Timeout(description: "timed out waiting for \(what); screen:\n\(text)")
            }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 2, 0.1)
        }
    }

    /// Waits for `text` to appear on the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: Double? = nil) throws -> String {
        try wait("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// Waits until at least `count` prompts were shown and the cursor line is an empty prompt.
    @discardableResult
    func waitForPrompts(_ count: Int, timeout: Double? = nil) throws -> String {
        try wait("prompt number \(count)", timeout: timeout) { screen in
            let last = screen.split(separator: "\n").last.map(String.init) ?? ""
            return promptCount(screen) >= count && (last == "mi>" || last == "...>")
        }
    }

    /// Lines that start with a prompt.
    func promptCount(_ screen: String) -> Int {
        screen.split(separator: "\n").filter { $0.hasPrefix("mi>") || $0.hasPrefix("...>") }.count
    }

    /// The exit status once `mi` has exited, or nil if it is still running after `timeout`.
    func exitStatus(timeout: Double = 10) throws -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: statusFile, encoding: .utf8),
               let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    // MARK: tmux

    /// Runs one tmux command; its standard output is captured only for
    /// commands that print (the command that starts the server must not
    /// get a pipe: the server would inherit it and never close it).
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        guard let tmux = TmuxREPL.tmux else { throw Timeout(description: "tmux is not installed") }
        let prints = arguments.first == "capture-pane"
        let (status, output) = try Spawn.run(tmux, ["-L", socket, "-f", config] + arguments, capture: prints)
        if status != 0 && arguments.first != "kill-server" {
            throw Timeout(description: "tmux \(arguments.joined(separator: " ")) failed with status \(status)")
        }
        return output
    }

    private func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
