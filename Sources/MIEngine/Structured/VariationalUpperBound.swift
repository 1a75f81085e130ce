import RealModule

/// log N(v; mu, diag sigma^2) per row and its gradients, for densities with a
/// per-row mean and a shared log standard deviation (004 sec. 2.1: q(y) of
/// the variational upper bound, q(x|y) of Barber-Agakov). Accumulates in Double.
enum GaussianLogDensity {
    /// -d/2 log 2 pi - sum_d log sigma_d - sum_d (v_d - mu_d)^2 / (2 sigma_d^2).
    @inline(__always)
    static func value(_ v: UnsafePointer<Double>, mean: (Int) -> Double, logStd: [Double]) -> Double {
        var q = 0.0, logDet = 0.0
        for d in logStd.indices {
            let z = (v[d] - mean(d)) * Double.exp(-logStd[d])
            q += z * z
            logDet += logStd[d]
        }
        return -0.5 * Double(logStd.count) * Double.log(2 * Double.pi) - logDet - 0.5 * q
    }
}

/// A diagonal Gaussian q(v) = N(mean, diag exp(2 logStd)) whose mean and log
/// standard deviation are learned: the variational marginal q(y) of the
/// upper bound R (004 eq. 1). Parameters live in one store,
/// [mean_0..mean_{d-1}, logStd_0..logStd_{d-1}], in `T` (Float to train,
/// Double for gradient checks); arithmetic runs in Double.
public final class DiagonalGaussian<T: MIScalar> {
    public let dim: Int
    public let store: ParameterStore<T>

    /// Starts at N(mean, diag exp(2 logStd)); the default is N(0, I).
    public init(dim: Int, mean: [Double]? = nil, logStd: [Double]? = nil) {
        precondition(dim > 0, "dim must be positive")
        precondition((mean?.count ?? dim) == dim && (logStd?.count ?? dim) == dim, "expected \(dim) values")
        self.dim = dim
        store = ParameterStore(count: 2 * dim)
        store.load((mean ?? [Double](repeating: 0, count: dim)).map { T($0) }
                   + (logStd ?? [Double](repeating: 0, count: dim)).map { T($0) })
    }

    public var mean: [Double] { (0..<dim).map { Double(store.values[$0]) } }
    public var logStd: [Double] { (0..<dim).map { Double(store.values[dim + $0]) } }

    /// log q(v_i) for each row of `v`.
    public func logDensity(_ v: Matrix<Double>) -> [Double] {
        precondition(v.cols == dim, "expected \(dim) columns, got \(v.cols)")
        let mu = mean, ls = logStd
        return v.storage.withUnsafeBufferPointer { p in
            (0..<v.rows).map { i in GaussianLogDensity.value(p.baseAddress! + i * dim, mean: { mu[$0] }, logStd: ls) }
        }
    }

    /// Adds sum_i w_i d log q(v_i) / d theta to the store's gradients:
    ///   d/d mean_d   = (v_d - mean_d) / sigma_d^2
    ///   d/d logStd_d = (v_d - mean_d)^2 / sigma_d^2 - 1.
    public func addGradient(_ v: Matrix<Double>, weights w: [Double]) {
        precondition(v.cols == dim && w.count == v.rows, "shape mismatch")
        let mu = mean, ls = logStd
        var gMean = [Double](repeating: 0, count: dim), gLog = [Double](repeating: 0, count: dim)
        for i in 0..<v.rows {
            for d in 0..<dim {
                let invVar = Double.exp(-2 * ls[d])
                let r = v[i, d] - mu[d]
                gMean[d] += w[i] * r * invVar
                gLog[d] += w[i] * (r * r * invVar - 1)
            }
        }
        for d in 0..<dim {
            store.grads[d] += T(gMean[d])
            store.grads[dim + d] += T(gLog[d])
        }
    }

    /// KL(N(0, I) || q) = sum_d [log sigma_d + (1 + mean_d^2) / (2 sigma_d^2) - 1/2]:
    /// how far R (004 eq. 1) sits above the true MI when p(y) = N(0, I).
    public var klFromStandardNormal: Double {
        let mu = mean, ls = logStd
        return (0..<dim).reduce(0.0) { s, d in
            s + ls[d] + (1 + mu[d] * mu[d]) * Double.exp(-2 * ls[d]) / 2 - 0.5
        }
    }
}

/// The variational upper bound on MI with a learned marginal (004 eq. 1,
/// Barber & Agakov 2003; the "rate" R):
///   I(X; Y) <= R = E_p(x,y)[log p(y|x) - log q(y)],   tight when q = p(y),
/// estimated on a batch as mean_i [log p(y_i|x_i) - log q(y_i)] with the
/// known encoder p(y|x) and q a diagonal Gaussian (`DiagonalGaussian`).
/// Training minimises R over q; R - I = KL(p(y) || q) >= 0 in expectation.
///
/// Generic over the parameter precision so the gradient can be checked in
/// Double; as an `Estimator` (T = Float) it reports estimate = R and
/// objective = -R (estimators maximise), leaving dR/dtheta in the store.
public final class VariationalUpperBoundEstimator<T: MIScalar> {
    public let marginal: DiagonalGaussian<T>
    public let density: @Sendable (Int) -> KnownDensity?
    /// Nothing here runs in parallel (q is a diagonal Gaussian); kept for `Estimator`.
    public var parallelism: Parallelism = .allCores

    /// `source` must know p(y|x); q starts at `marginal` (default N(0, I)).
    public init(source: any DataSource, marginal: DiagonalGaussian<T>? = nil) {
        precondition(source.density(step: 0) != nil, "the variational upper bound needs a known p(y|x)")
        self.marginal = marginal ?? DiagonalGaussian(dim: source.dimY)
        precondition(self.marginal.dim == source.dimY, "q(y) has \(self.marginal.dim) dims, y has \(source.dimY)")
        self.density = { source.density(step: $0) }
    }

    /// R on `batch`; with `accumulate`, adds dR/dtheta to the store's
    /// gradients (callers zero them first).
    public func upperBound(_ batch: Batch, step: Int, accumulate: Bool) -> Double {
        guard let p = density(step) else { preconditionFailure("no known density at step \(step)") }
        let logP = p.logConditionalPairs(x: batch.x, y: batch.y)   // log p(y_i|x_i)
        let logQ = marginal.logDensity(batch.y)
        let k = Double(batch.size)
        var r = 0.0
        for i in 0..<batch.size { r += logP[i] - logQ[i] }
        if accumulate {
            // dR/d log q(y_i) = -1/K.
            marginal.addGradient(batch.y, weights: [Double](repeating: -1 / k, count: batch.size))
        }
        return r / k
    }
}

extension VariationalUpperBoundEstimator: Estimator where T == Float {
    public var name: String { "variational_upper with q(y)=gaussian" }
    public var stores: [ParameterStore<Float>] { [marginal.store] }
    public func ceiling(batch: Int) -> Double? { nil }

    public func run(_ batch: Batch, step: Int, rng: inout RNG, train: Bool) -> StepOutcome {
        if train { marginal.store.zeroGrad() }
        let r = upperBound(batch, step: step, accumulate: train)
        return StepOutcome(estimate: r, objective: -r)
    }
}
