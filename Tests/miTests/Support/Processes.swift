import Foundation

/// Where the built `mi` executable is, for tests that drive it.
///
/// Building it is the test runner's job: `swift test` builds `mi` first,
/// because this target depends on it. The executable is looked up, in order:
/// `$MI_EXECUTABLE`; next to the running test bundle (the build directory of
/// whatever configuration is being tested, e.g. `.build/debug` or
/// `.build/release`); `.build/debug/mi` under the package root, found by
/// walking up from this file.
enum Executable {
    static let mi: String? = locate()

    private static func locate() -> String? {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["MI_EXECUTABLE"], fm.isExecutableFile(atPath: explicit) {
            return explicit
        }
        if let bundle = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let sibling = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("mi").path
            if fm.isExecutableFile(atPath: sibling) { return sibling }
        }
        guard let root = packageRoot else { return nil }
        let candidate = root.appendingPathComponent(".build/debug/mi").path
        return fm.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// The folder holding Package.swift, found by walking up from this file.
    static let packageRoot: URL? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }()
}

/// A temporary directory removed when the value is released.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mi-tests-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
        return path(name)
    }
}

/// Runs a program to completion with `posix_spawn` and `waitpid`, returning
/// its exit status and (optionally) its standard output.
///
/// Foundation's `Process` is avoided here: from Swift concurrency's worker
/// threads its exit monitoring can miss the child's exit (the test then
/// hangs in `waitUntilExit` beside a zombie), and the child inherits the
/// worker's blocked signal mask. This spawns with no signal blocked and
/// default dispositions, as a shell would.
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `executable` with `arguments`; stdin and stderr are /dev/null,
    /// stdout is captured when `capture` is true (else /dev/null).
    /// `environment` replaces the inherited variables it names; with
    /// `errors`, stderr goes to the captured output too; `directory` is the
    /// working directory (else the test's).
    static func run(_ executable: String, _ arguments: [String], capture: Bool, errors: Bool = false,
                    environment: [String: String] = [:], directory: String? = nil) throws -> (status: Int32, output: String) {
        var pipeFDs: [Int32] = [-1, -1]
        if capture, pipe(&pipeFDs) != 0 { throw Failure(description: "pipe failed") }
        let pid: pid_t
        do {
            pid = try start(executable, arguments, stdout: capture ? pipeFDs : nil, errors: errors, environment: environment,
                           directory: directory)
        } catch {
            if capture { close(pipeFDs[0]); close(pipeFDs[1]) }
            throw error
        }
        var output: [UInt8] = []
        if capture {
            close(pipeFDs[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(pipeFDs[0], &buffer, buffer.count)
                if n > 0 { output += buffer[..<n]; continue }
                if n < 0 && errno == EINTR { continue }
                break
            }
            close(pipeFDs[0])
        }
        return (wait(pid), String(decoding: output, as: UTF8.self))
    }

    /// Starts `executable` without waiting for it; stdin and stderr are
    /// /dev/null, stdout goes to the write end of `stdout` (a pipe) or
    /// /dev/null, and so does stderr with `errors`.
    static func start(_ executable: String, _ arguments: [String], stdout: [Int32]? = nil, errors: Bool = false,
                      environment: [String: String] = [:], directory: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let fds = stdout {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            if errors { posix_spawn_file_actions_adddup2(&actions, fds[1], 2) }
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        if !(errors && stdout != nil) { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for s in [SIGINT, SIGQUIT, SIGTSTP, SIGPIPE, SIGCHLD, SIGTERM] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // In another working directory through the shell, which changes to it
        // and then becomes the program (posix_spawn has no portable chdir).
        var program = executable, words = [executable] + arguments
        if let directory {
            program = "/bin/sh"
            words = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
        }
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Failure(description: "cannot run \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Waits for `pid` to end; its exit status, or 128 + the signal that ended it.
    @discardableResult
    static func wait(_ pid: pid_t) -> Int32 {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }
}
