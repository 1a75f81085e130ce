@testable import MIEngine

/// Paired comparisons of two estimators evaluated on the same batches.
enum Paired {
    /// Mean and standard error of the per-batch differences a_b - b_b.
    static func difference(_ a: [Double], _ b: [Double]) -> (mean: Double, standardError: Double) {
        precondition(a.count == b.count && a.count > 1, "paired samples")
        let d = zip(a, b).map { $0 - $1 }
        let s = EstimateSummary(d, truth: 0)
        return (s.mean, s.standardError)
    }

    /// Mean and standard error of the per-batch differences of squared errors.
    static func squaredErrorDifference(_ a: [Double], _ b: [Double], truth: Double) -> (mean: Double, standardError: Double) {
        difference(a.map { ($0 - truth) * ($0 - truth) }, b.map { ($0 - truth) * ($0 - truth) })
    }
}

/// The standard error of a sample variance, sqrt((m4 - s^4) / n), from the
/// sample's own fourth central moment.
func varianceStandardError(_ xs: [Double]) -> Double {
    let s = EstimateSummary(xs, truth: 0)
    let n = Double(xs.count)
    let m4 = xs.reduce(0) { $0 + pow4($1 - s.mean) } / n
    return max(0, (m4 - s.variance * s.variance) / n).squareRoot()
}

private func pow4(_ x: Double) -> Double { x * x * x * x }

/// A distribution-free comparison of spread for heavy-tailed estimators,
/// whose fourth moments (and so the standard errors of their sample
/// variances) a few hundred batches cannot pin down.
///
/// Both samples are cut into `groups` consecutive groups; a win is a group
/// whose variance in `high` exceeds the same group's in `low`. If the two
/// spreads were equal, the wins would be Binomial(groups, 1/2);
/// `requiredWins` is the smallest count whose upper tail is below the
/// one-sided 3-sigma level 0.00135 (17 of 20: P = 0.0013).
enum SpreadSignTest {
    static func wins(low: [Double], high: [Double], groups: Int = 20) -> Int {
        precondition(low.count == high.count && low.count >= 2 * groups, "need two samples per group")
        let size = low.count / groups
        return (0..<groups).filter { g in
            let r = (g * size)..<((g + 1) * size)
            return EstimateSummary(Array(high[r]), truth: 0).variance > EstimateSummary(Array(low[r]), truth: 0).variance
        }.count
    }

    static func requiredWins(groups: Int = 20) -> Int {
        var tail = 0.0
        var wins = groups
        // P(X >= w) for X ~ Binomial(groups, 1/2), accumulated from the top.
        while wins >= 0 {
            tail += binomial(groups, wins) / pow(2, Double(groups))
            if tail > 0.00135 { return wins + 1 }
            wins -= 1
        }
        return 0
    }

    private static func binomial(_ n: Int, _ k: Int) -> Double {
        var c = 1.0
        for i in 0..<k { c = c * Double(n - i) / Double(i + 1) }
        return c
    }

    private static func pow(_ b: Double, _ e: Double) -> Double {
        var r = 1.0
        for _ in 0..<Int(e) { r *= b }
        return r
    }
}
