import Dispatch

/// Trains encoders g1, g2 and a critic through a bound on
/// I(g1(x1); g2(x2)) (001 sec. 3, eq. 2), on minibatches of view pairs:
/// maximise the bound, or match a target value of it (001 sec. 3.3).
///
/// Each step draws `batch` training items (epochs of a seeded shuffle, the
/// last partial batch of an epoch dropped), fills their views (fresh
/// coupled noise), runs `RepresentationPass`, and takes one Adam step on
/// every parameter (encoders, critic, baseline; a shared encoder's once;
/// each encoder's on the core that computed its gradients: one optimiser
/// per encoder and one for the rest, which update every parameter exactly
/// as a single optimiser would).
/// Before training, every `evalEvery` steps and after the last, the test
/// split's I_EST is the mean over a fixed set of `evalBatches` test
/// batches (the same items, noise and negatives each time), with its
/// standard error, and `hook` is called with g1. Same seed, same bits;
/// `.serial` and `.allCores` give the same trace.
///
/// With `options.lipschitz = .gradientPenalty(lambda:)` every step also
/// adds the gradient penalty on f(x1, x2) = critic(g1(x1), g2(x2)) in the
/// views, through the encoders (RepresentationPass+Penalty.swift; with the
/// wpc bound this is 000's Wasserstein predictive coding, eq. 4), its
/// interpolates drawn from their own stream of the seed; each evaluation
/// then also records `grad_norm`, the mean ||∇_(x1,x2) f|| at interpolates
/// of the test batches (drawn the same at every evaluation). λ = 0 records
/// the norms and trains exactly as without a penalty.
///
///     let trainer = RepresentationTrainer(g1: .mlp(a), g2: .mlp(b), critic: .bilinear(w), bound: InfoNCE(),
///                                         options: RepresentationOptions(steps: 3000))
///     try trainer.check(views)
///     let trace = trainer.run(views)
public final class RepresentationTrainer {
    public let g1: FloatEncoder
    public let g2: FloatEncoder
    public let critic: FloatCritic
    /// The bound as training left it (MINE keeps a moving average).
    public private(set) var bound: any Bound
    /// log a(y) or log q(y) on g2's features, for bounds that need one.
    public let baseline: MLP<Float>?
    public var options: RepresentationOptions
    /// Called after every step (progress lines, live plots).
    public var onStep: ((RepresentationStep) -> Void)?
    /// Called after every test evaluation, with the hook's metrics.
    public var onEvaluation: ((RepresentationEvaluation) -> Void)?
    /// Polled before every step; returning true stops the run (Ctrl-C).
    public var shouldStop: (() -> Bool)?
    /// Called at every evaluation with the updates completed and g1 (probes,
    /// Jacobian conditioning); what it returns is recorded. It may run g1
    /// forward (the trainer's next step runs its own forward first) but
    /// must not change its parameters.
    public var hook: ((Int, FloatEncoder) -> [String: Double])?

    public init(g1: FloatEncoder, g2: FloatEncoder, critic: FloatCritic, bound: any Bound, baseline: MLP<Float>? = nil,
                options: RepresentationOptions = RepresentationOptions()) {
        self.g1 = g1
        self.g2 = g2
        self.critic = critic
        self.bound = bound
        self.baseline = baseline
        self.options = options
    }

    /// Whether g1 and g2 are one encoder (shared weights).
    public var sharesEncoder: Bool { g1.generic === g2.generic }

    /// e.g. `nce with bilinear, g1 = g2 = mlp(300, 300, 100)`.
    public var name: String {
        let encoders = sharesEncoder ? "g1 = g2 = \(g1.name)" : "g1 = \(g1.name), g2 = \(g2.name)"
        let goal: String
        switch options.objective {
        case .maximize: goal = ""
        case .target(let t): goal = ", target \(t)"
        }
        let lipschitz = options.lipschitz == .none ? "" : ", lipschitz=\(options.lipschitz)"
        return "\(bound.name) with \(critic.name)\(lipschitz), \(encoders)\(goal)"
    }

    /// Every parameter store trained, each once.
    public var stores: [ParameterStore<Float>] { makePass().stores }

