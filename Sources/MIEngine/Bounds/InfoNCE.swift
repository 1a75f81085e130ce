/// I_NCE (004 eq. 10; van den Oord et al. 2018):
///   log K + mean_i [S_ii - logsumexp_j S_ij],
/// each row normalised over the K candidate y's for x_i. Never above log K.
///
/// With `normalise: .columns` each y_i is instead scored against all x_j,
/// which is 004 eq. 12 when the scores are log p(y|x) (structured InfoNCE):
/// a per-y constant c(y) in the critic then cancels.
public struct InfoNCE: Bound {
    public enum Normalisation: Sendable { case rows, columns }
    public let normalise: Normalisation
    public let label: String

    public init(normalise: Normalisation = .rows, name: String = "nce") {
        self.normalise = normalise
        self.label = name
    }

    public var name: String { label }
    public var needsAllPairs: Bool { true }
    public func ceiling(batch: Int) -> Double? { LogDomain.log(Double(batch)) }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        guard case .all(let k) = s.pairs else { preconditionFailure("\(name) needs all-pairs scores") }
        var d = [Double](repeating: 0, count: s.values.count)
        var terms = [Double](repeating: 0, count: k)
        let inv = 1 / Double(k)
        // Lines are independent: fixed chunks of them on all cores, each
        // writing its own lines of d; the terms are summed in line order.
        d.withUnsafeMutableBufferPointer { db in
            terms.withUnsafeMutableBufferPointer { tb in
                let dp = SharedPointer(db.baseAddress!), tp = SharedPointer(tb.baseAddress!)
                s.parallelism.forEachChunk(k, chunk: Swift.max(1, Scores.parallelChunk / k)) { lines in
                    var line = [Double](repeating: 0, count: k)
                    for a in lines {
                        // Line a: row a (x_a against every y) or column a (y_a against every x).
                        for b in 0..<k { line[b] = s.values[index(a, b, k)] }
                        let lse = LogDomain.logSumExp(line)
                        tp.base[a] = line[a] - lse
                        for b in 0..<k { dp.base[index(a, b, k)] = -LogDomain.exp(line[b] - lse) * inv }
                        dp.base[index(a, a, k)] += inv
                    }
                }
            }
        }
        var total = 0.0
        for a in 0..<k { total += terms[a] }
        let value = LogDomain.log(Double(k)) + total * inv
        return BoundResult(estimate: value, objective: value, dScores: d, dLogBaseline: nil)
    }

    @inline(__always)
    private func index(_ line: Int, _ b: Int, _ k: Int) -> Int {
        normalise == .rows ? line * k + b : b * k + line
    }
}

/// The leave-one-out upper bound (004 eq. 13), from log p(y|x) scores:
///   mean_i [S_ii - log(1/(K-1) sum_{j != i} e^{S_ji})].
/// It differs from structured InfoNCE only in leaving p(y_i|x_i) out of the
/// denominator; a per-y constant in the scores cancels, so the log ratio
/// works as well as log p(y|x).
public struct LeaveOneOutUpperBound: Bound {
    public init() {}
    public var name: String { "loo_upper" }
    public var needsAllPairs: Bool { true }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        guard case .all(let k) = s.pairs else { preconditionFailure("loo_upper needs all-pairs scores") }
        var d = [Double](repeating: 0, count: s.values.count)
        var total = 0.0
        let inv = 1 / Double(k)
        let logKm1 = LogDomain.log(Double(k - 1))
        var others = [Double]()
        others.reserveCapacity(k - 1)
        for i in 0..<k {
            others.removeAll(keepingCapacity: true)
            for j in 0..<k where j != i { others.append(s.values[j * k + i]) }
            let lse = LogDomain.logSumExp(others)
            total += s.values[i * k + i] - (lse - logKm1)
            d[i * k + i] += inv
            for j in 0..<k where j != i { d[j * k + i] = -LogDomain.exp(s.values[j * k + i] - lse) * inv }
        }
        let value = total * inv
        return BoundResult(estimate: value, objective: value, dScores: d, dLogBaseline: nil)
    }
}
