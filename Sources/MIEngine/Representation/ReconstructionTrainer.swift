import Dispatch

/// Trains an encoder g1 by 002 sec. 5.1's V-InfoMax principle: maximising
/// the predictive V-information I_V(g1(X) -> X) with V the Gaussians whose
/// mean is a decoder phi of a chosen family (linear, or an MLP) amounts to
/// minimising the L2 reconstruction loss of x from phi(g1(x)) over g1 and
/// phi together (002 eqs. 14, 15): a deterministic autoencoder whose
/// decoder family is matched to the model that will read the features.
///
/// On view pairs the decoder reconstructs x2 from g1(x1); on
/// `WholeImageViews` (x2 = x1) that is 002's autoencoder, on image halves
/// it predicts the other half. The loss is `ReconstructionPass`'s mean
/// squared error per value.
///
/// The schedule is 002 App. C.3's: the decoder is first trained alone on
/// the random, frozen g1 for `warmup` steps; then every block of
/// `encoderSteps` encoder steps (002: c2 = 1) follows `decoderSteps`
/// decoder steps (c1 = 10), each minimising the loss over its own
/// parameters with the other network fixed. With `joint` every step
/// instead differentiates both networks and updates both (002 App. D.5,
/// Fig. 14). Each network has its own Adam (002: learning rate 2.5e-4,
/// weight decay 1e-5). g1 runs with dropout on its hidden layers in every
/// training pass, the decoder's included (a PyTorch module left in
/// training mode), and without it when evaluated or probed. Every step, of
/// either kind, draws the next minibatch of an epoch's seeded shuffle of
/// the training split (the last partial batch dropped).
///
/// `hook` is called with g1 after the warm-up, every `evalEvery` steps and
/// after the last (a probe fitted afresh on the frozen features), beside
/// the test loss and I_V on a fixed set of test batches. Same seed, same
/// bits; `.serial` and `.allCores` give the same trace.
///
///     var rng = RNG(seed: 1)
///     let g1 = MLPEncoder<Float>(sizes: [784, 300, 300, 100], rng: &rng)
///     let trainer = ReconstructionTrainer(g1: .mlp(g1), decoder: .linear, values: 784, rng: &rng,
///                                         options: ReconstructionOptions(steps: 2000))
///     try trainer.check(views)
///     let trace = trainer.run(views)
public final class ReconstructionTrainer {
    public let g1: FloatEncoder
    public let decoderFamily: ReconstructionDecoder
    /// The decoder phi: g1's features to the `values` of x2.
    public let decoder: MLP<Float>
    public var options: ReconstructionOptions
    /// Called after every encoder (or joint) step.
    public var onStep: ((ReconstructionStep) -> Void)?
    /// Called after every evaluation, with the hook's metrics.
    public var onEvaluation: ((ReconstructionEvaluation) -> Void)?
    /// Polled before every encoder (or joint) step and every 100 warm-up
    /// steps; returning true stops the run.
    public var shouldStop: (() -> Bool)?
    /// Called at every evaluation with the steps completed and g1; what it
    /// returns is recorded. It may run g1 forward but must not change its parameters.
    public var hook: ((Int, FloatEncoder) -> [String: Double])?

    /// The decoder's weights are Glorot-uniform from `rng`, its biases zero.
    public init(g1: FloatEncoder, decoder family: ReconstructionDecoder, values: Int, rng: inout RNG,
                options: ReconstructionOptions = ReconstructionOptions()) {
        precondition(values >= 1, "a decoder needs at least one value out")
        if case .mlp(let hidden) = family { precondition(hidden.allSatisfy { $0 >= 1 }, "hidden widths must be positive") }
        self.g1 = g1
        decoderFamily = family
        self.options = options
        decoder = MLP(sizes: family.sizes(features: g1.outputSize, values: values), activation: .relu,
                      parallelism: options.parallelism, rng: &rng)
    }

    public var name: String { "V-InfoMax \(g1.name) with a \(decoderFamily) decoder" }