    private func makePass() -> RepresentationPass<FloatEncoder, FloatCritic> {
        var penalty: GradientPenalty? = nil
        if case .gradientPenalty(let lambda) = options.lipschitz { penalty = GradientPenalty(lambda: lambda) }
        return RepresentationPass(g1: g1, g2: g2, critic: critic, baseline: baseline, parallelism: options.parallelism,
                                  penalty: penalty, penaltyRNG: RNG(seed: options.seed, stream: Self.penaltyStream))
    }

    /// Streams of the seed for the training penalty's interpolates and the
    /// evaluations' (after those the trainer already uses, 2 to 7).
    static let penaltyStream: UInt64 = 8, evaluationPenaltyStream: UInt64 = 9

    private var pairs: (Int, inout RNG) -> PairSet {
        let all = options.negatives == .all
        return { k, rng in all ? .all(k) : .shuffled(rng.derangement(k)) }
    }

    /// Checks that the run can start on `views`; `run` would stop on a
    /// precondition otherwise.
    public func check(_ views: any ViewPairs) throws(RepresentationError) {
        let o = options
        if o.steps < 0 { throw .invalidOption(name: "steps", value: "\(o.steps)", expected: "0 or more") }
        if !(o.learningRate > 0 && o.learningRate.isFinite) {
            throw .invalidOption(name: "the learning rate", value: "\(o.learningRate)", expected: "positive")
        }
        if !(o.weightDecay >= 0 && o.weightDecay.isFinite) {
            throw .invalidOption(name: "weight decay", value: "\(o.weightDecay)", expected: "0 or more")
        }
        if o.evalEvery < 0 { throw .invalidOption(name: "evalEvery", value: "\(o.evalEvery)", expected: "0 or more") }
        if o.evalEvery > 0 && o.evalBatches < 1 {
            throw .invalidOption(name: "evalBatches", value: "\(o.evalBatches)", expected: "at least 1")
        }
        if case .target(let t) = o.objective, !t.isFinite {
            throw .invalidOption(name: "the target", value: "\(t)", expected: "a finite number of nats")
        }
        if g1.inputSize != views.shape1.size {
            throw .encoderInput(encoder: g1.name, role: "g1", expects: g1.inputSize, view: views.shape1)
        }
        if g2.inputSize != views.shape2.size {
            throw .encoderInput(encoder: g2.name, role: sharesEncoder ? "g1 (shared as g2)" : "g2",
                                expects: g2.inputSize, view: views.shape2)
        }
        let dims = critic.inputDims
        if dims.x != g1.outputSize || dims.y != g2.outputSize {
            throw .criticInput(critic: critic.name, expects: dims, features: (g1.outputSize, g2.outputSize))
        }
        if bound.baseline == .learned {
            guard let baseline else { throw .missingBaseline(bound: bound.name) }
            if baseline.inputSize != g2.outputSize || baseline.outputSize != 1 {
                throw .baselineShape(expects: (g2.outputSize, 1), found: (baseline.inputSize, baseline.outputSize))
            }
        }
        if bound.needsAllPairs && o.negatives == .shuffled { throw .needsAllPairs(bound: bound.name) }
        switch o.lipschitz {
        case .none: break
        case .spectralNorm: throw .spectralNormOfComposite
        case .gradientPenalty(let lambda):
            if !(lambda >= 0 && lambda.isFinite) {
                throw .invalidOption(name: "the penalty weight", value: "\(lambda)", expected: "0 or more")
            }
            if g1.tangent == nil { throw .penaltyThroughEncoder(encoder: g1.name, role: sharesEncoder ? "g1 = g2" : "g1") }
            if g2.tangent == nil { throw .penaltyThroughEncoder(encoder: g2.name, role: "g2") }
        }
        if o.batch < bound.minimumBatch {
            throw .batchTooSmall(batch: o.batch, minimum: bound.minimumBatch, bound: bound.name)
        }
        // Even with no steps: the batch sizes the test batches too, and a
        // batch the training split cannot fill is a mistake in the setting.
        if o.batch > views.count(.train) {
            throw .notEnoughItems(split: .train, needed: o.batch, available: views.count(.train),
                                  what: "a training batch of \(o.batch)")
        }
        if o.evalEvery > 0 && o.evalBatches * o.batch > views.count(.test) {
            throw .notEnoughItems(split: .test, needed: o.evalBatches * o.batch, available: views.count(.test),
                                  what: "\(o.evalBatches) test batches of \(o.batch)")
        }
    }

