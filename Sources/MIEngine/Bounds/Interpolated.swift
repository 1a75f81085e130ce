/// The interpolated bound I_alpha (004 eq. 11): the NWJ critic
/// 1 + log e^f / (alpha m(y) + (1 - alpha) q(y)), where m(y) is the batch
/// mean of e^{f(x_k, y)} and q(y) a learned baseline. alpha = 0 gives NWJ
/// with a baseline, alpha = 1 InfoNCE-like behaviour; the value never
/// exceeds 1 + log(K / alpha).
///
/// As in the paper's experiments, m is a leave-one-out mean so that each
/// term's y is independent of the samples in its denominator. With scores
/// S[i][j] = f(x_i, y_j) and b_j = log q(y_j), for column j and held-out k:
///   U_jk = alpha/(K-1) sum_{i != k} e^{S_ij} + (1 - alpha) e^{b_j}
///   I = 1 + c sum_j sum_{k != j} (S_jj - log U_jk) - c sum_j sum_{i != j} e^{S_ij} / U_jj
/// with c = 1 / (K (K - 1)). Everything below is that formula and its exact
/// gradient, computed with log-domain sums.
public struct Interpolated: Bound {
    public let alpha: Double

    public init(alpha: Double) {
        precondition(alpha >= 0 && alpha <= 1, "alpha must lie in [0, 1]")
        self.alpha = alpha
    }

    public var name: String { "alpha(\(formatShort(alpha)))" }
    public var baseline: BaselineUse { alpha < 1 ? .learned : .none }
    public var needsAllPairs: Bool { true }
    public func ceiling(batch: Int) -> Double? {
        alpha > 0 ? 1 + LogDomain.log(Double(batch) / alpha) : nil
    }
    /// The leave-one-out mean of column j without x_k needs a third sample.
    public var minimumBatch: Int { 3 }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        guard case .all(let k) = s.pairs else { preconditionFailure("\(name) needs all-pairs scores") }
        precondition(k >= 3, "\(name) needs a batch of at least 3")
        let b = logBaseline ?? [Double](repeating: 0, count: k)
        precondition(b.count == k, "\(name) needs one log-baseline per y")
        // The scaled linear-domain kernel (InterpolatedKernel.swift) computes
        // the same formula with ~2 transcendental calls per score instead of
        // ~15; it declines only when a column's scores span more than ~320 nats.
        return scaledEvaluate(s.values, k: k, logBaseline: b) ?? referenceEvaluate(s.values, k: k, logBaseline: b)
    }

    /// The formula above term by term in the log domain: the reference the
    /// fast kernel is tested against, and its fallback for extreme scores.
    func referenceEvaluate(_ v: [Double], k: Int, logBaseline b: [Double]) -> BoundResult {
        let logAlpha = alpha > 0 ? LogDomain.log(alpha) : -Double.infinity
        let log1mAlpha = alpha < 1 ? LogDomain.log(1 - alpha) : -Double.infinity
        let logKm1 = LogDomain.log(Double(k - 1))
        let c = 1 / (Double(k) * Double(k - 1))

        var d = [Double](repeating: 0, count: v.count)
        var db = [Double](repeating: 0, count: k)
        var joint = 0.0, marginal = 0.0
        var column = [Double](repeating: 0, count: k)
        var negLogU = [Double](repeating: 0, count: k)

        for j in 0..<k {
            for i in 0..<k { column[i] = v[i * k + j] }
            // looLSE[m] = log sum_{i != m} e^{S_ij}.
            let looLSE = LogDomain.leaveOneOutLogSumExp(column)
            var logU = [Double](repeating: 0, count: k)
            for m in 0..<k {
                logU[m] = LogDomain.logAddExp(logAlpha + looLSE[m] - logKm1, log1mAlpha + b[j])
            }
            let sjj = column[j]
            for m in 0..<k where m != j { joint += sjj - logU[m] }

            // Marginal term: negatives of column j over the denominator without x_j.
            var negSum = 0.0
            for i in 0..<k where i != j { negSum += LogDomain.exp(column[i] - logU[j]) }
            marginal += negSum

            // Joint gradient through the denominators: for each i,
            // -c alpha/(K-1) e^{S_ij} sum_{m not in {i, j}} 1/U_jm.
            for m in 0..<k { negLogU[m] = m == j ? -.infinity : -logU[m] }
            let looInv = LogDomain.leaveOneOutLogSumExp(negLogU)   // excludes i (and j by -inf)
            for i in 0..<k {
                d[i * k + j] -= c * LogDomain.exp(column[i] + logAlpha - logKm1 + looInv[i])
            }
            d[j * k + j] += 1 / Double(k)

            // Marginal gradient: direct term and through U_jj (which excludes x_j).
            let mixTerm = looLSE[j] + logAlpha - logKm1 - 2 * logU[j]
            for i in 0..<k where i != j {
                d[i * k + j] += -c * LogDomain.exp(column[i] - logU[j]) + c * LogDomain.exp(column[i] + mixTerm)
            }

            // Baseline gradient.
            if alpha < 1 {
                var g = 0.0
                for m in 0..<k where m != j { g -= LogDomain.exp(log1mAlpha + b[j] - logU[m]) }
                g += LogDomain.exp(looLSE[j] + log1mAlpha + b[j] - 2 * logU[j])
                db[j] = c * g
            }
        }
        let value = 1 + c * joint - c * marginal
        return BoundResult(estimate: value, objective: value, dScores: d,
                           dLogBaseline: alpha < 1 ? db : nil)
    }
}
