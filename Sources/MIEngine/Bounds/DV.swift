/// I_DV (004 eq. 5; Donsker & Varadhan): mean_P f - LME_N f. On a batch this
/// is an estimate, neither an upper nor a lower bound (004 sec. 2.2), and
/// its gradient is biased.
public struct DV: Bound {
    public init() {}
    public var name: String { "dv" }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        let lme = s.negativeLogMeanExp()
        let value = s.positiveMean - lme
        var d = positiveMeanGradient(s)
        // d LME_N / dS_n = softmax over the negatives.
        let logM = LogDomain.log(Double(s.pairs.negativeCount))
        d.withUnsafeMutableBufferPointer { d in
            s.mapNegatives(into: d.baseAddress!) { v, _ in -LogDomain.exp(v - logM - lme) }
        }
        return BoundResult(estimate: value, objective: value, dScores: d, dLogBaseline: nil)
    }
}

/// MINE (Belghazi et al. 2018; 002 sec. 2.3): reports I_DV but replaces the
/// batch estimate of E[e^f] in the gradient's denominator by an exponential
/// moving average, which makes it the unbiased gradient of I_TUBA with
/// a(y) = EMA (004 sec. 2.2). The average is kept in the log domain.
public struct MINE: Bound {
    /// Weight of the newest batch in the moving average.
    public let rate: Double
    /// log of the moving average of mean_N e^f; nil before the first batch.
    public private(set) var logAverage: Double?

    public init(rate: Double = 0.01) {
        precondition(rate > 0 && rate <= 1, "the moving-average rate must lie in (0, 1]")
        self.rate = rate
    }

    public var name: String { "mine" }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        let lme = s.negativeLogMeanExp()
        let updated: Double
        if let old = logAverage {
            updated = LogDomain.logAddExp(LogDomain.log(1 - rate) + old, LogDomain.log(rate) + lme)
        } else {
            updated = lme
        }
        logAverage = updated
        let value = s.positiveMean - lme
        // Surrogate whose gradient MINE follows: mean_P f - mean_N e^f / EMA
        // with the EMA held constant.
        let surrogate = s.positiveMean - LogDomain.exp(lme - updated)
        var d = positiveMeanGradient(s)
        let logM = LogDomain.log(Double(s.pairs.negativeCount))
        d.withUnsafeMutableBufferPointer { d in
            s.mapNegatives(into: d.baseAddress!) { v, _ in -LogDomain.exp(v - logM - updated) }
        }
        return BoundResult(estimate: value, objective: surrogate, dScores: d, dLogBaseline: nil)
    }
}