    /// Checks that the run can start on `views`; `run` would stop on a
    /// precondition otherwise.
    public func check(_ views: any ViewPairs) throws(RepresentationError) {
        let o = options
        if o.steps < 0 { throw .invalidOption(name: "steps", value: "\(o.steps)", expected: "0 or more") }
        if o.batch < 1 { throw .invalidOption(name: "the batch", value: "\(o.batch)", expected: "at least 1") }
        if !(o.learningRate > 0 && o.learningRate.isFinite) {
            throw .invalidOption(name: "the learning rate", value: "\(o.learningRate)", expected: "positive")
        }
        if !(o.weightDecay >= 0 && o.weightDecay.isFinite) {
            throw .invalidOption(name: "weight decay", value: "\(o.weightDecay)", expected: "0 or more")
        }
        if o.decoderSteps < 1 {
            throw .invalidOption(name: "decoder steps per block", value: "\(o.decoderSteps)", expected: "at least 1")
        }
        if o.encoderSteps < 1 {
            throw .invalidOption(name: "encoder steps per block", value: "\(o.encoderSteps)", expected: "at least 1")
        }
        if o.warmup < 0 { throw .invalidOption(name: "warm-up steps", value: "\(o.warmup)", expected: "0 or more") }
        if o.evalEvery < 0 { throw .invalidOption(name: "evalEvery", value: "\(o.evalEvery)", expected: "0 or more") }
        if o.evalEvery > 0 && o.evalBatches < 1 {
            throw .invalidOption(name: "evalBatches", value: "\(o.evalBatches)", expected: "at least 1")
        }
        if o.dropout.isActive {
            guard case .mlp(let e) = g1 else {
                throw .invalidOption(name: "dropout", value: "\(o.dropout)",
                                     expected: "0 for \(g1.name): it applies to an mlp encoder's hidden layers")
            }
            let hidden = e.network.hiddenLayers
            if o.dropout.rates.count > 1 && o.dropout.rates.count != hidden {
                throw .invalidOption(name: "dropout", value: "\(o.dropout)",
                                     expected: "one rate, or one per hidden layer of \(g1.name) (\(hidden))")
            }
        }
        if g1.inputSize != views.shape1.size {
            throw .encoderInput(encoder: g1.name, role: "g1", expects: g1.inputSize, view: views.shape1)
        }
        if decoder.outputSize != views.shape2.size {
            throw .invalidOption(name: "the decoder's values out", value: "\(decoder.outputSize)",
                                 expected: "x2's \(views.shape2.size) (\(views.shape2))")
        }
        if o.batch > views.count(.train) {
            throw .notEnoughItems(split: .train, needed: o.batch, available: views.count(.train),
                                  what: "a training batch of \(o.batch)")
        }
        if o.evalEvery > 0 && o.evalBatches * o.batch > views.count(.test) {
            throw .notEnoughItems(split: .test, needed: o.evalBatches * o.batch, available: views.count(.test),
                                  what: "\(o.evalBatches) test batches of \(o.batch)")
        }
    }

