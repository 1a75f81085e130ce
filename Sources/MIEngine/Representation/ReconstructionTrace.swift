/// Settings of a V-InfoMax run (defaults: 002 App. C.3, MNIST, except the
/// decoder's warm-up, which 002 runs for 150 epochs).
public struct ReconstructionOptions: Sendable, Equatable {
    /// Encoder steps after the warm-up (joint steps when `joint`).
    public var steps: Int
    /// Items per minibatch, for every step (002: 128).
    public var batch: Int
    /// Adam's learning rate, for g1 and the decoder alike (002: 2.5e-4).
    public var learningRate: Double
    /// L2 weight decay added to both networks' gradients (002: 1e-5).
    public var weightDecay: Double
    /// Dropout on g1's hidden layers in every training pass (002: 0.5, 0.5);
    /// g1 runs without it when evaluated and probed.
    public var dropout: Dropout
    /// Decoder steps before each block of `encoderSteps` encoder steps (002: c1 = 10).
    public var decoderSteps: Int
    /// Encoder steps per block (002: c2 = 1).
    public var encoderSteps: Int
    /// Decoder steps on the random, frozen g1 before anything else
    /// (002 trains the decoder for 150 epochs first).
    public var warmup: Int
    /// Joint gradient steps on g1 and the decoder instead of alternating
    /// (002 App. D.5, Fig. 14); `decoderSteps` and `encoderSteps` are not used.
    public var joint: Bool
    /// Seeds the minibatch order, the views' noise, the dropout masks and the test batches.
    public var seed: UInt64
    /// Evaluate after the warm-up, every this many steps and after the last (0: never).
    public var evalEvery: Int
    /// Test batches (of `batch` items, fixed for the run) in each evaluation.
    public var evalBatches: Int
    /// Whether the run may use every core; the trace is the same bits either way.
    public var parallelism: Parallelism

    public init(steps: Int = 1000, batch: Int = 128, learningRate: Double = 2.5e-4, weightDecay: Double = 1e-5,
                dropout: Dropout = 0.5, decoderSteps: Int = 10, encoderSteps: Int = 1, warmup: Int = 1000,
                joint: Bool = false, seed: UInt64 = 0, evalEvery: Int = 100, evalBatches: Int = 20,
                parallelism: Parallelism = .allCores) {
        self.steps = steps
        self.batch = batch
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.dropout = dropout
        self.decoderSteps = decoderSteps
        self.encoderSteps = encoderSteps
        self.warmup = warmup
        self.joint = joint
        self.seed = seed
        self.evalEvery = evalEvery
        self.evalBatches = evalBatches
        self.parallelism = parallelism
    }
}

/// One encoder step's record (a joint step's, when joint).
public struct ReconstructionStep: Sendable, Equatable, Codable {
    /// The step's index, 0-based.
    public var step: Int
    /// The training loss on its batch before the update (mean squared
    /// error per value, with g1's dropout).
    public var loss: Double
    /// The mean training loss of the decoder steps run just before it
    /// (nan when none ran: joint, or inside a block of encoder steps).
    public var decoderLoss: Double
    /// Seconds since the run started, after this step.
    public var time: Double
}

/// An evaluation on the run's fixed test batches, with what the hook returned.
public struct ReconstructionEvaluation: Sendable, Equatable, Codable {
    /// Steps completed (0: after the warm-up, before the first).
    public var step: Int
    /// The mean over the test batches of their reconstruction loss (mean
    /// squared error per value, g1 without dropout).
    public var testLoss: Double
    /// Its standard error over the batches (0 with one batch).
    public var standardError: Double
    /// I_V(g1(X1) -> X2) on the test batches in nats (002 eq. 14 with
    /// Sigma = I/2, where -log N(x; m, I/2) = ||x - m||^2 + D/2 log pi):
    /// the mean squared distance of a target to the batches' mean target
    /// (the best constant prediction, H_V(X|0)) minus the mean summed
    /// squared error of the decoder's (H_V(X|g1(X))).
    public var vInformation: Double
    /// What the hook returned (probes on g1's frozen features).
    public var metrics: [String: Double]
}

/// The record of a V-InfoMax run.
public struct ReconstructionTrace: Sendable, Equatable, Codable {
    public var name: String
    /// Whether the steps were joint (else alternating).
    public var joint: Bool
    /// The decoder's training loss at each warm-up step.
    public var warmupLosses: [Double]
    public var steps: [ReconstructionStep]
    public var evaluations: [ReconstructionEvaluation]
    /// True when the run was stopped before its last step.
    public var interrupted: Bool

    public init(name: String, joint: Bool = false, warmupLosses: [Double] = [], steps: [ReconstructionStep] = [],
                evaluations: [ReconstructionEvaluation] = [], interrupted: Bool = false) {
        self.name = name
        self.joint = joint
        self.warmupLosses = warmupLosses
        self.steps = steps
        self.evaluations = evaluations
        self.interrupted = interrupted
    }

    /// (steps completed, value) of a hook metric, where the hook returned it.
    public func metric(_ key: String) -> [(step: Int, value: Double)] {
        evaluations.compactMap { e in e.metrics[key].map { (e.step, $0) } }
    }
}
