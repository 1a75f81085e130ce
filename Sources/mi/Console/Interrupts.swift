#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling: the signal handler only sets a flag, which running
/// estimates poll between steps (so a stop lands within one step).
enum Interrupts {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Installs the SIGINT handler.
    static func install() {
        signal(SIGINT) { _ in Interrupts.flag = 1 }
    }

    /// Restores the default SIGINT behaviour (terminate).
    static func uninstall() { signal(SIGINT, SIG_DFL) }

    static var requested: Bool { flag != 0 }

    static func reset() { flag = 0 }
}
