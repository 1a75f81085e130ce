import Testing
import RealModule
@testable import MIEngine

/// 004 Figure 4: encoder-gradient accuracy of bounds with the optimal critic.
/// Tolerances are 3 standard errors at fixed seeds.
@Suite(.tags(.statistical)) struct GradientAccuracyTests {
    /// K = 64, MI = 1 and 4, 400 batches (~1 s in release).
    static let sweep = GradientAccuracySweep(mis: [1, 4], batchSizes: [64],
                                             bounds: [NWJ(), InfoNCE(), Interpolated(alpha: 0.5), LeaveOneOutUpperBound()],
                                             batches: 400, seed: 4).run()

    /// E[I_NWJ] = MI for every rho when the critic is optimal, so the
    /// reparameterised gradient is unbiased: its mean is within 3 SE of
    /// rho / (1 - rho^2). (MI <= 4 at K = 64, where nwj is not yet
    /// heavy-tailed enough to fool the sample SE.)
    @Test(arguments: [1.0, 4.0])
    func nwjGradientIsUnbiased(_ mi: Double) throws {
        let row = try #require(Self.sweep.row("nwj", mi: mi, batch: 64))
        #expect(abs(row.bias) <= 3 * row.biasStandardError, "bias \(row.bias) SE \(row.biasStandardError)")
        #expect(row.truth.allSatisfy { abs($0 - GaussianEncoder(dim: 20, mi: mi).trueGradient[0]) < 1e-15 })
    }

    /// I_NCE's gradient is biased low: by 3 SE already at MI = 1, and by
    /// more at MI = 4 (close to log 64 = 4.16, where the bound flattens).
    /// The leave-one-out upper bound's gradient is biased high.
    @Test func nceAndUpperBoundGradientsAreBiased() throws {
        let nce1 = try #require(Self.sweep.row("nce", mi: 1, batch: 64)), nce4 = try #require(Self.sweep.row("nce", mi: 4, batch: 64))
        #expect(nce1.bias + 3 * nce1.biasStandardError < 0)
        #expect(nce4.bias + 3 * nce4.biasStandardError < nce1.bias - 3 * nce1.biasStandardError)
        let loo = try #require(Self.sweep.row("loo_upper", mi: 4, batch: 64))
        #expect(loo.bias - 3 * loo.biasStandardError > 0)
    }

    /// "For smaller batch sizes and MIs, alpha close to 1 (I_NCE) is
    /// preferred, while for larger batch sizes and MIs, alpha closer to 0
    /// (I_NWJ) is preferred." Along the diagonal (MI, K) = (1, 16), (4, 64),
    /// (10, 256), on a 7-point logit grid from 0.001 to 0.999 with 100
    /// batches per cell, the best alpha falls strictly. Paired 3-SE checks
    /// make the ends decisive: at (1, 16) alpha = 0.999 beats 0.001, and at
    /// (10, 256) the best alpha (<= 0.03) beats alpha = 0.5.
    @Test func bestAlphaMovesTowardsZeroAsBatchAndMIGrow() throws {
        let grid = AlphaGrid.logit(count: 7)
        let cells = try [(1.0, 16), (4.0, 64), (10.0, 256)].map { mi, k in
            try #require(BestAlphaSearch(mis: [mi], batchSizes: [k], alphas: grid, batches: 100, seed: 11).run().cells.first)
        }
        let best = cells.map(\.alpha)
        #expect(best[0] > best[1] && best[1] > best[2], "best alphas \(best)")

        func errors(_ cell: BestAlphaReport.Cell, _ alpha: Double, _ report: BestAlphaReport) -> [Double] {
            report.gradients.row(Interpolated(alpha: alpha).name, mi: cell.mi, batch: cell.batch)!.batchSquaredErrors
        }
        let small = BestAlphaSearch(mis: [1], batchSizes: [16], alphas: [0.001, 0.999], batches: 100, seed: 11).run()
        let d0 = Paired.difference(errors(small.cells[0], 0.999, small), errors(small.cells[0], 0.001, small))
        #expect(d0.mean + 3 * d0.standardError < 0)
        let large = BestAlphaSearch(mis: [10], batchSizes: [256], alphas: [best[2], 0.5], batches: 100, seed: 11).run()
        let d1 = Paired.difference(errors(large.cells[0], best[2], large), errors(large.cells[0], 0.5, large))
        #expect(best[2] <= 0.03)
        #expect(d1.mean + 3 * d1.standardError < 0)
    }

    /// The logit grid is symmetric about 1/2 and spans its ends.
    @Test func logitGrid() {
        let g = AlphaGrid.logit(count: 7)
        #expect(g.count == 7)
        #expect(abs(g[0] - 0.001) < 1e-15 && abs(g[6] - 0.999) < 1e-15 && abs(g[3] - 0.5) < 1e-15)
        for i in 0..<7 { #expect(abs(g[i] + g[6 - i] - 1) < 1e-14) }
        #expect(zip(g, g.dropFirst()).allSatisfy { $0 < $1 })
    }
}
