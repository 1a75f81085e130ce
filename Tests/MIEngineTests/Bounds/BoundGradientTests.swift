import Testing
@testable import MIEngine

/// Every bound's gradient with respect to the scores (and its baseline)
/// against central finite differences of its objective, in Double.
@Suite struct BoundGradientTests {
    static let allPairBounds: [any Bound] = [
        NWJ(), TUBA(), DV(), InfoNCE(), InfoNCE(normalise: .columns, name: "structured_nce"),
        Interpolated(alpha: 0.01), Interpolated(alpha: 0.5), Interpolated(alpha: 0.99),
        Interpolated(alpha: 1), Interpolated(alpha: 0),
        JSBound(), JSPlugin(), SMILE(tau: 1), WassersteinDependency(), LeaveOneOutUpperBound(),
    ]

    static let shuffledBounds: [any Bound] = [NWJ(), TUBA(), DV(), JSBound(), JSPlugin(), SMILE(tau: 1), WassersteinDependency()]

    @Test(arguments: allPairBounds.indices)
    func allPairsScoreGradient(_ index: Int) {
        let bound = Self.allPairBounds[index]
        let k = 6
        let scores = randomScores(k: k, seed: 11 + UInt64(index))
        let baseline = bound.baseline == .learned ? (0..<k).map { 0.3 * Double($0) - 0.7 } : nil
        check(bound, scores: scores, pairs: .all(k), baseline: baseline)
    }

    @Test(arguments: shuffledBounds.indices)
    func shuffledScoreGradient(_ index: Int) {
        let bound = Self.shuffledBounds[index]
        let k = 7
        var rng = RNG(seed: 5)
        let perm = rng.derangement(k)
        let scores = (0..<(2 * k)).map { _ in 2 * rng.normal() }
        let baseline = bound.baseline == .learned ? (0..<k).map { 0.2 * Double($0) - 0.5 } : nil
        check(bound, scores: scores, pairs: .shuffled(perm), baseline: baseline)
    }

    /// MINE follows the gradient of mean_P f - mean_N e^f / EMA with the
    /// moving average held fixed at its updated value.
    @Test func mineGradientHoldsAverageFixed() {
        let k = 5
        let scores = randomScores(k: k, seed: 3)
        var mine = MINE(rate: 0.1)
        _ = mine.evaluate(Scores(randomScores(k: k, seed: 4), pairs: .all(k)), logBaseline: nil)
        var probe = mine
        let result = probe.evaluate(Scores(scores, pairs: .all(k)), logBaseline: nil)
        let logEMA = probe.logAverage!
        let fd = FiniteDifference.gradient(scores) { v in
            let s = Scores(v, pairs: .all(k))
            return s.positiveMean - LogDomain.exp(s.negativeLogMeanExp() - logEMA)
        }
        #expect(FiniteDifference.relativeError(result.dScores, fd) < gradientTolerance)
    }

    private func check(_ bound: any Bound, scores: [Double], pairs: PairSet, baseline: [Double]?) {
        var b = bound
        let result = b.evaluate(Scores(scores, pairs: pairs), logBaseline: baseline)
        let fd = FiniteDifference.gradient(scores) { v in
            var probe = bound
            return probe.evaluate(Scores(v, pairs: pairs), logBaseline: baseline).objective
        }
        let err = FiniteDifference.relativeError(result.dScores, fd)
        #expect(err < gradientTolerance, "\(bound.name) score gradient relative error \(err)")
        if let baseline {
            let fdb = FiniteDifference.gradient(baseline) { a in
                var probe = bound
                return probe.evaluate(Scores(scores, pairs: pairs), logBaseline: a).objective
            }
            let analytic = result.dLogBaseline ?? []
            let errB = FiniteDifference.relativeError(analytic, fdb)
            #expect(errB < gradientTolerance, "\(bound.name) baseline gradient relative error \(errB)")
        }
    }
}
