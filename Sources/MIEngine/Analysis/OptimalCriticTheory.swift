import RealModule

/// Closed forms for bounds with the optimal critic on the correlated Gaussian
/// (x ~ N(0, I), y_d = rho_d x_d + sqrt(1 - rho_d^2) e_d): the theory lines
/// beside 004 Figure 3, and the standard errors that statistical tests can
/// trust where sample variances cannot.
public enum OptimalCriticTheory {
    /// The exact variance of one batch's I_NWJ (004 eq. 7) with the optimal
    /// critic f = 1 + log r on all K x K pairs:
    ///   I_NWJ = mean_i log r(x_i, y_i) + 1 - mean_{i != j} r(x_i, y_j).
    ///
    /// With r = p(y|x)/p(y):
    /// - Var log r(x, y) under p(x, y) = sum_d rho_d^2 (per coordinate,
    ///   log r = c + (rho^2 x^2 + 2 rho s x e - rho^2 e^2) / 2, s = sqrt(1 - rho^2)).
    /// - E r^2 under p(x)p(y) = E_p(x,y) r = prod_d 1/(1 - rho_d^2) = e^{2 I}.
    /// - Negative pairs sharing an x (or a y) are uncorrelated, since
    ///   E_y r(x, y) = E_x r(x, y) = 1; only the transposed pairs (i, j) and
    ///   (j, i) are: E r_ij r_ji = E k(x_i, x_j)^2 = prod_d 1/(1 - rho_d^4), with
    ///   k(a, b) = E_{y ~ p(y|b)} r(a, y) = integral p(y|a) p(y|b) / p(y) dy
    ///   (per coordinate (1 - rho^4)^{-1/2} exp(rho^2 (2ab - rho^2 (a^2 + b^2)) / (2 (1 - rho^4)))).
    /// - The positive and negative terms are uncorrelated (same argument).
    /// So, with M = K (K - 1),
    ///   Var = sum_d rho_d^2 / K + (e^{2I} - 1 + prod_d (1 - rho_d^4)^{-1} - 1) / M.
    /// The second term grows like e^{2I} / K^2 and comes from pairs too rare
    /// to show up in a few hundred batches once I is large: there the sample
    /// variance underestimates this one by orders of magnitude.
    public static func nwjVariance(rho: [Double], batch k: Int) -> Double {
        precondition(k >= 2, "need at least 2 pairs")
        var sumRho2 = 0.0, logChi = 0.0, logCross = 0.0
        for r in rho {
            let r2 = r * r
            sumRho2 += r2
            logChi -= Double.log(onePlus: -r2)
            logCross -= Double.log(onePlus: -r2 * r2)
        }
        let m = Double(k) * Double(k - 1)
        return sumRho2 / Double(k) + (Double.expMinusOne(logChi) + Double.expMinusOne(logCross)) / m
    }

    /// `nwjVariance` for `dim` equal correlations giving `mi` nats.
    public static func nwjVariance(mi: Double, dim: Int, batch k: Int) -> Double {
        nwjVariance(rho: [Double](repeating: GaussianMI.rho(mi: mi, dim: dim), count: dim), batch: k)
    }
}
