/// The Jensen-Shannon (f-GAN) objective of 002 eq. 7:
///   mean_P(-softplus(-f)) - mean_N softplus(f),
/// maximised at f = log p(y|x)/p(y) (002 Appendix B.1). The JS family below
/// trains the critic with it and reports something else.
func jensenShannonObjective(_ s: Scores) -> (value: Double, gradient: [Double]) {
    var pos = 0.0
    var d = [Double](repeating: 0, count: s.values.count)
    let k = Double(s.batch)
    for i in 0..<s.batch {
        let n = s.positiveIndex(i)
        pos -= LogDomain.softplus(-s.values[n])
        d[n] = LogDomain.sigmoid(-s.values[n]) / k
    }
    let m = Double(s.pairs.negativeCount)
    var softplus = [Double](repeating: 0, count: s.values.count)
    softplus.withUnsafeMutableBufferPointer { t in
        s.mapNegatives(into: t.baseAddress!) { v, _ in LogDomain.softplus(v) }
    }
    d.withUnsafeMutableBufferPointer { d in
        s.mapNegatives(into: d.baseAddress!) { v, _ in -LogDomain.sigmoid(v) / m }
    }
    var neg = 0.0
    s.forEachNegative { n, _ in neg += softplus[n] }
    return (pos / k - neg / m, d)
}

/// I_JS (004 sec. 2.6): the critic is trained on the JS objective, and the
/// estimate is I_NWJ at f + 1. JS's optimum is log r while NWJ's is 1 + log r,
/// so the shift is what makes the estimate a valid, tight bound.
public struct JSBound: Bound {
    public init() {}
    public var name: String { "js" }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        let (objective, d) = jensenShannonObjective(s)
        // NWJ(f + 1) = mean_P f + 1 - exp(LME_N f).
        let value = 1 + s.positiveMean - LogDomain.exp(s.negativeLogMeanExp())
        return BoundResult(estimate: value, objective: objective, dScores: d, dLogBaseline: nil)
    }
}

/// The JS-trained critic used as a direct plug-in: mean_P f, the average log
/// density ratio on positive pairs (002 sec. 2.3). Not a bound.
public struct JSPlugin: Bound {
    public init() {}
    public var name: String { "js_plugin" }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        let (objective, d) = jensenShannonObjective(s)
        return BoundResult(estimate: s.positiveMean, objective: objective, dScores: d, dLogBaseline: nil)
    }
}

/// SMILE (Song & Ermon 2020): the JS-trained critic evaluated in I_DV with the
/// negative scores clipped to [-tau, tau], trading bias for variance.
public struct SMILE: Bound {
    public let tau: Double

    public init(tau: Double = 5) {
        precondition(tau > 0, "smile's clip tau must be positive")
        self.tau = tau
    }

    public var name: String { "smile(\(formatShort(tau)))" }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        let (objective, d) = jensenShannonObjective(s)
        var clipped = s
        s.forEachNegative { n, _ in clipped.values[n] = Swift.min(Swift.max(s.values[n], -tau), tau) }
        let value = s.positiveMean - clipped.negativeLogMeanExp()
        return BoundResult(estimate: value, objective: objective, dScores: d, dLogBaseline: nil)
    }
}
