import RealModule

/// Numerically safe log-domain helpers, accumulating in Double. Bounds never
/// exponentiate a raw score: every exp is of a score minus a maximum or a
/// log-normaliser (DESIGN sec. 4).
public enum LogDomain {
    @inline(__always) public static func exp(_ x: Double) -> Double { Double.exp(x) }
    @inline(__always) public static func log(_ x: Double) -> Double { Double.log(x) }

    /// log(1 + e^x) without overflow.
    @inline(__always)
    public static func softplus(_ x: Double) -> Double {
        x > 0 ? x + Double.log(onePlus: Double.exp(-x)) : Double.log(onePlus: Double.exp(x))
    }

    /// 1 / (1 + e^-x) without overflow.
    @inline(__always)
    public static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + Double.exp(-x)) }
        let e = Double.exp(x)
        return e / (1 + e)
    }

    /// log(e^a + e^b).
    @inline(__always)
    public static func logAddExp(_ a: Double, _ b: Double) -> Double {
        let m = Swift.max(a, b)
        if m == -.infinity { return -.infinity }
        return m + Double.log(Double.exp(a - m) + Double.exp(b - m))
    }

    /// log sum_i e^{x_i}.
    public static func logSumExp<C: Collection>(_ xs: C) -> Double where C.Element == Double {
        guard let m = xs.max(), m.isFinite else { return xs.max() ?? -.infinity }
        var s = 0.0
        for x in xs { s += Double.exp(x - m) }
        return m + Double.log(s)
    }

    /// log mean_i e^{x_i}.
    public static func logMeanExp<C: Collection>(_ xs: C) -> Double where C.Element == Double {
        logSumExp(xs) - Double.log(Double(xs.count))
    }

    /// For each k, log sum_{i != k} e^{x_i}: prefix and suffix sums in the log
    /// domain, exact even when one term dominates (no e^a - e^b cancellation).
    public static func leaveOneOutLogSumExp(_ xs: [Double]) -> [Double] {
        let n = xs.count
        var prefix = [Double](repeating: -.infinity, count: n + 1)
        var suffix = [Double](repeating: -.infinity, count: n + 1)
        for i in 0..<n { prefix[i + 1] = logAddExp(prefix[i], xs[i]) }
        for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = logAddExp(suffix[i + 1], xs[i]) }
        return (0..<n).map { logAddExp(prefix[$0], suffix[$0 + 1]) }
    }
}
