/// How a critic's scores are laid out, and so which are positives (pairs
/// drawn from p(x, y)) and which are negatives (pairs from p(x) p(y)).
public enum PairSet: Sendable, Equatable {
    /// All K x K pairs: score i*K + j is f(x_i, y_j); the diagonal holds the
    /// positives, the K(K-1) off-diagonal entries the negatives (004 sec. 2.3).
    case all(Int)
    /// One negative per positive (002 sec. 3, after Belghazi et al. 2018):
    /// scores 0..<K are f(x_i, y_i), scores K..<2K are f(x_i, y_perm[i]),
    /// with `perm` free of fixed points.
    case shuffled([Int])

    /// The batch size K.
    public var batch: Int {
        switch self {
        case .all(let k): return k
        case .shuffled(let p): return p.count
        }
    }

    /// The number of scores.
    public var count: Int {
        switch self {
        case .all(let k): return k * k
        case .shuffled(let p): return 2 * p.count
        }
    }

    /// The number of negative scores M.
    public var negativeCount: Int {
        switch self {
        case .all(let k): return k * (k - 1)
        case .shuffled(let p): return p.count
        }
    }

    /// (x index, y index) of every score, in score order.
    public var indexPairs: [(Int, Int)] {
        switch self {
        case .all(let k):
            return (0..<(k * k)).map { ($0 / k, $0 % k) }
        case .shuffled(let p):
            return p.indices.map { ($0, $0) } + p.indices.map { ($0, p[$0]) }
        }
    }
}

/// Which negative pairs a bound is trained and evaluated on.
public enum NegativeSampling: String, Sendable, CaseIterable {
    /// All K(K-1) off-diagonal pairs (the default).
    case all
    /// One shuffled y per x (K negatives).
    case shuffled
}

/// A critic's scores in Double, with the layout that gives them meaning.
/// Bounds read positives and negatives through this type, so one
/// implementation serves both negative-sampling schemes.
public struct Scores: Sendable {
    public var values: [Double]
    public let pairs: PairSet
    /// Whether a bound's passes over these scores may use every core (the
    /// result is the same either way).
    public let parallelism: Parallelism

    public init(_ values: [Double], pairs: PairSet, parallelism: Parallelism = .allCores) {
        precondition(values.count == pairs.count, "expected \(pairs.count) scores, got \(values.count)")
        self.values = values
        self.pairs = pairs
        self.parallelism = parallelism
    }

    /// All-pairs scores from a K x K matrix S[i][j] = f(x_i, y_j).
    public init(matrix: Matrix<Double>, parallelism: Parallelism = .allCores) {
        precondition(matrix.rows == matrix.cols, "score matrix must be square")
        self.init(matrix.storage, pairs: .all(matrix.rows), parallelism: parallelism)
    }

    public var batch: Int { pairs.batch }
    public var isAllPairs: Bool { if case .all = pairs { return true } else { return false } }

    /// Indices of the positive scores, one per y index 0..<K.
    @inline(__always)
    public func positiveIndex(_ i: Int) -> Int {
        switch pairs {
        case .all(let k): return i * k + i
        case .shuffled: return i
        }
    }

    /// Calls `body(scoreIndex, yIndex)` for every negative score.
    @inline(__always)
    public func forEachNegative(_ body: (Int, Int) -> Void) {
        switch pairs {
        case .all(let k):
            for i in 0..<k { for j in 0..<k where i != j { body(i * k + j, j) } }
        case .shuffled(let p):
            for i in p.indices { body(p.count + i, p[i]) }
        }
    }

    /// out[n] = f(values[n], j) for every negative score n (with y index
    /// j); other entries of `out` are left as they are. Large batches run
    /// in fixed chunks of rows on all cores, so `f` must not write shared state.
    public func mapNegatives(into out: UnsafeMutablePointer<Double>, _ f: (Double, Int) -> Double) {
        let o = SharedPointer(out)
        values.withUnsafeBufferPointer { vb in
            let v = vb.baseAddress!
            switch pairs {
            case .all(let k):
                parallelism.forEachChunk(k, chunk: Swift.max(1, Scores.parallelChunk / k)) { rows in
                    for i in rows {
                        for j in 0..<k where i != j { o.base[i * k + j] = f(v[i * k + j], j) }
                    }
                }
            case .shuffled(let p):
                let first = p.count
                parallelism.forEachChunk(p.count, chunk: Scores.parallelChunk) { range in
                    for i in range { o.base[first + i] = f(v[first + i], p[i]) }
                }
            }
        }
    }

    /// Scores per parallel chunk of a bound's elementwise pass: enough to
    /// outweigh a hand-over between cores (~1 us) with a transcendental
    /// call per score, so batches of up to 32 stay on one core.
    static let parallelChunk = 1024

    /// The mean of the positive scores.
    public var positiveMean: Double {
        var s = 0.0
        for i in 0..<batch { s += values[positiveIndex(i)] }
        return s / Double(batch)
    }

    /// log-mean-exp of the negative scores after subtracting `shift[y]`.
    public func negativeLogMeanExp(shift: [Double]? = nil) -> Double {
        var m = -Double.infinity
        forEachNegative { n, j in m = Swift.max(m, values[n] - (shift?[j] ?? 0)) }
        if !m.isFinite { return m }
        // The exponentials in parallel, their sum in score order.
        var terms = [Double](repeating: 0, count: values.count)
        terms.withUnsafeMutableBufferPointer { t in
            mapNegatives(into: t.baseAddress!) { v, j in LogDomain.exp(v - (shift?[j] ?? 0) - m) }
        }
        var s = 0.0
        forEachNegative { n, _ in s += terms[n] }
        return m + LogDomain.log(s) - LogDomain.log(Double(pairs.negativeCount))
    }

    /// The K x K matrix view (all-pairs layout only).
    public var matrix: Matrix<Double> {
        guard case .all(let k) = pairs else { preconditionFailure("scores are not all-pairs") }
        return Matrix(rows: k, cols: k, storage: values)
    }
}