    /// Trains for `options.steps` steps (fewer when `shouldStop` says so)
    /// with a fresh Adam optimiser, from the networks' current weights.
    public func run(_ views: any ViewPairs) -> RepresentationTrace {
        let o = options, k = o.batch
        precondition(k > 0 && k <= views.count(.train), "batch \(k) does not fit the \(views.count(.train)) training items")
        g1.parallelism = o.parallelism
        g2.parallelism = o.parallelism
        critic.parallelism = o.parallelism
        baseline?.parallelism = o.parallelism
        let pass = makePass()
        func adam(_ stores: [ParameterStore<Float>]) -> Adam<Float> {
            Adam(stores: stores, learningRate: o.learningRate, weightDecay: o.weightDecay, parallelism: o.parallelism)
        }
        let encoderOptimisers = (sharesEncoder ? [g1.stores] : [g1.stores, g2.stores]).map(adam)
        let headOptimiser = adam(pass.headStores)
        var orderRNG = RNG(seed: o.seed, stream: 2), noiseRNG = RNG(seed: o.seed, stream: 3)
        var negativeRNG = RNG(seed: o.seed, stream: 4)
        let evaluation = TestBatches(views: views, options: o)
        var x1 = [Float](repeating: 0, count: k * views.shape1.size)
        var x2 = [Float](repeating: 0, count: k * views.shape2.size)
        let perEpoch = views.count(.train) / k
        var order: [Int] = []
        var target: Double? = nil
        if case .target(let t) = o.objective { target = t }
        var trace = RepresentationTrace(name: "\(name) on \(views.name)", ceiling: bound.ceiling(batch: k), target: target)
        trace.steps.reserveCapacity(o.steps)
        let start = DispatchTime.now().uptimeNanoseconds

        func evaluate(after step: Int) {
            guard let evaluation else { return }
            let values = evaluation.estimates(pass, bound: bound, pairs: pairs)
            var metrics = hook?(step, g1) ?? [:]
            if let penalty = pass.penalty { metrics["grad_norm"] = evaluation.gradientNorm(pass, penalty) }
            let record = RepresentationEvaluation(step: step, testEstimate: Statistics.mean(values),
                                                  standardError: values.count > 1 ? Statistics.standardError(values) : 0,
                                                  metrics: metrics)
            trace.evaluations.append(record)
            onEvaluation?(record)
        }

        evaluate(after: 0)
        for step in 0..<o.steps {
            if let shouldStop, shouldStop() {
                trace.interrupted = true
                break
            }
            let b = step % perEpoch
            if b == 0 { order = orderRNG.permutation(views.count(.train)) }
            let items = Array(order[(b * k)..<((b + 1) * k)])
            x1.withUnsafeMutableBufferPointer { a in
                x2.withUnsafeMutableBufferPointer { c in
                    views.fill(.train, items: items, x1: a.baseAddress!, x2: c.baseAddress!, rng: &noiseRNG,
                               parallelism: o.parallelism)
                }
            }
            let batchPairs = pairs(k, &negativeRNG)
            let outcome = x1.withUnsafeBufferPointer { a in
                x2.withUnsafeBufferPointer { c in
                    pass.run(x1: a.baseAddress!, x2: c.baseAddress!, k: k, pairs: batchPairs, bound: &bound,
                             objective: o.objective, train: true) { encoderOptimisers[$0].step() }
                }
            }
            headOptimiser.step()
            let record = RepresentationStep(step: step, estimate: outcome.estimate, loss: outcome.loss,
                                            time: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                                            penalty: outcome.penalty?.value, gradientNorm: outcome.penalty?.meanNorm)
            trace.steps.append(record)
            onStep?(record)
            let done = step + 1
            if o.evalEvery > 0 && (done % o.evalEvery == 0 || done == o.steps) { evaluate(after: done) }
        }
        return trace
    }

    /// The run's fixed test batches: `evalBatches` disjoint sets of items
    /// from a seeded shuffle of the test split, their views drawn once
    /// (noise included), and each evaluation's negatives from the same
    /// generator state, so evaluations differ only through the networks.
    private struct TestBatches {
        var x1: [[Float]], x2: [[Float]]
        let k: Int, seed: UInt64

