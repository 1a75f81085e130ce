import Foundation

/// A child process whose standard input, output and error are a new
/// pseudo-terminal, as if a person ran it in a terminal window (used by
/// `mi bench` to time the REPL's start-up).
///
/// The child starts a new session, so the terminal becomes its controlling
/// terminal and Ctrl-C written to `master` reaches it as SIGINT.
final class PseudoTerminal {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The process id of the child.
    let pid: pid_t
    /// Our end of the terminal: read the child's output, write its keys.
    let master: Int32
    /// Everything the child printed so far.
    private(set) var output: [UInt8] = []
    private var status: Int32?

    /// Starts `executable` on a new terminal of `columns` x `rows`.
    init(executable: String, arguments: [String] = [], environment: [String: String],
         columns: UInt16 = 100, rows: UInt16 = 30) throws {
        let calls = try PTYCalls()
        master = calls.posixOpenpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0, calls.grantpt(master) == 0, calls.unlockpt(master) == 0 else {
            throw Failure(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        var name = [CChar](repeating: 0, count: 256)
        guard calls.ptsnameR(master, &name, name.count) == 0 else {
            close(master)
            throw Failure(description: "cannot name the pseudo-terminal")
        }
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGQUIT, SIGTSTP, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // glibc's POSIX_SPAWN_SETSID (0x80), not exported to Swift: setsid()
        // runs before the file actions, so opening the terminal makes it the
        // child's controlling terminal.
        posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(master)
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        pid = child
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            _ = waitForExit(timeout: 5)
        }
        close(master)
    }

    /// Reads output until it contains `marker` (true) or `timeout` seconds
    /// pass, or the child closes the terminal (false).
    func read(until marker: String, timeout: Double) -> Bool {
        let needle = Array(marker.utf8)
        let deadline = Date().addingTimeInterval(timeout)
        while !contains(needle) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var fd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, Int32(max(1, left * 1000)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return false }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = Glibc.read(master, &buffer, buffer.count)
            guard n > 0 else { return false }   // EIO: the child closed the terminal
            output += buffer[..<n]
        }
        return true
    }

    /// Types `text` (control characters included, e.g. "\u{4}" for Ctrl-D).
    func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
    }

    /// The child's exit status once it exits within `timeout` seconds, else nil.
    func waitForExit(timeout: Double) -> Int32? {
        if let status { return status }
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                return status
            }
            // Drain output so a chatty child never blocks on a full terminal.
            var buffer = [UInt8](repeating: 0, count: 4096)
            var fd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fd, 1, 10) > 0 {
                let n = Glibc.read(master, &buffer, buffer.count)
                if n > 0 { output += buffer[..<n] }
            }
        } while Date() < deadline
        return nil
    }

    private func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, output.count >= needle.count else { return needle.isEmpty }
        return (0...(output.count - needle.count)).contains { i in output[i..<(i + needle.count)].elementsEqual(needle) }
    }
}

/// glibc's pseudo-terminal calls, looked up at run time: Swift's Glibc
/// module leaves them out (they need _XOPEN_SOURCE).
private struct PTYCalls {
    let posixOpenpt: @convention(c) (Int32) -> Int32
    let grantpt: @convention(c) (Int32) -> Int32
    let unlockpt: @convention(c) (Int32) -> Int32
    let ptsnameR: @convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32

    init() throws {
        func symbol<T>(_ name: String, as type: T.Type) throws -> T {
            guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
                throw PseudoTerminal.Failure(description: "the C library has no \(name)")
            }
            return unsafeBitCast(address, to: type)
        }
        posixOpenpt = try symbol("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
        grantpt = try symbol("grantpt", as: (@convention(c) (Int32) -> Int32).self)
        unlockpt = try symbol("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
        ptsnameR = try symbol("ptsname_r", as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32).self)
    }
}
