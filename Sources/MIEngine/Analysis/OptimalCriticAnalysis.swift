import RealModule

/// Bias and variance of bounds given the optimal critic, without training
/// (004 section 3, "Bias-variance tradeoff for optimal critics", Figure 3).
///
/// For each true MI and batch size K, `batches` independent batches are drawn
/// (by default from gaussian(dim=20, mi)); each bound is evaluated on the
/// analytic critic log p(y|x)/p(y) plus its `optimalShift` (1 for nwj: 004
/// eq. 7's critic must self-normalise), with any learned baseline at its
/// optimum q(y) = p(y), i.e. 0 in log-ratio form (004 sec. 2.4). All bounds of
/// a cell see the same batches, so their differences are not sampling noise.
///
/// Bounds are value types; each batch evaluates a fresh copy, so a bound with
/// state across batches (MINE's moving average) starts every batch afresh.
public struct OptimalCriticSweep: Sendable {
    /// True MI values in nats.
    public var mis: [Double]
    /// Batch sizes K.
    public var batchSizes: [Int]
    public var bounds: [any Bound]
    /// Batches per (MI, K) cell.
    public var batches: Int
    public var seed: UInt64
    /// The distribution with a given MI; it must know its density and its MI.
    public var source: @Sendable (Double) -> any DataSource

    /// The paper's setting: gaussian(dim, mi) with one correlation for all coordinates.
    public init(mis: [Double], batchSizes: [Int], bounds: [any Bound], batches: Int = 300,
                dim: Int = 20, seed: UInt64 = 0) {
        self.init(mis: mis, batchSizes: batchSizes, bounds: bounds, batches: batches, seed: seed) {
            GaussianSource(dim: dim, mi: $0)
        }
    }

    /// Any distribution with a known density, built from the target MI.
    public init(mis: [Double], batchSizes: [Int], bounds: [any Bound], batches: Int = 300, seed: UInt64 = 0,
                source: @escaping @Sendable (Double) -> any DataSource) {
        precondition(!mis.isEmpty && !batchSizes.isEmpty && !bounds.isEmpty, "empty sweep")
        precondition(batches >= 2, "need at least 2 batches for a variance")
        precondition(batchSizes.allSatisfy { $0 >= 3 }, "batch sizes must be at least 3")
        self.mis = mis
        self.batchSizes = batchSizes
        self.bounds = bounds
        self.batches = batches
        self.seed = seed
        self.source = source
    }

    /// Runs the sweep. Rows come grouped by bound, then batch size, then MI
    /// (one plotted line is a run of consecutive rows).
    public func run(control: AnalysisControl = AnalysisControl()) -> OptimalCriticReport {
        var runner = AnalysisRunner(control: control, total: mis.count * batchSizes.count * batches)
        var rows: [(Int, OptimalCriticRow)] = []
        cells: for mi in mis {
            let data = source(mi)
            guard let density = data.density(step: 0), let truth = data.trueMI(step: 0) else {
                preconditionFailure("\(data.name) has no known density or MI")
            }
            for k in batchSizes {
                let evaluate = { (b: Int) -> [Double] in
                    var rng = AnalysisStreams.rng(seed: seed, mi: mi, batch: k, index: b)
                    let batch = data.sample(batch: k, step: 0, rng: &rng, parallelism: control.parallelism)
                    let ratio = density.logRatio(x: batch.x, y: batch.y)
                    return evaluateOptimal(bounds, logRatio: ratio.storage, batch: k, parallelism: control.parallelism)
                }
                guard let perBatch = runner.run(batches, cell: "mi=\(formatShort(mi)) batch=\(k)", evaluate) else {
                    break cells
                }
                for (n, bound) in bounds.enumerated() {
                    let values = perBatch.map { $0[n] }
                    rows.append((n, OptimalCriticRow(bound: bound.name, mi: mi, batch: k,
                                                 ceiling: bound.ceiling(batch: k),
                                                 summary: EstimateSummary(values, truth: truth),
                                                 estimates: values)))
                }
            }
        }
        // In the order the bounds were given (by position: two bounds may share a name).
        rows.sort { a, b in (a.0, a.1.batch, a.1.mi) < (b.0, b.1.batch, b.1.mi) }
        return OptimalCriticReport(rows: rows.map(\.1), interrupted: runner.interrupted)
    }
}

/// Each bound's estimate on one batch's log-ratio scores (all pairs, K x K
/// row-major), each with its own optimal shift and a zero log-baseline.
func evaluateOptimal(_ bounds: [any Bound], logRatio: [Double], batch k: Int,
                     parallelism: Parallelism) -> [Double] {
    bounds.map { template in
        var bound = template
        var scores = logRatio
        let shift = bound.optimalShift
        if shift != 0 { for n in scores.indices { scores[n] += shift } }
        let baseline: [Double]? = bound.baseline == .learned ? [Double](repeating: 0, count: k) : nil
        return bound.evaluate(Scores(scores, pairs: .all(k), parallelism: parallelism), logBaseline: baseline).estimate
    }
}

/// One (bound, MI, K) cell of the optimal-critic sweep.
public struct OptimalCriticRow: Sendable, Equatable {
    public var bound: String
    /// The true MI in nats.
    public var mi: Double
    /// The batch size K.
    public var batch: Int
    /// The bound's ceiling at this K (log K for nce), if any.
    public var ceiling: Double?
    /// Mean, bias, variance, MSE and standard errors over the batches.
    public var summary: EstimateSummary
    /// The estimate of every batch, in batch order.
    public var estimates: [Double]
}

/// The result of an optimal-critic sweep.
public struct OptimalCriticReport: Sendable, Equatable {
    public var rows: [OptimalCriticRow]
    /// True when the sweep was cancelled; `rows` then holds the finished cells.
    public var interrupted: Bool

    /// The row of `bound` at (`mi`, `batch`), if it was computed.
    public func row(_ bound: String, mi: Double, batch: Int) -> OptimalCriticRow? {
        rows.first { $0.bound == bound && $0.mi == mi && $0.batch == batch }
    }
}

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
