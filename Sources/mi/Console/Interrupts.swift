#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling: the signal handler only sets a flag, which running
/// estimates poll between steps (so a stop lands within one step).
///
/// The handler also writes a byte to a self-pipe (`wakeDescriptor`), so a
/// loop waiting in `poll` wakes up whichever thread the signal was delivered
/// to: with OpenBLAS worker threads around, an `EINTR` in the main thread is
/// not guaranteed. The REPL also asks for terminal resizes (SIGWINCH) the same way.
enum Interrupts {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0
    nonisolated(unsafe) private static var resizeFlag: sig_atomic_t = 0
    nonisolated(unsafe) private static var wakeRead: Int32 = -1
    nonisolated(unsafe) private static var wakeWrite: Int32 = -1

    /// Installs the SIGINT handler.
    static func install() {
        makeWakePipe()
        flag = 0
        signal(SIGINT) { _ in
            Interrupts.flag = 1
            Interrupts.wakeUp()
        }
        unblock(SIGINT)
    }

    /// Lets `signal` reach this thread (and threads it starts later). A
    /// parent that spawned `mi` from a thread blocking signals (a dispatch
    /// worker, say) passes its mask on, and Ctrl-C would then never arrive.
    static func unblock(_ signal: Int32) {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Restores the default SIGINT behaviour (terminate).
    static func uninstall() { signal(SIGINT, SIG_DFL) }

    static var requested: Bool { flag != 0 }

    static func reset() { flag = 0 }

    /// Installs a SIGWINCH handler that sets `resized` and wakes `wakeDescriptor`.
    static func installResizeHandler() {
        makeWakePipe()
        resizeFlag = 0
        signal(SIGWINCH) { _ in
            Interrupts.resizeFlag = 1
            Interrupts.wakeUp()
        }
        unblock(SIGWINCH)
    }

    /// True once after the terminal was resized (reading clears it).
    static func takeResized() -> Bool {
        guard resizeFlag != 0 else { return false }
        resizeFlag = 0
        return true
    }

    /// The read end of the self-pipe: readable after a signal arrived. -1
    /// before `install`.
    static var wakeDescriptor: Int32 { wakeRead }

    /// Empties the self-pipe (call before waiting on it again).
    static func drainWakeups() {
        guard wakeRead >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    /// Makes `wakeDescriptor` readable. Async-signal-safe: one `write` to a
    /// non-blocking pipe (a full pipe already means "wake up", so a failed
    /// write is fine); other signal handlers call it too.
    static func wakeUp() {
        guard wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private static func makeWakePipe() {
        guard wakeRead < 0 else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }
}
