/// Smoothers for noisy training curves.
public enum Smoothing {
    /// Exponential moving average with span s (weight 2 / (s + 1) on the
    /// newest value), bias-corrected at the start like pandas'
    /// `ewm(span=s, adjust=True)`, which 004 Figure 2 used (span 200).
    public static func exponential(_ xs: [Double], span: Double) -> [Double] {
        precondition(span >= 1, "the span must be at least 1")
        let alpha = 2 / (span + 1)
        var numerator = 0.0, denominator = 0.0
        return xs.map { x in
            numerator = (1 - alpha) * numerator + x
            denominator = (1 - alpha) * denominator + 1
            return numerator / denominator
        }
    }

    /// Per-epoch means of consecutive blocks of `epochLength` steps (a
    /// trailing partial block is dropped).
    public static func epochMeans(_ xs: [Double], epochLength: Int) -> [Double] {
        precondition(epochLength > 0, "the epoch length must be positive")
        return stride(from: 0, to: xs.count - epochLength + 1, by: epochLength).map {
            Statistics.mean(xs[$0..<($0 + epochLength)])
        }
    }

    /// The triangular window of 002 Appendix C.1: each point becomes the
    /// average of its neighbours within `radius` (10 epochs there), weighted
    /// (radius + 1 - d) / (radius + 1) by distance d, over the neighbours
    /// that exist.
    public static func triangular(_ xs: [Double], radius: Int = 10) -> [Double] {
        precondition(radius >= 0, "the radius must be non-negative")
        let r = Double(radius + 1)
        return xs.indices.map { i in
            var num = 0.0, den = 0.0
            for j in max(0, i - radius)...min(xs.count - 1, i + radius) {
                let w = (r - Double(abs(i - j))) / r
                num += w * xs[j]
                den += w
            }
            return num / den
        }
    }
}
