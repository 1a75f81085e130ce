/// What the encoders and critic are trained to do with the bound I_EST.
public enum RepresentationObjective: Sendable, Equatable, Hashable, Codable {
    /// Maximise the bound (its training objective; 001 eq. 2).
    case maximize
    /// Minimise L_t = |I_EST - t| (001 sec. 3.3), so that encoders of
    /// different architectures reach the same bound: the gradient is
    /// sign(I_EST - t) times that of the bound's training objective.
    case target(Double)
}

/// Settings of a representation-learning run.
public struct RepresentationOptions: Sendable, Equatable {
    public var steps: Int
    public var batch: Int
    public var learningRate: Double
    /// L2 weight decay added to every gradient (PyTorch's Adam `weight_decay`).
    public var weightDecay: Double
    /// Seeds the minibatch order, the views' noise and the negative
    /// sampling (the networks take their own seeded generator when built).
    public var seed: UInt64
    /// Evaluate on the test split before training, every this many steps,
    /// and after the last (0: never).
    public var evalEvery: Int
    /// Test batches (of `batch` items, a fixed set for the run) averaged
    /// in each evaluation.
    public var evalBatches: Int
    public var objective: RepresentationObjective
    /// All K x K pairs, or one shuffled negative per positive.
    public var negatives: NegativeSampling
    /// Whether the run may use every core; the trace is the same bits either way.
    public var parallelism: Parallelism
    /// How the composite critic f(x1, x2) = critic(g1(x1), g2(x2)) is kept
    /// Lipschitz in the views: `.gradientPenalty(lambda:)` through the
    /// encoders (000 sec. 4.1; Wasserstein predictive coding with the wpc
    /// bound), or `.none`. Spectral normalisation is not supported here.
    public var lipschitz: Lipschitz

    public init(steps: Int = 3000, batch: Int = 128, learningRate: Double = 1e-4, weightDecay: Double = 0,
                seed: UInt64 = 0, evalEvery: Int = 500, evalBatches: Int = 20,
                objective: RepresentationObjective = .maximize, negatives: NegativeSampling = .all,
                parallelism: Parallelism = .allCores, lipschitz: Lipschitz = .none) {
        self.steps = steps
        self.batch = batch
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.seed = seed
        self.evalEvery = evalEvery
        self.evalBatches = evalBatches
        self.objective = objective
        self.negatives = negatives
        self.parallelism = parallelism
        self.lipschitz = lipschitz
    }
}

/// One training step's record.
public struct RepresentationStep: Sendable, Equatable, Codable {
    /// The step's index, 0-based.
    public var step: Int
    /// I_EST on this step's training batch, before its update (nats).
    public var estimate: Double
    /// The loss minimised on this batch: minus the bound's objective, or |I_EST - t|.
    public var loss: Double
    /// Seconds since training started, after this step.
    public var time: Double
    /// The gradient penalty at this step's interpolates (included in `loss`),
    /// when the run has one.
    public var penalty: Double? = nil
    /// The mean of ||∇_(x1,x2) f|| at those interpolates, when the run has a penalty.
    public var gradientNorm: Double? = nil
}

/// An evaluation on the test split, with what the hook returned.
public struct RepresentationEvaluation: Sendable, Equatable, Codable {
    /// Updates completed when evaluated (0: before training).
    public var step: Int
    /// I_EST on the test split: the mean over the run's fixed test batches.
    public var testEstimate: Double
    /// The standard error of that mean (over the batches).
    public var standardError: Double
    /// What the hook returned (probe accuracies, conditioning percentiles),
    /// and with a gradient penalty `grad_norm`: the mean of
    /// ||∇_(x1,x2) f|| at interpolates of the test batches.
    public var metrics: [String: Double]
}

/// The record of a representation-learning run.
public struct RepresentationTrace: Sendable, Equatable, Codable {
    /// e.g. `nce with bilinear, g1 = g2 = mlp(300, 300, 100) on fashion-mnist top/bottom halves`.
    public var name: String
    public var steps: [RepresentationStep]
    public var evaluations: [RepresentationEvaluation]
    /// The estimate's ceiling at this batch size (log K for nce), if any.
    public var ceiling: Double?
    /// The target t of a target-matching run.
    public var target: Double?
    /// True when the run was stopped before its last step.
    public var interrupted: Bool

    public init(name: String, steps: [RepresentationStep] = [], evaluations: [RepresentationEvaluation] = [],
                ceiling: Double? = nil, target: Double? = nil, interrupted: Bool = false) {
        self.name = name
        self.steps = steps
        self.evaluations = evaluations
        self.ceiling = ceiling
        self.target = target
        self.interrupted = interrupted
    }

    /// The training-batch estimates, one per step.
    public var estimates: [Double] { steps.map(\.estimate) }
    /// (updates completed, test I_EST) of every evaluation.
    public var testEstimates: [(step: Int, value: Double)] { evaluations.map { ($0.step, $0.testEstimate) } }
    /// (updates completed, value) of a hook metric, where the hook returned it.
    public func metric(_ key: String) -> [(step: Int, value: Double)] {
        evaluations.compactMap { e in e.metrics[key].map { (e.step, $0) } }
    }
}
