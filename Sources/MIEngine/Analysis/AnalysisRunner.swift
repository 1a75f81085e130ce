/// How an analysis sweep runs: on all cores or one, with an optional
/// progress callback and a cancellation check (a full 004 Figure 3 sweep
/// takes minutes).
///
/// Both closures are called on the thread that started the sweep, between
/// chunks of batches, never from a worker.
public struct AnalysisControl {
    /// Spread the batches of each cell over the cores (`.allCores`) or run
    /// them, and everything inside them, in order on the calling thread
    /// (`.serial`). Results are identical either way.
    public var parallelism: Parallelism
    /// Batches run between two progress reports and cancellation checks.
    public var chunk: Int
    /// Called after each chunk.
    public var progress: ((AnalysisProgress) -> Void)?
    /// Polled before each chunk; returning true stops the sweep, which then
    /// returns the cells it finished and says it was interrupted.
    public var shouldStop: (() -> Bool)?

    public init(parallelism: Parallelism = .allCores, chunk: Int = 32,
                progress: ((AnalysisProgress) -> Void)? = nil, shouldStop: (() -> Bool)? = nil) {
        precondition(chunk > 0, "chunk must be positive")
        self.parallelism = parallelism
        self.chunk = chunk
        self.progress = progress
        self.shouldStop = shouldStop
    }
}

/// Where a sweep has got to.
public struct AnalysisProgress: Sendable, Equatable {
    /// Batches evaluated so far, over all cells.
    public var completed: Int
    /// Batches in the whole sweep.
    public var total: Int
    /// The cell being worked on, e.g. `mi=6 batch=128`.
    public var cell: String

    public var fraction: Double { total == 0 ? 1 : Double(completed) / Double(total) }
}

/// Seeds of the per-batch random streams.
///
/// Batch b of the cell (mi, K) draws from its own generator, a function of
/// the sweep's seed, the cell and b only. So the numbers do not depend on
/// the core count or on the order batches run in, and adding an MI or a
/// batch size to a sweep leaves the other cells' batches unchanged.
enum AnalysisStreams {
    static func rng(seed: UInt64, mi: Double, batch: Int, index: Int) -> RNG {
        var mix = SplitMix64(state: seed)
        var s = mix.next() ^ mi.bitPattern
        mix = SplitMix64(state: s)
        s = mix.next() ^ UInt64(truncatingIfNeeded: batch)
        mix = SplitMix64(state: s)
        return RNG(seed: mix.next(), stream: UInt64(index))
    }
}

/// Runs the batches of a sweep's cells in chunks, tracking progress and
/// cancellation. One per sweep run.
struct AnalysisRunner {
    let control: AnalysisControl
    let total: Int
    private(set) var completed = 0
    private(set) var interrupted = false

    init(control: AnalysisControl, total: Int) {
        self.control = control
        self.total = total
    }

    /// `body(b)` for b in 0..<count, results in index order; nil when the
    /// sweep was cancelled before the cell finished. `body` runs
    /// concurrently on distinct b and must not share mutable state.
    mutating func run<R>(_ count: Int, cell: String, _ body: (Int) -> R) -> [R]? {
        if interrupted { return nil }
        let slots = UnsafeMutableBufferPointer<R?>.allocate(capacity: Swift.max(count, 1))
        slots.initialize(repeating: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        let shared = SharedPointer(slots.baseAddress!)
        var start = 0
        while start < count {
            if let stop = control.shouldStop, stop() {
                interrupted = true
                return nil
            }
            let end = Swift.min(start + control.chunk, count)
            let first = start
            control.parallelism.forEach(end - first) { shared.base[first + $0] = body(first + $0) }
            completed += end - first
            control.progress?(AnalysisProgress(completed: completed, total: total, cell: cell))
            start = end
        }
        return slots.map { $0! }
    }
}