    /// Runs the warm-up and `options.steps` steps (fewer when `shouldStop`
    /// says so) with fresh Adam optimisers, from the current weights.
    public func run(_ views: any ViewPairs) -> ReconstructionTrace {
        let o = options, k = o.batch
        precondition(k > 0 && k <= views.count(.train), "batch \(k) does not fit the \(views.count(.train)) training items")
        g1.parallelism = o.parallelism
        decoder.parallelism = o.parallelism
        let pass = ReconstructionPass(encoder: g1, decoder: decoder, dropout: o.dropout)
        let decoderAdam = Adam(stores: [decoder.store], learningRate: o.learningRate, weightDecay: o.weightDecay,
                               parallelism: o.parallelism)
        let encoderAdam = Adam(stores: g1.stores, learningRate: o.learningRate, weightDecay: o.weightDecay,
                               parallelism: o.parallelism)
        var batches = Batches(views: views, batch: k, seed: o.seed)
        var masks = RNG(seed: o.seed, stream: 4)
        let test = o.evalEvery > 0 ? TestSet(views: views, batch: k, count: o.evalBatches, seed: o.seed,
                                             parallelism: o.parallelism) : nil
        var trace = ReconstructionTrace(name: "\(name) on \(views.name)", joint: o.joint)
        trace.warmupLosses.reserveCapacity(o.warmup)
        trace.steps.reserveCapacity(o.steps)
        let start = DispatchTime.now().uptimeNanoseconds

        func step(_ gradients: ReconstructionGradients) -> Double {
            let loss = batches.next(o.parallelism) { x1, x2 in
                pass.train(x1, target: x2, rows: k, gradients: gradients, rng: &masks)
            }
            if gradients != .encoder { decoderAdam.step() }
            if gradients != .decoder { encoderAdam.step() }
            return loss
        }

        func evaluate(after done: Int) {
            guard let test else { return }
            let losses = test.x1.indices.map { b in
                test.x1[b].withUnsafeBufferPointer { x in
                    test.x2[b].withUnsafeBufferPointer { pass.evaluate(x.baseAddress!, target: $0.baseAddress!, rows: k) }
                }
            }
            let loss = Statistics.mean(losses)
            let record = ReconstructionEvaluation(
                step: done, testLoss: loss, standardError: losses.count > 1 ? Statistics.standardError(losses) : 0,
                vInformation: test.spread - Double(views.shape2.size) * loss, metrics: hook?(done, g1) ?? [:])
            trace.evaluations.append(record)
            onEvaluation?(record)
        }

        for w in 0..<o.warmup {
            if w % 100 == 0, let shouldStop, shouldStop() {
                trace.interrupted = true
                return trace
            }
            trace.warmupLosses.append(step(.decoder))
        }
        evaluate(after: 0)
        for s in 0..<o.steps {
            if let shouldStop, shouldStop() {
                trace.interrupted = true
                break
            }
            var decoderLoss = Double.nan
            if !o.joint && s % o.encoderSteps == 0 {
                var sum = 0.0
                for _ in 0..<o.decoderSteps { sum += step(.decoder) }
                decoderLoss = sum / Double(o.decoderSteps)
            }
            let loss = step(o.joint ? .both : .encoder)
            let record = ReconstructionStep(step: s, loss: loss, decoderLoss: decoderLoss,
                                            time: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            trace.steps.append(record)
            onStep?(record)
            let done = s + 1
            if o.evalEvery > 0 && (done % o.evalEvery == 0 || done == o.steps) { evaluate(after: done) }
        }
        return trace
    }

    /// FLOPs of one encoder step with its share of decoder steps (joint:
    /// one joint step): a decoder step runs g1 forward (a third of
    /// `flops(rows:)`) and the decoder forward and backward; an encoder
    /// step runs both networks forward and backward.
    public func flopsPerStep() -> Double {
        let k = options.batch
        let phi = mlpFlops(decoder.sizes, rows: k), g = g1.flops(rows: k)
        if options.joint { return g + phi }
        let decoderSteps = Double(options.decoderSteps) / Double(options.encoderSteps)
        return decoderSteps * (g / 3 + phi) + g + phi
    }

    /// Minibatches of the training split's x1 and x2: epochs of a seeded
    /// shuffle, the last partial batch of each dropped.
    private struct Batches {
        let views: any ViewPairs, k: Int
        var order: [Int] = [], taken = 0
        var orderRNG: RNG, noiseRNG: RNG
        var x1: [Float], x2: [Float]

        init(views: any ViewPairs, batch: Int, seed: UInt64) {
            self.views = views
            k = batch
            orderRNG = RNG(seed: seed, stream: 2)
            noiseRNG = RNG(seed: seed, stream: 3)
            x1 = [Float](repeating: 0, count: batch * views.shape1.size)
            x2 = [Float](repeating: 0, count: batch * views.shape2.size)
        }

        /// Fills the next batch and runs `body` on its x1 and x2 rows.
        mutating func next<R>(_ parallelism: Parallelism,
                              _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
            let perEpoch = views.count(.train) / k
            let b = taken % perEpoch
            if b == 0 { order = orderRNG.permutation(views.count(.train)) }
            taken += 1
            let items = Array(order[(b * k)..<((b + 1) * k)])
            var noise = noiseRNG
            let views = self.views
            x1.withUnsafeMutableBufferPointer { a in
                x2.withUnsafeMutableBufferPointer { c in
                    views.fill(.train, items: items, x1: a.baseAddress!, x2: c.baseAddress!, rng: &noise,
                               parallelism: parallelism)
                }
            }
            noiseRNG = noise
            return x1.withUnsafeBufferPointer { a in x2.withUnsafeBufferPointer { body(a.baseAddress!, $0.baseAddress!) } }
        }
    }

    /// The run's fixed test batches: disjoint items of a seeded shuffle of
    /// the test split, their views (noise included) drawn once, and the
    /// mean squared distance of their targets to the targets' mean.
    private struct TestSet {
        var x1: [[Float]] = [], x2: [[Float]] = []
        /// (1/n) sum_i ||t_i - tbar||^2 over the n targets of all batches
        /// (nats: H_V(X2|0) less its constant, 002 eq. 14).
        var spread = 0.0

        init(views: any ViewPairs, batch: Int, count: Int, seed: UInt64, parallelism: Parallelism) {
            var pick = RNG(seed: seed, stream: 5), noise = RNG(seed: seed, stream: 6)
            let items = pick.permutation(views.count(.test))
            for b in 0..<count {
                let v = views.views(.test, items: Array(items[(b * batch)..<((b + 1) * batch)]), rng: &noise,
                                    parallelism: parallelism)
                x1.append(v.x1.storage)
                x2.append(v.x2.storage)
            }
            let d = views.shape2.size, n = Double(count * batch)
            var mean = [Double](repeating: 0, count: d)
            for t in x2 { for (j, v) in t.enumerated() { mean[j % d] += Double(v) } }
            for j in 0..<d { mean[j] /= n }
            var total = 0.0
            for t in x2 {
                for (j, v) in t.enumerated() {
                    let e = Double(v) - mean[j % d]
                    total += e * e
                }
            }
            spread = n > 0 ? total / n : 0
        }
    }
}
