/// Bounds that use a known encoder p(y|x) as the critic, with nothing to
/// learn (004 sec. 2.5):
/// - structured InfoNCE (004 eq. 12), a lower bound:
///     mean_i log p(y_i|x_i) / (1/K sum_j p(y_i|x_j))
/// - the leave-one-out upper bound (004 eq. 13):
///     mean_i log p(y_i|x_i) / (1/(K-1) sum_{j != i} p(y_i|x_j))
/// Together they sandwich MI without variational distributions.
///
/// Scores are S[j][i] = log p(y_i|x_j) and both normalise each y_i over the
/// x's (columns), so a per-y term cancels: they agree with the same bounds
/// on the log ratio log p(y|x)/p(y) (`OptimalEstimator`), and p(y) never has
/// to be known. (Row-normalised InfoNCE is not invariant to a per-y term and
/// is therefore not offered here.)
public final class StructuredBoundEstimator: Estimator {
    public enum Kind: String, Sendable, CaseIterable {
        /// 004 eq. 12: at most log K.
        case nce = "structured_nce"
        /// 004 eq. 13.
        case looUpper = "loo_upper"
    }

    public let kind: Kind
    public let density: @Sendable (Int) -> KnownDensity?
    private var bound: any Bound
    /// The bound's parallelism.
    public var parallelism: Parallelism = .allCores

    public init(_ kind: Kind, source: any DataSource) {
        precondition(source.density(step: 0) != nil, "\(kind.rawValue) needs a known p(y|x)")
        self.kind = kind
        self.density = { source.density(step: $0) }
        switch kind {
        case .nce: bound = InfoNCE(normalise: .columns, name: kind.rawValue)
        case .looUpper: bound = LeaveOneOutUpperBound()
        }
    }

    public var name: String { "\(kind.rawValue) with known p(y|x)" }
    public var stores: [ParameterStore<Float>] { [] }
    public func ceiling(batch: Int) -> Double? { bound.ceiling(batch: batch) }
    public var minimumBatch: Int { bound.minimumBatch }

    /// The bound's value and its gradient with respect to the K x K scores
    /// log p(y_j|x_i) (for encoders that learn through them).
    public func evaluate(_ batch: Batch, step: Int) -> BoundResult {
        guard let p = density(step) else { preconditionFailure("no known density at step \(step)") }
        let scores = p.logConditional(x: batch.x, y: batch.y)
        return bound.evaluate(Scores(matrix: scores, parallelism: parallelism), logBaseline: nil)
    }

    public func run(_ batch: Batch, step: Int, rng: inout RNG, train: Bool) -> StepOutcome {
        let r = evaluate(batch, step: step)
        return StepOutcome(estimate: r.estimate, objective: r.objective)
    }
}