        init?(views: any ViewPairs, options o: RepresentationOptions) {
            guard o.evalEvery > 0 && o.evalBatches > 0 else { return nil }
            k = o.batch
            seed = o.seed
            var pick = RNG(seed: o.seed, stream: 5), noise = RNG(seed: o.seed, stream: 6)
            let items = pick.permutation(views.count(.test))
            x1 = []
            x2 = []
            for b in 0..<o.evalBatches {
                let v = views.views(.test, items: Array(items[(b * o.batch)..<((b + 1) * o.batch)]), rng: &noise,
                                    parallelism: o.parallelism)
                x1.append(v.x1.storage)
                x2.append(v.x2.storage)
            }
        }

        /// I_EST of each batch (the bound evaluated on a copy, so a
        /// stateful bound's training state is untouched).
        func estimates(_ pass: RepresentationPass<FloatEncoder, FloatCritic>, bound: any Bound,
                       pairs: (Int, inout RNG) -> PairSet) -> [Double] {
            var negatives = RNG(seed: seed, stream: 7)
            return x1.indices.map { b in
                var copy = bound
                let p = pairs(k, &negatives)
                return x1[b].withUnsafeBufferPointer { a in
                    x2[b].withUnsafeBufferPointer { c in
                        pass.run(x1: a.baseAddress!, x2: c.baseAddress!, k: k, pairs: p, bound: &copy,
                                 objective: .maximize, train: false).estimate
                    }
                }
            }
        }

        /// The mean over the test batches of mean_r ||∇_(x1,x2) f(x̂_r)||,
        /// at interpolates drawn from the same generator state each time.
        func gradientNorm(_ pass: RepresentationPass<FloatEncoder, FloatCritic>, _ penalty: GradientPenalty) -> Double {
            var rng = RNG(seed: seed, stream: RepresentationTrainer.evaluationPenaltyStream)
            let norms = x1.indices.map { b in
                let (h1, h2) = x1[b].withUnsafeBufferPointer { a in
                    x2[b].withUnsafeBufferPointer { c in pass.interpolates(a.baseAddress!, c.baseAddress!, k: k, rng: &rng) }
                }
                return pass.evaluatePenalty(penalty, x1: h1, x2: h2).meanNorm
            }
            return Statistics.mean(norms)
        }
    }

    /// FLOPs of one training step (encoders, critic, baseline), for the benchmark.
    public func flopsPerStep() -> Double {
        let k = options.batch
        let pairs: PairSet = options.negatives == .all ? .all(k) : .shuffled(Array(0..<k))
        let encoders = sharesEncoder ? g1.flops(rows: 2 * k) : g1.flops(rows: k) + g2.flops(rows: k)
        return encoders + critic.flops(batch: k, pairs: pairs) + (baseline.map { mlpFlops($0.sizes, rows: k) } ?? 0)
    }

    /// `rows` encoded by `encoder` in chunks of `RepresentationTrainer.encodeChunk`
    /// rows (features for probes); see the static `encode`.
    public func encode(_ rows: Matrix<Float>, with encoder: FloatEncoder) -> Matrix<Float> {
        Self.encode(rows, with: encoder, parallelism: options.parallelism)
    }

    /// Rows per forward pass of `encode`: fixed, so features do not depend
    /// on how many rows are encoded at once elsewhere.
    public static let encodeChunk = 1024

    /// Encodes every row of `rows` (n x encoder.inputSize) in fixed chunks
    /// of rows, so memory stays that of one chunk's activations; the
    /// result is n x encoder.outputSize. It overwrites what the encoder
    /// kept from its last forward pass.
    public static func encode(_ rows: Matrix<Float>, with encoder: FloatEncoder,
                              parallelism: Parallelism = .allCores) -> Matrix<Float> {
        precondition(rows.cols == encoder.inputSize, "\(encoder.name) reads \(encoder.inputSize) values, got \(rows.cols)")
        let saved = encoder.parallelism
        encoder.parallelism = parallelism
        defer { encoder.parallelism = saved }
        let n = rows.rows, out = encoder.outputSize, width = rows.cols
        var features = Matrix<Float>(rows: n, cols: out)
        rows.storage.withUnsafeBufferPointer { src in
            features.storage.withUnsafeMutableBufferPointer { dst in
                for start in stride(from: 0, to: n, by: encodeChunk) {
                    let m = Swift.min(encodeChunk, n - start)
                    let f = encoder.forward(src.baseAddress! + start * width, rows: m)
                    (dst.baseAddress! + start * out).update(from: f, count: m * out)
                }
            }
        }
        return features
    }
}
