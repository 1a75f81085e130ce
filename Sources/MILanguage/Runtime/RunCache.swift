import Foundation

/// What identifies a run: one expensive, deterministic computation (one
/// training run of `estimate`, one `analyze` study). `text` spells out every
/// input its numbers depend on: the command, every option's effective value
/// written exactly (defaults included), the seed, and the data with the
/// content of every file it read. Two runs with the same text give the same
/// numbers, bit for bit, on the same build of `mi`; the build is the cache's
/// business (`RunCache` implementations mix it into their keys).
public struct RunKey: Sendable, Hashable {
    /// The verb that computes it: `estimate` or `analyze`.
    public let verb: String
    /// Every input, one `name=value` line each, values exact (`Value.keyText`).
    public let text: String
    /// A short label for listings and progress (`nce separable K=64`).
    public let summary: String

    public init(verb: String, parts: [(String, String)], summary: String) {
        self.verb = verb
        self.text = ([verb] + parts.map { "\($0.0)=\($0.1)" }).joined(separator: "\n")
        self.summary = summary
    }
}

/// A run's value as the cache keeps it, with the seconds it took when it ran.
public struct CachedRun: Sendable {
    public var value: Value
    public var seconds: Double

    public init(value: Value, seconds: Double) {
        self.value = value
        self.seconds = seconds
    }
}

/// Where a session looks up runs before computing them, and keeps them
/// after. Everything around a run (printing, tables, plots, `expect`) is
/// evaluated again on every execution: only the runs are replayed, so a
/// claim is always checked against the numbers, never replayed as "ok".
public protocol RunCache: AnyObject {
    /// The stored run for `key`, or nil (absent, unreadable, from another
    /// build, or failing its checksum: all the same, a miss).
    func load(_ key: RunKey) -> CachedRun?
    /// Keeps a finished run. Failures to write are the cache's to absorb:
    /// a run that cannot be stored is computed again next time.
    func store(_ run: CachedRun, for key: RunKey)
}

/// What a session's runs did since it was last asked (the notebook runner
/// reads it per cell).
public struct RunTally: Sendable, Equatable {
    /// Runs computed now, and the seconds they took.
    public var computed = 0
    public var computeSeconds = 0.0
    /// Runs replayed from the cache, and the seconds they took when computed.
    public var replayed = 0
    public var replayedSeconds = 0.0

    public init() {}
}

extension Interpreter {
    /// The run's value: from the cache when it holds `key`, else computed
    /// now and stored. A run stopped by the user is never stored, nor is a
    /// value the cache cannot hold.
    func memoised(_ key: RunKey, compute: () throws -> Value) throws -> Value {
        if let cache = runCache, let hit = cache.load(key) {
            tally.replayed += 1
            tally.replayedSeconds += hit.seconds
            return hit.value
        }
        let started = Date()
        let value = try compute()
        let seconds = Date().timeIntervalSince(started)
        tally.computed += 1
        tally.computeSeconds += seconds
        if let cache = runCache, value.isStorable, !value.isInterrupted {
            cache.store(CachedRun(value: value, seconds: seconds), for: key)
        }
        return value
    }
}

extension Value {
    /// Whether a stop by the user cut this value short.
    var isInterrupted: Bool {
        switch self {
        case .result(let r): return r.trace.interrupted
        case .table(let t): return t.interrupted || t.results.contains { $0.trace.interrupted }
        default: return false
        }
    }
}
