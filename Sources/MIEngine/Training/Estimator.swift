/// What one batch gave.
public struct StepOutcome: Sendable {
    /// The MI estimate on this batch (nats).
    public var estimate: Double
    /// The training objective on this batch.
    public var objective: Double
}

/// Something that turns batches into MI estimates and may learn while doing so.
public protocol Estimator: AnyObject {
    /// A description, e.g. `nce with separable(256, 256, relu, embed=32)`.
    var name: String { get }
    /// Parameter stores the optimiser updates (empty when nothing is learned).
    var stores: [ParameterStore<Float>] { get }
    /// Whether its passes may use every core; the estimates and gradients
    /// are the same bits either way. `Trainer` sets it from its options.
    var parallelism: Parallelism { get set }
    /// Estimates MI on `batch`, drawn at training step `step`; when `train`
    /// is set, leaves the gradients of the loss (the negated objective) in `stores`.
    func run(_ batch: Batch, step: Int, rng: inout RNG, train: Bool) -> StepOutcome
    /// The largest value the estimate can take at batch size K, if bounded.
    func ceiling(batch: Int) -> Double?
    /// FLOPs of one training step at batch size K (for the benchmark).
    func flopsPerStep(batch: Int) -> Double
    /// The smallest batch the estimator is defined on.
    var minimumBatch: Int { get }
}

extension Estimator {
    public var isTrainable: Bool { !stores.isEmpty }
    public func flopsPerStep(batch: Int) -> Double { 0 }
    public var minimumBatch: Int { 1 }
}

/// A bound on the scores of a learned critic, with a learned baseline
/// network when the bound needs one.
public final class CriticEstimator: Estimator {
    public let critic: FloatCritic
    public private(set) var bound: any Bound
    /// log a(y) or log q(y): an MLP from y to one number.
    public let baseline: MLP<Float>?
    public let negatives: NegativeSampling
    /// Extra loss terms that shape the critic (Lipschitz penalties).
    public var regularizers: [any CriticRegularizer] = []
    /// Dropout on the critic's hidden activations during training steps
    /// (`run(..., train: true)`), masks drawn from `run`'s generator;
    /// estimates with `train: false` (held-out evaluation) use the whole
    /// network. Paper 002 trains its JS critic this way (Figure 3 c-d). A
    /// no-op for the bilinear and inner critics; the baseline network and
    /// the Lipschitz regularizers' own passes are never dropped. The
    /// estimate a training step returns (what a trace records) is the
    /// dropped network's. With no nonzero rate (the default) training draws
    /// no extra random numbers, so traces are those of a plain critic.
    public var dropout: Dropout = .none

    public init(critic: FloatCritic, bound: any Bound, baseline: MLP<Float>? = nil,
                negatives: NegativeSampling = .all) {
        precondition(!(bound.needsAllPairs && negatives == .shuffled),
                     "\(bound.name) needs all-pairs negatives")
        precondition(bound.baseline == .none || baseline != nil, "\(bound.name) needs a baseline network")
        self.critic = critic
        self.bound = bound
        self.baseline = baseline
        self.negatives = negatives
    }

    /// The critic's and the baseline network's parallelism, and the bound's.
    public var parallelism: Parallelism {
        get { critic.parallelism }
        set {
            critic.parallelism = newValue
            baseline?.parallelism = newValue
        }
    }

    public var name: String {
        let constraint = lipschitz
        return "\(bound.name) with \(critic.name)" + (constraint == .none ? "" : ", lipschitz=\(constraint)")
            + (dropout.isActive ? ", dropout=\(dropout)" : "")
    }
    public var stores: [ParameterStore<Float>] { critic.stores + (baseline.map { [$0.store] } ?? []) }
    public func ceiling(batch: Int) -> Double? { bound.ceiling(batch: batch) }
    public var minimumBatch: Int { bound.minimumBatch }

