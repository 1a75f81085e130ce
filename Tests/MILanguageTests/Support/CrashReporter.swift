#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names the fuzz input that crashed the process. A crash (a Swift trap,
/// or a stack overflow, handled on an alternate stack) cannot be caught,
/// so a signal handler writes the input's index and seed to standard error
/// with async-signal-safe calls only, then hands the signal to the handler
/// that was there before (Swift's backtracer, which prints the reason and
/// the stack), or to the default action.
///
/// Each fuzz test names itself (`environmentPrefix`, `testName`) so the
/// report says how to print the input. A crash on a thread that is no
/// registered worker (one of the engine's) names every input in progress.
enum CrashReporter {
    nonisolated(unsafe) static var seed: UInt64 = 0
    /// `MI_FUZZ` for `MI_FUZZ_SEED=... MI_FUZZ_INDEX=...`.
    nonisolated(unsafe) static var environmentPrefix: StaticString = "MI_FUZZ"
    /// More settings the input needs to be rebuilt (" MI_SFUZZ_HEAVY=1"), or "".
    nonisolated(unsafe) static var extraEnvironment: StaticString = ""
    /// The test class, for `swift test --filter`.
    nonisolated(unsafe) static var testName: StaticString = "FuzzTests"
    /// Each worker thread's id and the input it is checking.
    nonisolated(unsafe) private static var threads = [pthread_t](repeating: pthread_t(), count: 8)
    nonisolated(unsafe) private static var indices = [Int](repeating: -1, count: 8)
    nonisolated(unsafe) private static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 512)
    /// The actions `install` replaced, indexed by signal number (read in the handler: no dictionary).
    nonisolated(unsafe) private static var saved = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    nonisolated(unsafe) private static var installed = false
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE]

    /// Installs the handler for the whole process (call `useAlternateStack`
    /// on the thread that runs the inputs).
    static func install() {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = crashHandler
        #else
        action.__sigaction_u.__sa_handler = crashHandler
        #endif
        action.sa_flags = Int32(SA_ONSTACK) | Int32(bitPattern: UInt32(SA_RESETHAND))
        for s in signals { sigaction(s, &action, saved + Int(s)) }
        installed = true
    }

    /// Restores the handlers that were there before `install`.
    static func uninstall() {
        guard installed else { return }
        for s in signals { sigaction(s, saved + Int(s), nil) }
        installed = false
        for w in 0..<indices.count { indices[w] = -1 }
    }

    /// Puts back the action `install` replaced for `signal` (in the handler).
    fileprivate static func restore(_ signal: Int32) {
        if signal > 0 && signal < 65 { sigaction(signal, saved + Int(signal), nil) }
    }

    /// Records that the calling thread is worker `worker` (0..<8).
    static func register(worker: Int) { threads[worker] = pthread_self() }

    /// Records the input worker `worker` is about to check.
    static func begin(_ index: Int, worker: Int) { indices[worker] = index }

    /// Records that worker `worker` checks nothing now.
    static func end(worker: Int) { indices[worker] = -1 }

    /// Gives the calling thread a signal stack, so a stack overflow can still be reported.
    static func useAlternateStack() {
        let size = 1 << 16
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
    }

    fileprivate static func report(_ signal: Int32) {
        var index = -1
        let me = pthread_self()
        for w in 0..<threads.count where pthread_equal(threads[w], me) != 0 { index = indices[w] }
        if index >= 0 {
            reportInput(index)
            return
        }
        // Another thread (a worker of the engine's pool) crashed: any input in progress may be the cause.
        for w in 0..<indices.count where indices[w] >= 0 { reportInput(indices[w]) }
    }

    private static func reportInput(_ index: Int) {
        var n = 0
        append("\nfuzz: the process crashed on input #", &n)
        append(UInt64(index), &n)
        append("; print it with ", &n)
        append(environmentPrefix, &n)
        append("_SEED=", &n)
        append(seed, &n)
        append(" ", &n)
        append(environmentPrefix, &n)
        append("_INDEX=", &n)
        append(UInt64(index), &n)
        append(extraEnvironment, &n)
        append(" swift test --filter ", &n)
        append(testName, &n)
        append("\n", &n)
        _ = write(2, buffer, n)
    }

    // No allocation below: these run inside a signal handler.
    private static func append(_ s: StaticString, _ n: inout Int) {
        let p = s.utf8Start
        for i in 0..<s.utf8CodeUnitCount where n < 500 {
            buffer[n] = p[i]
            n += 1
        }
    }

    private static func append(_ v: UInt64, _ n: inout Int) {
        var divisor: UInt64 = 1
        while v / divisor >= 10 { divisor *= 10 }
        while divisor > 0 && n < 500 {
            buffer[n] = UInt8(48 + (v / divisor) % 10)
            n += 1
            divisor /= 10
        }
    }
}

private func crashHandler(_ signal: Int32) {
    CrashReporter.report(signal)
    // The earlier handler (or the default action) takes the signal next: a
    // trap or a fault happens again when its instruction reruns after this
    // handler returns (so a backtracer sees where and why); abort's is raised.
    CrashReporter.restore(signal)
    if signal == SIGABRT { raise(signal) }
}
