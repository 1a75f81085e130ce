import Testing
@testable import MIEngine

/// The scaled linear-domain I_alpha kernel against the log-domain reference.
@Suite struct InterpolatedKernelTests {
    static let alphas = [0.0, 0.001, 0.01, 0.5, 0.99, 1.0]

    /// max |a - b| / max |b|.
    static func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
        let scale = b.reduce(0) { max($0, abs($1)) }
        return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) } / max(scale, .leastNormalMagnitude)
    }

    @Test(arguments: alphas)
    func matchesReference(_ alpha: Double) {
        let bound = Interpolated(alpha: alpha)
        for (k, scale, seed) in [(5, 1.0, UInt64(1)), (17, 3.0, 2), (64, 8.0, 3)] {
            let scores = randomScores(k: k, seed: seed, scale: scale)
            var rng = RNG(seed: seed + 100)
            let baseline = (0..<k).map { _ in rng.normal() }
            guard let fast = bound.scaledEvaluate(scores, k: k, logBaseline: baseline) else {
                Issue.record("the kernel declined ordinary scores")
                continue
            }
            let ref = bound.referenceEvaluate(scores, k: k, logBaseline: baseline)
            // Both sum O(K^2) terms in different orders: agreement to a few
            // hundred ulps of the largest term (e^{|S|} reaches e^30 at scale 8).
            #expect(abs(fast.estimate - ref.estimate) <= 1e-12 * max(1, abs(ref.estimate)))
            #expect(Self.relativeDifference(fast.dScores, ref.dScores) < 1e-12)
            if let rb = ref.dLogBaseline {
                #expect(Self.relativeDifference(fast.dLogBaseline ?? [], rb) < 1e-12)
            } else {
                #expect(fast.dLogBaseline == nil)
            }
        }
    }

    /// Columns where one score dominates by 200-300 nats, on and off the
    /// diagonal: the leave-one-out sum at the argmax and w - 1/u_argmax must
    /// not come from differences of nearly equal numbers.
    @Test(arguments: alphas)
    func dominantScore(_ alpha: Double) {
        let k = 6
        var scores = randomScores(k: k, seed: 9)
        scores[2 * k + 2] = 300
        scores[4 * k + 1] = 200
        let bound = Interpolated(alpha: alpha)
        let baseline = [Double](repeating: 0.5, count: k)
        let fast = bound.scaledEvaluate(scores, k: k, logBaseline: baseline)
        #expect(fast != nil)
        let ref = bound.referenceEvaluate(scores, k: k, logBaseline: baseline)
        if let fast {
            #expect(abs(fast.estimate - ref.estimate) <= 1e-12 * max(1, abs(ref.estimate)))
            #expect(Self.relativeDifference(fast.dScores, ref.dScores) < 1e-12)
            if let rb = ref.dLogBaseline { #expect(Self.relativeDifference(fast.dLogBaseline ?? [], rb) < 1e-12) }
        }
    }

    /// Beyond the scaled domain's range the public entry point falls back.
    @Test func extremeColumnFallsBack() {
        let k = 4
        var scores = randomScores(k: k, seed: 4)
        scores[1 * k + 1] = 2000
        var bound = Interpolated(alpha: 0.5)
        let baseline = [Double](repeating: 0, count: k)
        #expect(bound.scaledEvaluate(scores, k: k, logBaseline: baseline) == nil)
        let ref = bound.referenceEvaluate(scores, k: k, logBaseline: baseline)
        let got = bound.evaluate(Scores(scores, pairs: .all(k)), logBaseline: baseline)
        #expect(got.estimate == ref.estimate)
        #expect(got.dScores == ref.dScores)
    }
}