    public func run(_ batch: Batch, step: Int, rng: inout RNG, train: Bool) -> StepOutcome {
        let k = batch.size
        let pairs: PairSet = negatives == .all ? .all(k) : .shuffled(rng.derangement(k))
        let x = batch.x.converted(to: Float.self), y = batch.y.converted(to: Float.self)
        for r in regularizers { r.prepare(critic, training: train) }
        let raw = train && dropout.isActive
            ? critic.forward(x: x, y: y, pairs: pairs, dropout: dropout, rng: &rng)
            : critic.forward(x: x, y: y, pairs: pairs)
        let scores = Scores(raw.map(Double.init), pairs: pairs, parallelism: parallelism)
        var logBaseline: [Double]? = nil
        if let baseline {
            logBaseline = baseline.forward(y).storage.map(Double.init)
        }
        let result = bound.evaluate(scores, logBaseline: logBaseline)
        if train {
            for s in stores { s.zeroGrad() }
            critic.backward(result.dScores.map { Float(-$0) })
            if let baseline, let d = result.dLogBaseline {
                baseline.backward(Matrix(rows: k, cols: 1, storage: d.map { Float(-$0) }))
            }
        }
        if !regularizers.isEmpty {
            for r in regularizers.reversed() { r.finish(critic, x: x, y: y, training: train, rng: &rng) }
        }
        return StepOutcome(estimate: result.estimate, objective: result.objective)
    }

    public func flopsPerStep(batch: Int) -> Double {
        let pairs: PairSet = negatives == .all ? .all(batch) : .shuffled(Array(0..<batch))
        return critic.flops(batch: batch, pairs: pairs) + (baseline.map { mlpFlops($0.sizes, rows: batch) } ?? 0)
    }
}

/// Something that shapes the critic around each step: an extra loss term
/// (a gradient penalty) or a reparameterisation of its weights (spectral
/// normalisation).
///
/// `prepare` runs, in list order, before the critic's forward pass; `finish`
/// runs in reverse order after the critic's backward pass (before the
/// optimiser step), or after the forward pass when not training. The
/// reverse order nests them: a penalty added after spectral normalisation
/// sees the normalised weights, and its gradient is mapped back with the rest.
public protocol CriticRegularizer: AnyObject {
    /// Changes the critic before its forward pass, if need be (nothing by default).
    func prepare(_ critic: FloatCritic, training: Bool)
    /// Adds the term's parameter gradient to the critic's stores (when
    /// training) and undoes whatever `prepare` changed.
    func finish(_ critic: FloatCritic, x: Matrix<Float>, y: Matrix<Float>, training: Bool, rng: inout RNG)
}

extension CriticRegularizer {
    public func prepare(_ critic: FloatCritic, training: Bool) {}
}

/// A bound evaluated with the analytic optimal critic of a known
/// distribution: log p(y|x)/p(y) plus the bound's own shift, with the
/// baseline at its optimum (q = p(y), i.e. zero in log-ratio form).
/// Nothing is trained (004 Figures 3 and 4).
public final class OptimalEstimator: Estimator {
    public private(set) var bound: any Bound
    public let density: @Sendable (Int) -> KnownDensity?
    public let negatives: NegativeSampling
    /// The bound's parallelism.
    public var parallelism: Parallelism = .allCores

    public init(bound: any Bound, source: any DataSource, negatives: NegativeSampling = .all) {
        self.bound = bound
        self.density = { source.density(step: $0) }
        self.negatives = negatives
    }

    public var name: String { "\(bound.name) with optimal critic" }
    public var stores: [ParameterStore<Float>] { [] }
    public func ceiling(batch: Int) -> Double? { bound.ceiling(batch: batch) }
    public var minimumBatch: Int { bound.minimumBatch }

    public func run(_ batch: Batch, step: Int, rng: inout RNG, train: Bool) -> StepOutcome {
        guard let d = density(step) else { preconditionFailure("the optimal critic needs a known density") }
        let k = batch.size
        var m = d.logRatio(x: batch.x, y: batch.y)
        for n in 0..<m.count { m.storage[n] += bound.optimalShift }
        let pairs: PairSet = negatives == .all ? .all(k) : .shuffled(rng.derangement(k))
        let values = m.storage.withUnsafeBufferPointer { gatherScores($0.baseAddress!, k: k, pairs: pairs) }
        let baseline: [Double]? = bound.baseline == .learned ? [Double](repeating: 0, count: k) : nil
        let result = bound.evaluate(Scores(values, pairs: pairs, parallelism: parallelism), logBaseline: baseline)
        return StepOutcome(estimate: result.estimate, objective: result.objective)
    }
}
