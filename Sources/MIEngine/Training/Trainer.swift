import Dispatch

/// Settings of a training run.
public struct TrainingOptions: Sendable {
    public var steps: Int
    public var batch: Int
    public var learningRate: Double
    public var weightDecay: Double
    /// Seeds the data and negative-sampling streams (the networks take their
    /// own seeded generator when they are built).
    public var seed: UInt64
    /// Evaluate on the held-out split every this many steps (fixed datasets only; 0 = never).
    public var evalEvery: Int
    /// Whether the run may use every core: the sampler, the estimator (set
    /// from this when the run starts) and the optimiser. The trace is the
    /// same bits either way.
    public var parallelism: Parallelism

    public init(steps: Int = 4000, batch: Int = 64, learningRate: Double = 5e-4, weightDecay: Double = 0,
                seed: UInt64 = 0, evalEvery: Int = 100, parallelism: Parallelism = .allCores) {
        self.parallelism = parallelism
        self.steps = steps
        self.batch = batch
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.seed = seed
        self.evalEvery = evalEvery
    }
}

/// Runs an estimator over a data source step by step: a fresh batch per step
/// from a distribution, or minibatches of a fixed dataset with periodic
/// estimates on its held-out split.
public struct Trainer {
    public var options: TrainingOptions
    /// Called after every step (progress lines, live plots).
    public var onStep: ((TraceStep) -> Void)?
    /// Polled before every step; returning true stops the run (Ctrl-C).
    public var shouldStop: (() -> Bool)?

    public init(options: TrainingOptions, onStep: ((TraceStep) -> Void)? = nil, shouldStop: (() -> Bool)? = nil) {
        self.options = options
        self.onStep = onStep
        self.shouldStop = shouldStop
    }

    public func run(_ estimator: any Estimator, on data: any DataSource) -> Trace {
        var dataRNG = RNG(seed: options.seed, stream: 2)
        var sampleRNG = RNG(seed: options.seed, stream: 3)
        estimator.parallelism = options.parallelism
        let optimiser = estimator.isTrainable
            ? Adam(stores: estimator.stores, learningRate: options.learningRate, weightDecay: options.weightDecay,
                   parallelism: options.parallelism)
            : nil
        let heldOut = (data as? FixedDataset).map { $0.evaluationBatches(batch: options.batch) } ?? []
        var trace = Trace(name: estimator.name, ceiling: estimator.ceiling(batch: options.batch))
        trace.steps.reserveCapacity(options.steps)
        let start = DispatchTime.now().uptimeNanoseconds
        for step in 0..<options.steps {
            if let shouldStop, shouldStop() {
                trace.interrupted = true
                break
            }
            let batch = data.sample(batch: options.batch, step: step, rng: &dataRNG, parallelism: options.parallelism)
            let outcome = estimator.run(batch, step: step, rng: &sampleRNG, train: optimiser != nil)
            optimiser?.step()
            var record = TraceStep(step: step, estimate: outcome.estimate, truth: data.trueMI(step: step), time: 0)
            let isEvalStep = options.evalEvery > 0 && ((step + 1) % options.evalEvery == 0 || step == options.steps - 1)
            if !heldOut.isEmpty && isEvalStep {
                var evalRNG = RNG(seed: options.seed, stream: 4)
                let values = heldOut.map { estimator.run($0, step: step, rng: &evalRNG, train: false).estimate }
                record.heldOut = Statistics.mean(values)
            }
            record.time = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            trace.steps.append(record)
            onStep?(record)
        }
        return trace
    }
}
