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
