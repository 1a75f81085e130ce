import Foundation

/// The machine's cores, as the engine's parallel regions see them.
public enum Parallel {
    /// Cores available to this process.
    public static let cores = ProcessInfo.processInfo.activeProcessorCount
}

/// Whether a piece of work may spread over the cores: a value carried by
/// the objects that do work (networks, critics, estimators, optimisers,
/// training and analysis options) down to every parallel region, never a
/// global switch.
///
/// Work is always cut into pieces by size alone, never by the number of
/// cores; cores only decide how many pieces run at once. Each piece's
/// result is therefore the same on any machine, and so is the whole
/// result: `.serial` and `.allCores` give the same bits (tests compare them).
public enum Parallelism: String, Sendable, Equatable, CaseIterable {
    /// Every region runs on the calling thread.
    case serial
    /// Regions run on the calling thread and the persistent workers
    /// (`WorkerPool`), one per other core.
    case allCores

    /// Runs `body(0..<count)`, spread over the cores when allowed.
    /// Iterations must write disjoint memory.
    public func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 || self == .serial || Parallel.cores == 1 {
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
    public func forEachChunk(_ count: Int, chunk: Int, _ body: (Range<Int>) -> Void) {
        precondition(chunk > 0, "chunks must hold at least one index")
        let chunks = (count + chunk - 1) / chunk
        forEach(chunks) { c in body((c * chunk)..<Swift.min((c + 1) * chunk, count)) }
    }

    /// Runs two independent pieces of work, at once when allowed.
    public func both(_ a: () -> Void, _ b: () -> Void) {
        if self == .serial {
            a()
            b()
            return
        }
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
