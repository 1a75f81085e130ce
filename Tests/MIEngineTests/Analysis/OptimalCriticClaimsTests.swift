import Testing
import RealModule
@testable import MIEngine

/// 004 section 3's claims about Figure 3, on the shared K = 64 sweep of
/// `OptimalCriticAnalysisTests` (MI = 0.5, 1, 2, 4, 6, 10; 400 batches). Every
/// comparison is significant at 3 standard errors; comparisons between
/// bounds are paired (all bounds see the same batches).
@Suite(.tags(.statistical)) struct OptimalCriticClaimsTests {
    var sweep: OptimalCriticReport { OptimalCriticAnalysisTests.sweep }

    /// "the absolute value of the bias grows linearly with MI because the
    /// objective saturates": beyond log 64 = 4.16 every 4 nats more MI make
    /// I_NCE's bias more negative, while its mean stays below log K.
    @Test func nceBiasGrowsWithMIBeyondLogK() throws {
        let r6 = try #require(sweep.row("nce", mi: 6, batch: 64)), r10 = try #require(sweep.row("nce", mi: 10, batch: 64))
        let r2 = try #require(sweep.row("nce", mi: 2, batch: 64))
        for (lo, hi) in [(r2, r6), (r6, r10)] {
            let d = Paired.difference(hi.estimates.map { $0 - hi.mi }, lo.estimates.map { $0 - lo.mi })
            #expect(d.mean + 3 * d.standardError < 0, "bias \(lo.summary.bias) at \(lo.mi) vs \(hi.summary.bias) at \(hi.mi)")
        }
        // Saturated: the mean moves by less than the MI does (slope of bias near -1).
        let slope = (r10.summary.bias - r6.summary.bias) / 4
        #expect(slope < -0.75, "slope \(slope)")
    }

    /// "I_NWJ ... exhibits high variance when the MI is large". Beyond
    /// MI ~ 4 at K = 64 nwj is heavy-tailed (`OptimalCriticTheory`), so
    /// neither its sample variance nor that variance's standard error is
    /// reliable; the comparison is a sign test over 20 groups of 20 batches
    /// (`SpreadSignTest`: 17 wins of 20 is the 3-sigma level), for
    /// MI = 1 -> 2 -> 4 -> 6 (observed 19, 20, 19 wins).
    ///
    /// From 6 to 10 nats the exact variance still grows 3000-fold (40 ->
    /// 1.2e5), but all of that growth is in batches rarer than 1 in 400: the
    /// bulk of the estimates does not widen (interquartile range 0.82 vs
    /// 0.88 on this seed, 14 of 20 group wins), so no sample claim is made there.
    @Test func nwjVarianceGrowsWithMI() throws {
        #expect(SpreadSignTest.requiredWins() == 17)
        var previous: OptimalCriticRow? = nil
        for mi in [1.0, 2, 4, 6] {
            let row = try #require(sweep.row("nwj", mi: mi, batch: 64))
            if let p = previous {
                let wins = SpreadSignTest.wins(low: p.estimates, high: row.estimates)
                #expect(wins >= SpreadSignTest.requiredWins(),
                        "var \(p.summary.variance) at \(p.mi) vs \(row.summary.variance) at \(mi): \(wins) of 20")
            }
            previous = row
        }
        let exact = [1.0, 2, 4, 6, 10].map { OptimalCriticTheory.nwjVariance(mi: $0, dim: 20, batch: 64) }
        #expect(zip(exact, exact.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// "I_alpha bounds ... resulting in a MSE that can be smaller than either
    /// I_NWJ or I_NCE": at MI = 10 and K = 64 one of alpha = 0.01, 0.5, 0.99
    /// has a smaller MSE than both. Against nce the comparison is paired,
    /// by 3 standard errors. nwj is unbiased, so its MSE is its variance,
    /// known exactly (1.2e5 here); its sample MSE over 400 batches (~13)
    /// misses the rare batches that carry almost all of it, so the exact
    /// value is used.
    @Test func someAlphaBeatsBothEndpointsAtHighMISmallBatch() throws {
        let mi = 10.0
        let nwj = try #require(sweep.row("nwj", mi: mi, batch: 64)), nce = try #require(sweep.row("nce", mi: mi, batch: 64))
        let nwjMSE = OptimalCriticTheory.nwjVariance(mi: mi, dim: 20, batch: 64)
        let winners = OptimalCriticAnalysisTests.alphas.filter { a in
            guard let row = sweep.row(Interpolated(alpha: a).name, mi: mi, batch: 64) else { return false }
            let d = Paired.squaredErrorDifference(row.estimates, nce.estimates, truth: mi)
            return d.mean + 3 * d.standardError < 0 && row.summary.mse + 3 * row.summary.mseStandardError < nwjMSE
        }
        #expect(!winners.isEmpty)
        // It does so by trading: less bias than nce, less variance than nwj.
        if let a = winners.first, let row = sweep.row(Interpolated(alpha: a).name, mi: mi, batch: 64) {
            #expect(row.summary.bias > nce.summary.bias)
            #expect(SpreadSignTest.wins(low: row.estimates, high: nwj.estimates) >= SpreadSignTest.requiredWins())
        }
    }
}

private func pow2(_ x: Double) -> Double { x * x }
