/// Summary of repeated estimates of one known quantity: what 004 Figures 3
/// and 4 plot (bias, variance, mean squared error), with the standard error
/// that tells whether a difference is real.
///
/// The decomposition is exact on the sample: with the population variance
/// v_pop = (n - 1)/n * variance, mse = bias^2 + v_pop.
public struct EstimateSummary: Sendable, Equatable {
    /// The number of estimates n.
    public var count: Int
    /// The truth the estimates aim at.
    public var truth: Double
    /// The sample mean.
    public var mean: Double
    /// The unbiased sample variance (divides by n - 1).
    public var variance: Double
    /// The smallest and largest single estimate.
    public var minimum: Double
    public var maximum: Double
    /// mean_b (estimate_b - truth)^2.
    public var mse: Double
    /// The standard error of `mse` as a mean of n squared errors.
    public var mseStandardError: Double

    /// Summarises `values` against `truth`. Sums run in the order given, so
    /// the same values give the same bits.
    public init(_ values: [Double], truth: Double) {
        precondition(!values.isEmpty, "nothing to summarise")
        let n = Double(values.count)
        count = values.count
        self.truth = truth
        var sum = 0.0, lo = Double.infinity, hi = -Double.infinity
        for v in values {
            sum += v
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        mean = sum / n
        minimum = lo
        maximum = hi
        var ss = 0.0, se = 0.0
        for v in values {
            ss += (v - mean) * (v - mean)
            se += (v - truth) * (v - truth)
        }
        variance = values.count > 1 ? ss / (n - 1) : 0
        mse = se / n
        var sse = 0.0
        for v in values {
            let e = (v - truth) * (v - truth) - mse
            sse += e * e
        }
        mseStandardError = values.count > 1 ? (sse / (n - 1) / n).squareRoot() : 0
    }

    /// mean - truth.
    public var bias: Double { mean - truth }
    /// The standard deviation of one estimate.
    public var standardDeviation: Double { variance.squareRoot() }
    /// The standard error of the mean: sqrt(variance / n).
    public var standardError: Double { (variance / Double(count)).squareRoot() }
}
