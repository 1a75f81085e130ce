import Foundation

/// Time from starting `mi` on a terminal to its first `mi> ` prompt: the
/// `{"bench":"startup",...}` line of `mi bench`.
///
/// Each run spawns this executable on a fresh pseudo-terminal (so it takes
/// the REPL path, readline and all), with a full history file (the REPL's
/// bound, 1000 entries) in a temporary `$MI_HISTORY`, waits for the prompt,
/// then presses Ctrl-D. The median of the runs is reported.
struct StartupBench {
    var runs = 9
    /// Entries in the history file the REPL loads (its limit: the worst case).
    var historyEntries = 1000
    /// Give up on a run after this many seconds.
    var timeout = 10.0

    func measure() throws -> [String: Any] {
        let executable = try currentExecutable()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mi-startup-\(getpid())", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = directory.appendingPathComponent("history")
        let lines = (0..<historyEntries).map { "estimate nce batch=\(64 + $0 % 7) critic=optimal steps=\($0)\n" }
        try Data(lines.joined().utf8).write(to: history)

        var environment = ProcessInfo.processInfo.environment
        environment["MI_HISTORY"] = history.path
        environment["TERM"] = environment["TERM"].flatMap { $0.isEmpty || $0 == "dumb" ? nil : $0 } ?? "xterm-256color"

        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let terminal = try PseudoTerminal(executable: executable, environment: environment)
            guard terminal.read(until: "mi> ", timeout: timeout) else {
                let seen = String(decoding: terminal.output, as: UTF8.self)
                throw PseudoTerminal.Failure(description: "no prompt within \(timeout) s; output: \(seen.debugDescription)")
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            terminal.write("\u{4}")
            if terminal.waitForExit(timeout: timeout) != 0 {
                throw PseudoTerminal.Failure(description: "the REPL did not exit cleanly after Ctrl-D")
            }
        }
        let sorted = times.sorted()
        return [
            "bench": "startup", "ms_to_prompt": round3(sorted[sorted.count / 2]),
            "min_ms": round3(sorted.first ?? 0), "max_ms": round3(sorted.last ?? 0),
            "runs": runs, "history_entries": historyEntries,
        ]
    }

    /// The path of the running `mi`.
    private func currentExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { throw PseudoTerminal.Failure(description: "cannot find the mi executable") }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
