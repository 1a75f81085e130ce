/// Accuracy of the encoder gradients of bounds with the optimal critic
/// (004 section 3, "Bias-variance tradeoffs for representation learning",
/// Figure 4 left).
///
/// For each true MI and batch size K, `batches` batches of the Gaussian
/// encoder p(y_d|x_d) = N(rho_d x_d, 1 - rho_d^2) are drawn; for each bound,
/// the exact gradient of its batch objective with respect to the vector rho
/// (through the optimal critic and the reparameterised samples,
/// `GaussianEncoder.rhoGradient`) is compared with the analytic gradient
/// dMI/drho_d = rho_d / (1 - rho_d^2).
///
/// rho: the paper does not say how its rho vectors were chosen for a given
/// MI ("for different settings of the parameters rho"); here every
/// coordinate has the same rho, rho = sqrt(1 - exp(-2 MI / dim)), so the
/// coordinates are exchangeable and their errors are pooled.
///
/// Learned baselines sit at their optimum q(y) = p(y), 0 in log-ratio form.
/// Since p(y) = N(0, I) whatever rho is, that baseline does not move with
/// rho and contributes no gradient term.
public struct GradientAccuracySweep: Sendable {
    public var mis: [Double]
    public var batchSizes: [Int]
    public var bounds: [any Bound]
    public var batches: Int
    public var dim: Int
    public var seed: UInt64

    public init(mis: [Double], batchSizes: [Int], bounds: [any Bound], batches: Int = 200,
                dim: Int = 20, seed: UInt64 = 0) {
        precondition(!mis.isEmpty && !batchSizes.isEmpty && !bounds.isEmpty, "empty sweep")
        precondition(batches >= 2, "need at least 2 batches for a variance")
        precondition(batchSizes.allSatisfy { $0 >= 3 }, "batch sizes must be at least 3")
        precondition(mis.allSatisfy { $0 > 0 }, "MI must be positive (rho = 0 is a saddle of no interest)")
        self.mis = mis
        self.batchSizes = batchSizes
        self.bounds = bounds
        self.batches = batches
        self.dim = dim
        self.seed = seed
    }

    /// Runs the sweep; rows grouped by bound, then batch size, then MI.
    public func run(control: AnalysisControl = AnalysisControl()) -> GradientAccuracyReport {
        var runner = AnalysisRunner(control: control, total: mis.count * batchSizes.count * batches)
        var rows: [(Int, GradientAccuracyRow)] = []
        cells: for mi in mis {
            let encoder = GaussianEncoder(dim: dim, mi: mi)
            for k in batchSizes {
                let evaluate = { (b: Int) -> [[Double]] in
                    var rng = AnalysisStreams.rng(seed: seed, mi: mi, batch: k, index: b)
                    let noise = encoder.noise(batch: k, rng: &rng, parallelism: control.parallelism)
                    return encoderGradients(bounds, encoder: encoder, noise: noise, parallelism: control.parallelism)
                }
                guard let perBatch = runner.run(batches, cell: "mi=\(formatShort(mi)) batch=\(k)", evaluate) else {
                    break cells
                }
                for (n, bound) in bounds.enumerated() {
                    rows.append((n, GradientAccuracyRow(bound: bound.name, mi: mi, batch: k,
                                                    gradients: perBatch.map { $0[n] },
                                                    truth: encoder.trueGradient)))
                }
            }
        }
        // In the order the bounds were given (by position: two bounds may share a name).
        rows.sort { a, b in (a.0, a.1.batch, a.1.mi) < (b.0, b.1.batch, b.1.mi) }
        return GradientAccuracyReport(rows: rows.map(\.1), interrupted: runner.interrupted)
    }
}

/// Each bound's gradient d objective / d rho on one batch of encoder noise.
func encoderGradients(_ bounds: [any Bound], encoder: GaussianEncoder, noise: GaussianEncoder.Noise,
                      parallelism: Parallelism) -> [[Double]] {
    let k = noise.batch
    let ratio = encoder.scores(noise).storage
    return bounds.map { template in
        var bound = template
        var scores = ratio
        let shift = bound.optimalShift
        if shift != 0 { for n in scores.indices { scores[n] += shift } }
        let baseline: [Double]? = bound.baseline == .learned ? [Double](repeating: 0, count: k) : nil
        let result = bound.evaluate(Scores(scores, pairs: .all(k), parallelism: parallelism), logBaseline: baseline)
        return encoder.rhoGradient(noise, dScores: result.dScores)
    }
}

/// One (bound, MI, K) cell of the gradient sweep. Errors are e_bd =
/// g_hat_bd - g_d for batch b and coordinate d; the MSE averages e^2 over
/// both (the mean squared error per coordinate of the gradient vector).
public struct GradientAccuracyRow: Sendable, Equatable {
    public var bound: String
    public var mi: Double
    public var batch: Int
    /// The analytic gradient, per coordinate.
    public var truth: [Double]
    /// The mean estimated gradient over batches, per coordinate.
    public var meanGradient: [Double]
    /// mean_{b,d} e_bd^2.
    public var mse: Double
    /// The standard error of `mse` (over batches of mean_d e_bd^2).
    public var mseStandardError: Double
    /// mean_{b,d} e_bd: the gradient's bias pooled over coordinates.
    public var bias: Double
    /// The standard error of `bias` (over batches of mean_d e_bd).
    public var biasStandardError: Double
    /// mean_d of the sample variance over batches of g_hat_bd.
    public var variance: Double
    /// mean_d e_bd^2 of every batch, in batch order.
    public var batchSquaredErrors: [Double]

    public init(bound: String, mi: Double, batch: Int, gradients: [[Double]], truth: [Double]) {
        precondition(gradients.count >= 2 && gradients.allSatisfy { $0.count == truth.count }, "gradient shapes")
        self.bound = bound
        self.mi = mi
        self.batch = batch
        self.truth = truth
        let dim = Double(truth.count), n = gradients.count
        var mean = [Double](repeating: 0, count: truth.count)
        for g in gradients { for d in g.indices { mean[d] += g[d] } }
        for d in mean.indices { mean[d] /= Double(n) }
        meanGradient = mean
        var variance = 0.0
        for g in gradients { for d in g.indices { variance += (g[d] - mean[d]) * (g[d] - mean[d]) } }
        self.variance = variance / Double(n - 1) / dim
        batchSquaredErrors = gradients.map { g in
            var e = 0.0
            for d in g.indices { e += (g[d] - truth[d]) * (g[d] - truth[d]) }
            return e / dim
        }
        let meanErrors = gradients.map { g in
            var e = 0.0
            for d in g.indices { e += g[d] - truth[d] }
            return e / dim
        }
        let squared = EstimateSummary(batchSquaredErrors, truth: 0)
        mse = squared.mean
        mseStandardError = squared.standardError
        let errors = EstimateSummary(meanErrors, truth: 0)
        bias = errors.mean
        biasStandardError = errors.standardError
    }
}

/// The result of a gradient-accuracy sweep.
public struct GradientAccuracyReport: Sendable, Equatable {
    public var rows: [GradientAccuracyRow]
    /// True when the sweep was cancelled; `rows` then holds the finished cells.
    public var interrupted: Bool

    /// The row of `bound` at (`mi`, `batch`), if it was computed.
    public func row(_ bound: String, mi: Double, batch: Int) -> GradientAccuracyRow? {
        rows.first { $0.bound == bound && $0.mi == mi && $0.batch == batch }
    }
}
