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

    /// Bounds whose elementwise passes run in parallel chunks of scores
    /// (`Scores.parallelChunk`) once the batch is large enough.
    static let chunkedBounds: [any Bound] = [
        NWJ(), TUBA(), DV(), InfoNCE(), InfoNCE(normalise: .columns, name: "structured_nce"),
        JSBound(), JSPlugin(), SMILE(tau: 1),
    ]

    /// 48 x 48 scores (three chunks of rows) and 1100 shuffled pairs (two chunks).
    static func largeBatches(for bound: any Bound) -> [PairSet] {
        var rng = RNG(seed: 8)
        return bound.needsAllPairs ? [.all(48)] : [.all(48), .shuffled(rng.derangement(1100))]
    }

    @Test(arguments: chunkedBounds.indices)
    func largeBatchScoreGradient(_ index: Int) {
        let bound = Self.chunkedBounds[index]
        for pairs in Self.largeBatches(for: bound) {
            var rng = RNG(seed: 21 + UInt64(index))
            let scores = (0..<pairs.count).map { _ in 2 * rng.normal() }
            let baseline = bound.baseline == .learned ? (0..<pairs.batch).map { 0.01 * Double($0) - 0.2 } : nil
            check(bound, scores: scores, pairs: pairs, baseline: baseline)
        }
    }

    @Test(arguments: chunkedBounds.indices + [-1])
    func largeBatchesGiveTheBitsOfOneCore(_ index: Int) {
        let bound: any Bound = index < 0 ? MINE() : Self.chunkedBounds[index]
        for pairs in Self.largeBatches(for: bound) {
            var rng = RNG(seed: 31 + UInt64(index + 1))
            let values = (0..<pairs.count).map { _ in 3 * rng.normal() }
            let baseline = bound.baseline == .learned ? (0..<pairs.batch).map { 0.02 * Double($0) - 0.4 } : nil
            var a = bound, b = bound
            let parallel = a.evaluate(Scores(values, pairs: pairs, parallelism: .allCores), logBaseline: baseline)
            let serial = b.evaluate(Scores(values, pairs: pairs, parallelism: .serial), logBaseline: baseline)
            #expect(parallel.estimate == serial.estimate && parallel.objective == serial.objective,
                    "\(bound.name)")
            #expect(parallel.dScores == serial.dScores, "\(bound.name)")
            #expect(parallel.dLogBaseline == serial.dLogBaseline, "\(bound.name)")
        }
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
