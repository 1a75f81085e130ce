import Testing
import RealModule
@testable import MIEngine

/// 004 Figure 3's setting: bounds with the optimal critic on gaussian(dim=20).
/// Tolerances are multiples of standard errors at fixed seeds: 3 SE, a
/// two-sided normal probability of 0.27% for a true claim.
@Suite(.tags(.statistical)) struct OptimalCriticAnalysisTests {
    static let mis: [Double] = [0.5, 1, 2, 4, 6, 10]
    static let alphas: [Double] = [0.01, 0.5, 0.99]
    static let bounds: [any Bound] = [NWJ(), InfoNCE(), LeaveOneOutUpperBound()] + alphas.map { Interpolated(alpha: $0) }

    /// K = 64, 400 batches per MI, shared by the tests below (~0.5 s in
    /// release, ~10 s in debug).
    static let sweep = OptimalCriticSweep(mis: mis, batchSizes: [64], bounds: bounds, batches: 400, seed: 2019).run()

    /// nwj is unbiased with the optimal critic (004 sec. 2.2). Its
    /// tolerance is 3 standard errors of the mean, using the larger of the
    /// sample SE and the exact one (`OptimalCriticTheory.nwjVariance`): at
    /// MI = 6 and 10 with K = 64 the variance is dominated by negative pairs
    /// with r ~ e^{2I} that are too rare to appear in 400 batches, so the
    /// sample SE understates the real one by orders of magnitude (seed scans
    /// gave |z| > 3 against the sample SE for several seeds at MI = 10).
    @Test(arguments: [2.0, 6.0, 10.0])
    func nwjMeanWithinThreeStandardErrors(_ mi: Double) throws {
        let row = try #require(Self.sweep.row("nwj", mi: mi, batch: 64))
        let exact = (OptimalCriticTheory.nwjVariance(mi: mi, dim: 20, batch: 64) / Double(row.summary.count)).squareRoot()
        let se = max(row.summary.standardError, exact)
        #expect(abs(row.summary.bias) <= 3 * se, "bias \(row.summary.bias), sample SE \(row.summary.standardError), exact SE \(exact)")
    }

    /// Where the variance has no heavy tail (MI = 2: the e^{2I} term is 20% of
    /// it) the sample variance must agree with the exact one. For n = 400 a
    /// sample variance has relative SE about sqrt((kurtosis - 1) / n) < 0.1,
    /// so the band is 3 of those.
    @Test func nwjSampleVarianceMatchesTheoryAtLowMI() throws {
        let row = try #require(Self.sweep.row("nwj", mi: 2, batch: 64))
        let exact = OptimalCriticTheory.nwjVariance(mi: 2, dim: 20, batch: 64)
        let ratio = row.summary.variance / exact
        #expect(abs(ratio - 1) < 0.3, "sample \(row.summary.variance) vs exact \(exact)")
    }

    /// I_NCE <= log K in every batch (004 sec. 2.3). The 1e-12 allows for
    /// rounding in log-sum-exp.
    @Test func nceNeverExceedsLogK() {
        for mi in Self.mis {
            guard let row = Self.sweep.row("nce", mi: mi, batch: 64) else { Issue.record("missing row"); continue }
            #expect(row.summary.maximum <= Double.log(64) + 1e-12, "mi=\(mi): \(row.summary.maximum)")
        }
    }

    /// At MI <= 1 and K = 512 the log K ceiling is far away and I_NCE is close
    /// to the truth: within 0.05 (which is also more than 3 SE here, so the
    /// check has teeth). 200 batches (~2 s in release, ~20 s in debug).
    @Test func nceAccurateAtLowMIAndLargeBatch() {
        let report = OptimalCriticSweep(mis: [0.5, 1], batchSizes: [512], bounds: [InfoNCE()], batches: 200,
                                        seed: 7).run()
        for row in report.rows {
            #expect(abs(row.summary.bias) <= 0.05, "mi=\(row.mi): bias \(row.summary.bias)")
            #expect(3 * row.summary.standardError < 0.05)
            #expect(row.summary.maximum <= Double.log(512) + 1e-12)
        }
    }

    /// The leave-one-out bound (004 eq. 13) is an upper bound in expectation.
    @Test func leaveOneOutIsAnUpperBound() {
        for mi in Self.mis {
            guard let row = Self.sweep.row("loo_upper", mi: mi, batch: 64) else { Issue.record("missing row"); continue }
            let s = row.summary
            #expect(s.mean + 3 * s.standardError >= mi, "mi=\(mi): mean \(s.mean) SE \(s.standardError)")
        }
    }

    /// I_alpha <= 1 + log(K / alpha) in every batch (004 sec. 2.4).
    @Test(arguments: alphas)
    func alphaNeverExceedsItsCeiling(_ alpha: Double) {
        let name = Interpolated(alpha: alpha).name
        for mi in Self.mis {
            guard let row = Self.sweep.row(name, mi: mi, batch: 64) else { Issue.record("missing row"); continue }
            let ceiling = 1 + Double.log(64 / alpha)
            #expect(row.ceiling == ceiling)
            #expect(row.summary.maximum <= ceiling + 1e-12, "\(name) mi=\(mi): \(row.summary.maximum)")
        }
    }

    /// The report holds one row per (bound, MI, K), grouped by bound, with
    /// the truth of the source and every batch's estimate.
    @Test func reportLayout() {
        let rows = Self.sweep.rows
        #expect(rows.count == Self.bounds.count * Self.mis.count)
        #expect(rows.map(\.bound) == Self.bounds.flatMap { b in Self.mis.map { _ in b.name } })
        for row in rows {
            #expect(row.summary.truth == GaussianSource(dim: 20, mi: row.mi).mi)
            #expect(row.estimates.count == 400)
        }
        #expect(!Self.sweep.interrupted)
    }
}

