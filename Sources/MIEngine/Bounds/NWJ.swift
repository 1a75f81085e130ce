/// I_NWJ (004 eq. 7; Nguyen, Wainwright & Jordan 2010): TUBA with a(y) = e,
///   E_p[f] - e^{-1} E_{p(x)p(y)}[e^f]  =  mean_P f - exp(LME_N f - 1).
/// Unbiased with optimal critic f* = 1 + log p(y|x)/p(y), but its variance
/// grows like e^MI / K.
public struct NWJ: Bound {
    public init() {}
    public var name: String { "nwj" }
    public var optimalShift: Double { 1 }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        let lme = s.negativeLogMeanExp()
        let value = s.positiveMean - LogDomain.exp(lme - 1)
        var d = positiveMeanGradient(s)
        // d/dS_n exp(LME_N - 1) = exp(S_n - 1 - log M).
        let logM = LogDomain.log(Double(s.pairs.negativeCount))
        d.withUnsafeMutableBufferPointer { d in
            s.mapNegatives(into: d.baseAddress!) { v, _ in -LogDomain.exp(v - 1 - logM) }
        }
        return BoundResult(estimate: value, objective: value, dScores: d, dLogBaseline: nil)
    }
}

/// I_TUBA (004 eq. 6) with a learned log-baseline a(y) = log a(y):
///   1 + mean_P (f - a) - exp(LME_N (f - a)).
/// A valid lower bound for any baseline; tight when a(y) = log Z(y) with
/// Z(y) = E_p(x)[e^f] (at the optimum f - a = log r, so with a = 0 the
/// optimal critic is log r itself).
public struct TUBA: Bound {
    public init() {}
    public var name: String { "tuba" }
    public var baseline: BaselineUse { .learned }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        let a = logBaseline ?? [Double](repeating: 0, count: s.batch)
        precondition(a.count == s.batch, "tuba needs one log-baseline per y")
        var joint = 0.0
        for i in 0..<s.batch { joint += s.values[s.positiveIndex(i)] - a[i] }
        joint /= Double(s.batch)
        let lme = s.negativeLogMeanExp(shift: a)
        let value = 1 + joint - LogDomain.exp(lme)
        var d = positiveMeanGradient(s)
        var da = [Double](repeating: -1 / Double(s.batch), count: s.batch)
        let logM = LogDomain.log(Double(s.pairs.negativeCount))
        d.withUnsafeMutableBufferPointer { d in
            s.mapNegatives(into: d.baseAddress!) { v, j in -LogDomain.exp(v - a[j] - logM) }
        }
        s.forEachNegative { n, j in da[j] -= d[n] }
        return BoundResult(estimate: value, objective: value, dScores: d, dLogBaseline: da)
    }
}
