import Foundation

/// Task parallelism over the machine's cores.
///
/// Work is always cut into pieces by size alone, never by the number of
/// cores; cores only decide how many pieces run at once. Each piece's result
/// is therefore the same on any machine, and so is the whole result.
public enum Parallel {
    /// Cores available to this process.
    public static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// When false, all work runs on the calling thread. Results are the same
    /// either way (tests compare the two); set it before work starts.
    nonisolated(unsafe) public static var enabled = true

    /// Runs `body(0..<count)` with the iterations spread over the cores.
    /// Iterations must write disjoint memory.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 || cores == 1 || !enabled {
            for i in 0..<count { body(i) }
            return
        }
        if !WorkerPool.shared.run(count, body) {
            // Another region is running (this one is nested in it, or
            // started by a second thread): its workers are taken.
            for i in 0..<count { body(i) }
        }
    }

    /// Runs `body` over consecutive ranges of 0..<count, `chunk` indices
    /// each (the last may be shorter), in parallel when there are several.
    /// The ranges depend only on `count` and `chunk`.
    public static func forEachChunk(_ count: Int, chunk: Int, _ body: (Range<Int>) -> Void) {
        precondition(chunk > 0, "chunks must hold at least one index")
        let chunks = (count + chunk - 1) / chunk
        forEach(chunks) { c in body((c * chunk)..<Swift.min((c + 1) * chunk, count)) }
    }

    /// Runs two independent pieces of work at once.
    public static func both(_ a: () -> Void, _ b: () -> Void) {
        withoutActuallyEscaping(a) { a in
            withoutActuallyEscaping(b) { b in
                let box = UncheckedBox((a, b))
                forEach(2) { $0 == 0 ? box.value.0() : box.value.1() }
            }
        }
    }
}

/// Carries a non-Sendable value (a closure, a pointer) into concurrent
/// workers; the code that uses it guarantees each worker touches disjoint memory.
struct UncheckedBox<V>: @unchecked Sendable {
    let value: V
    init(_ v: V) { value = v }
}

/// A pointer shared by concurrent workers that touch disjoint ranges.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { base = p }
}