/// Scheduling must not change a single bit, and sweeps must be stoppable.
@Suite struct AnalysisDeterminismTests {
    static let bounds: [any Bound] = [NWJ(), InfoNCE(), Interpolated(alpha: 0.3), LeaveOneOutUpperBound()]

    @Test func optimalCriticSweepIsIdenticalOnOneOrManyWorkers() {
        let sweep = OptimalCriticSweep(mis: [1, 8], batchSizes: [16, 40], bounds: Self.bounds, batches: 24, seed: 5)
        let parallel = sweep.run(control: AnalysisControl(parallelism: .allCores, chunk: 7))
        let serial = sweep.run(control: AnalysisControl(parallelism: .serial, chunk: 24))
        #expect(parallel == serial)
        #expect(parallel == sweep.run())
    }

    @Test func gradientSweepIsIdenticalOnOneOrManyWorkers() {
        let sweep = GradientAccuracySweep(mis: [1, 8], batchSizes: [16, 40], bounds: Self.bounds, batches: 24, seed: 5)
        let parallel = sweep.run(control: AnalysisControl(parallelism: .allCores, chunk: 5))
        let serial = sweep.run(control: AnalysisControl(parallelism: .serial, chunk: 24))
        #expect(parallel == serial)
    }

    /// Adding an MI or a batch size leaves the other cells' batches alone.
    @Test func cellsDoNotDependOnTheirNeighbours() throws {
        let small = OptimalCriticSweep(mis: [3], batchSizes: [16], bounds: [NWJ()], batches: 10, seed: 9).run()
        let large = OptimalCriticSweep(mis: [1, 3], batchSizes: [8, 16], bounds: [NWJ()], batches: 10, seed: 9).run()
        let a = try #require(small.row("nwj", mi: 3, batch: 16)), b = try #require(large.row("nwj", mi: 3, batch: 16))
        #expect(a == b)
    }

    @Test func progressAndCancellation() {
        let sweep = OptimalCriticSweep(mis: [1, 2, 3], batchSizes: [8], bounds: [NWJ()], batches: 10, seed: 1)
        var seen: [AnalysisProgress] = []
        let full = sweep.run(control: AnalysisControl(chunk: 4, progress: { seen.append($0) }))
        #expect(seen.map(\.completed) == [4, 8, 10, 14, 18, 20, 24, 28, 30])
        #expect(seen.allSatisfy { $0.total == 30 })
        #expect(seen.first?.cell == "mi=1 batch=8")
        #expect(full.rows.count == 3 && !full.interrupted)

        var polls = 0
        let stopped = sweep.run(control: AnalysisControl(chunk: 4, shouldStop: {
            polls += 1
            return polls > 4   // stops inside the second cell
        }))
        #expect(stopped.interrupted)
        #expect(stopped.rows.count == 1)
        #expect(stopped.rows.first == full.rows.first)
    }
}
