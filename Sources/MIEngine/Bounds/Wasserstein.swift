/// The dual Wasserstein dependency measure (000 eq. 2): mean_P f - mean_N f
/// over a 1-Lipschitz critic. The Lipschitz constraint lives in the critic
/// (gradient penalty or spectral normalisation, attached by
/// `CriticEstimator.wdm`); the bound only differences the scores. It
/// measures dependency in the metric of the input space, not in nats.
public struct WassersteinDependency: Bound {
    public init() {}
    public var name: String { "wdm" }

    public mutating func evaluate(_ s: Scores, logBaseline: [Double]?) -> BoundResult {
        var d = positiveMeanGradient(s)
        var neg = 0.0
        let m = Double(s.pairs.negativeCount)
        s.forEachNegative { n, _ in
            neg += s.values[n]
            d[n] = -1 / m
        }
        let value = s.positiveMean - neg / m
        return BoundResult(estimate: value, objective: value, dScores: d, dLogBaseline: nil)
    }
}

/// Wasserstein predictive coding (000 eq. 4): InfoNCE's form over a
/// Lipschitz critic (`CriticEstimator.wpc`). The value is still an InfoNCE
/// bound, never above log K.
public func wassersteinPredictiveCoding() -> InfoNCE { InfoNCE(name: "wpc") }
