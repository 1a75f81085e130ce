import Foundation
import Testing
@testable import MIEngine

/// 002 sec. 5.1's V-InfoMax autoencoder: the reconstruction loss's
/// gradients against central finite differences in Double (with and
/// without a fixed dropout mask), the loss and I_V as defined, the
/// alternating and joint schedules doing what they are for, runs
/// reproducible bit for bit, the hook, and every way a run cannot start.
@Suite struct ReconstructionTrainerTests {
    /// Toy 8x8 images of 10 classes: each class a fixed random prototype
    /// scaled by a random brightness, plus pixel noise (so the images lie
    /// near a 10-dimensional subspace a bottleneck can learn).
    static func images(_ n: Int, seed: UInt64, name: String) -> FashionMNIST {
        var protos = RNG(seed: 77), rng = RNG(seed: seed)
        let prototypes = (0..<10).map { _ in (0..<64).map { _ in protos.uniform() } }
        var pixels: [UInt8] = [], labels: [UInt8] = []
        for i in 0..<n {
            let c = i % 10, brightness = 0.5 + 0.5 * rng.uniform()
            for j in 0..<64 {
                let v = 255 * (brightness * prototypes[c][j]) + 12 * rng.normal()
                pixels.append(UInt8(Swift.max(0, Swift.min(255, v.rounded()))))
            }
            labels.append(UInt8(c))
        }
        return try! FashionMNIST(images: ImageSet(count: n, height: 8, width: 8, pixels: pixels)!, imagesFile: "images",
                                 labels: labels, labelsFile: "labels", name: name)
    }

    static let views = try! WholeImageViews(train: images(2000, seed: 1, name: "toy(train)"),
                                            test: images(512, seed: 2, name: "toy(test)"))

    /// A 64-32-6 MLP encoder (a bottleneck below the images' 10 directions)
    /// and a decoder of `family`, at a learning rate for short runs.
    static func trainer(seed: UInt64 = 3, steps: Int, decoder: ReconstructionDecoder = .linear, joint: Bool = false,
                        warmup: Int = 100, learningRate: Double = 3e-3, dropout: Dropout = 0.1,
                        parallelism: Parallelism = .allCores) -> ReconstructionTrainer {
        var rng = RNG(seed: seed, stream: 1)
        let g1 = MLPEncoder<Float>(sizes: [64, 32, 6], rng: &rng)
        let options = ReconstructionOptions(steps: steps, batch: 64, learningRate: learningRate, weightDecay: 1e-5,
                                            dropout: dropout, decoderSteps: 2, encoderSteps: 1, warmup: warmup,
                                            joint: joint, seed: seed, evalEvery: 25, evalBatches: 8,
                                            parallelism: parallelism)
        return ReconstructionTrainer(g1: .mlp(g1), decoder: decoder, values: 64, rng: &rng, options: options)
    }

    /// The loss from its definition, with the masks `rng` gives (the same
    /// state, the same masks), g1 through its network so that dropout applies.
    static func loss(_ g1: MLPEncoder<Double>, _ decoder: MLP<Double>, x: [Double], t: [Double], rows: Int,
                     dropout: Dropout, rng: RNG) -> Double {
        var masks = rng
        let f = x.withUnsafeBufferPointer { g1.network.forward($0.baseAddress!, rows: rows, dropout: dropout, rng: &masks) }
        let y = decoder.forward(f, rows: rows)
        var sum = 0.0
        for j in 0..<(rows * decoder.outputSize) { sum += (y[j] - t[j]) * (y[j] - t[j]) }
        return sum / Double(rows * decoder.outputSize)
    }

    /// Both networks' gradients (decoder linear or MLP, g1 with or without
    /// a dropout mask held fixed) against central differences of the loss;
    /// each kind of step differentiates what it says.
    @Test(arguments: [(ReconstructionDecoder.linear, 0.0), (.mlp(hidden: [5, 4]), 0.0), (.linear, 0.4),
                      (.mlp(hidden: [5]), 0.3)])
    func gradientsMatchFiniteDifferences(_ family: ReconstructionDecoder, _ p: Double) throws {
        var rng = RNG(seed: 29)
        let g1 = MLPEncoder<Double>(sizes: [7, 6, 5, 3], parallelism: .serial, rng: &rng)
        let decoder = MLP<Double>(sizes: family.sizes(features: 3, values: 8), activation: .relu, parallelism: .serial,
                                  rng: &rng)
        LayerCheck.perturb(g1.stores + [decoder.store], scale: 0.2, rng: &rng)
        let dropout = Dropout(p)
        let pass = ReconstructionPass(encoder: GenericEncoderPass(encoder: g1), decoder: decoder, dropout: dropout)
        let k = 6
        let x = rng.normals(k * 7), t = rng.normals(k * 8)
        let masks = RNG(seed: 5)
        func train(_ gradients: ReconstructionGradients) -> Double {
            var r = masks
            return x.withUnsafeBufferPointer { a in
                t.withUnsafeBufferPointer { pass.train(a.baseAddress!, target: $0.baseAddress!, rows: k, gradients: gradients, rng: &r) }
            }
        }
        let loss = { Self.loss(g1, decoder, x: x, t: t, rows: k, dropout: dropout, rng: masks) }
        #expect(abs(train(.both) - loss()) < 1e-12)
        let plain = x.withUnsafeBufferPointer { a in t.withUnsafeBufferPointer { pass.evaluate(a.baseAddress!, target: $0.baseAddress!, rows: k) } }
        #expect(abs(plain - Self.loss(g1, decoder, x: x, t: t, rows: k, dropout: .none, rng: masks)) < 1e-12)
        #expect(p == 0 || abs(plain - loss()) > 1e-6, "evaluation runs without dropout")

        func grads(_ stores: [ParameterStore<Double>]) -> [[Double]] { stores.map { Array($0.grads.prefix($0.count)) } }
        _ = train(.both)
        let both = (encoder: grads(g1.stores), decoder: grads([decoder.store]))
        for (i, store) in (g1.stores + [decoder.store]).enumerated() {
            let analytic = i < g1.stores.count ? both.encoder[i] : both.decoder[0]
            let error = LayerCheck.error(analytic: analytic, indices: nil, values: store.values, loss: loss)
            #expect(error < gradientTolerance, "store \(i) (\(family), dropout \(p)): relative error \(error)")
        }
        for s in g1.stores { s.grads.update(repeating: 7) }
        _ = train(.decoder)
        #expect(g1.stores.allSatisfy { $0.grads.prefix($0.count).allSatisfy { $0 == 7 } }, "a decoder step leaves g1's gradients")
        #expect(grads([decoder.store]) == both.decoder)
        _ = train(.encoder)
        #expect(grads(g1.stores) == both.encoder)
    }

    /// I_V on the test batches is the targets' spread less D times the
    /// loss: zero for a decoder that predicts the test targets' mean.
    @Test func vInformationOfTheMeanIsZero() throws {
        let trainer = Self.trainer(steps: 0, warmup: 0)
        trainer.options.evalEvery = 1
        let store = trainer.decoder.store, layer = trainer.decoder.layers[0]
        for i in 0..<store.count { store.values[i] = 0 }
        var pick = RNG(seed: 3, stream: 5), noise = RNG(seed: 3, stream: 6)
        let items = Array(pick.permutation(Self.views.count(.test)).prefix(8 * 64))
        let targets = Self.views.views(.test, items: items, rng: &noise).x2
        for j in 0..<64 {
            store.values[layer.biasOffset + j] = Float((0..<targets.rows).reduce(0.0) { $0 + Double(targets[$1, j]) }
                                                       / Double(targets.rows))
        }
        let trace = trainer.run(Self.views)
        let first = try #require(trace.evaluations.first)
        #expect(trace.evaluations.count == 1 && first.step == 0)
        #expect(abs(first.vInformation) < 1e-4 * 64 * first.testLoss, "\(first)")
        #expect(first.testLoss > 0.01)
    }

    /// Trained through the decoder, the bottleneck encoder reconstructs
    /// test images far better than the same random encoder frozen under a
    /// decoder given as many steps; I_V rises as the loss falls.
    @Test(arguments: [false, true]) func theEncoderLearnsToReconstruct(_ joint: Bool) throws {
        let trainer = Self.trainer(steps: 300, joint: joint)
        try trainer.check(Self.views)
        let trace = trainer.run(Self.views)
        let frozen = Self.trainer(steps: 0, warmup: 100 + (joint ? 300 : 3 * 300)).run(Self.views)
        #expect(trace.joint == joint && trace.warmupLosses.count == 100 && trace.steps.count == 300)
        #expect(trace.evaluations.map(\.step) == Array(stride(from: 0, through: 300, by: 25)))
        #expect(trace.steps.allSatisfy { joint ? $0.decoderLoss.isNaN : $0.decoderLoss.isFinite })
        let first = try #require(trace.evaluations.first), last = try #require(trace.evaluations.last)
        let control = try #require(frozen.evaluations.last)
        #expect(last.testLoss < 0.6 * control.testLoss, "\(last.testLoss) vs frozen \(control.testLoss)")
        #expect(last.testLoss < first.testLoss && last.vInformation > first.vInformation)
        #expect(abs(last.vInformation - first.vInformation - 64 * (first.testLoss - last.testLoss)) < 1e-9)
    }

    /// With c2 = 3 encoder steps per block, the decoder steps run before
    /// encoder steps 0, 3, 6, ...
    @Test func blocksOfEncoderSteps() throws {
        let trainer = Self.trainer(steps: 7)
        trainer.options.encoderSteps = 3
        let trace = trainer.run(Self.views)
        #expect(trace.steps.map { !$0.decoderLoss.isNaN } == [true, false, false, true, false, false, true])
    }

    /// Same seed, same bits, on one core or all; another seed differs.
    @Test(arguments: [ReconstructionDecoder.linear, .mlp(hidden: [16])]) func reproducible(_ family: ReconstructionDecoder) throws {
        func run(_ seed: UInt64, _ p: Parallelism) -> ReconstructionTrace {
            var trace = Self.trainer(seed: seed, steps: 20, decoder: family, warmup: 10, parallelism: p).run(Self.views)
            for i in trace.steps.indices { trace.steps[i].time = 0 }
            return trace
        }
        let a = run(4, .allCores)
        #expect(a.evaluations.map(\.step) == [0, 20])
        #expect(a == run(4, .allCores))
        #expect(a == run(4, .serial))
        #expect(a.steps.map(\.loss) != run(5, .allCores).steps.map(\.loss))
    }

    /// The hook sees g1 at every evaluation and its metrics are recorded;
    /// `shouldStop` ends the run; the trace round-trips through JSON.
    @Test func hookStopAndCodable() throws {
        let trainer = Self.trainer(steps: 100)
        trainer.options.evalEvery = 15
        var seen: [Int] = []
        trainer.hook = { step, g1 in
            seen.append(step)
            #expect(g1.name == "mlp(32, 6)")
            return ["step": Double(step)]
        }
        var steps = 0
        trainer.onStep = { _ in steps += 1 }
        trainer.shouldStop = { steps >= 40 }
        let trace = trainer.run(Self.views)
        #expect(seen == [0, 15, 30])
        #expect(trace.interrupted && trace.steps.count == 40)
        #expect(trace.metric("step").map(\.value) == [0, 15, 30])
        // Steps inside a block record a nan decoder loss: the run cache's coder writes nan as a string.
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                        nan: "nan")
        let decoded = try decoder.decode(ReconstructionTrace.self, from: encoder.encode(trace))
        #expect(decoded.steps.count == trace.steps.count && decoded.evaluations == trace.evaluations)
        #expect(zip(decoded.steps, trace.steps).allSatisfy { $0.loss == $1.loss && ($0.decoderLoss == $1.decoderLoss
            || ($0.decoderLoss.isNaN && $1.decoderLoss.isNaN)) })
        // Stopped during the warm-up: no encoder step, no evaluation.
        let early = Self.trainer(steps: 10)
        early.shouldStop = { true }
        let none = early.run(Self.views)
        #expect(none.interrupted && none.warmupLosses.isEmpty && none.steps.isEmpty && none.evaluations.isEmpty)
    }

    /// Per encoder step: c1 / c2 decoder steps (g1 forward, decoder forward
    /// and backward) and both networks forward and backward; joint: one of the latter.
    @Test func flops() throws {
        let trainer = Self.trainer(steps: 1, decoder: .mlp(hidden: [16]))
        trainer.options.decoderSteps = 6
        trainer.options.encoderSteps = 2
        // Multiply-adds times 2, times 3 for forward and backward: 64-32-6 and 6-16-64 on 64 rows.
        let g = 2 * 3 * 64 * Double(64 * 32 + 32 * 6), expected = 2 * 3 * 64 * Double(6 * 16 + 16 * 64)
        #expect(trainer.g1.flops(rows: 64) == g)
        #expect(trainer.flopsPerStep() == 3 * (g / 3 + expected) + g + expected)
        trainer.options.joint = true
        #expect(trainer.flopsPerStep() == g + expected)
    }

    /// 002 App. C.3's run priced before it allocates: the weights of g1
    /// (784-300-300-100) and of the decoder with gradients and Adam's two
    /// moments, the test batches and the probe's inputs; a 65536-wide
    /// encoder is dominated by its weights.
    @Test func memoryFootprint() {
        func footprint(_ decoder: ReconstructionDecoder, hidden: Int = 300) -> MemoryFootprint {
            MemoryFootprint.reconstruction(g1: .mlp(sizes: [784, hidden, hidden, 100]),
                                           decoder: decoder.sizes(features: 100, values: 784), dropout: true,
                                           views: (784, 784), batch: 128, steps: 2000, warmup: 1000, evalBatches: 20,
                                           probeItems: 20000, conditioning: 0)
        }
        let encoder = 784 * 300 + 300 + 300 * 300 + 300 + 300 * 100 + 100
        #expect(footprint(.linear).parameters == 16 * (encoder + 100 * 784 + 784))
        #expect(footprint(.mlp(hidden: [300, 300])).parameters == 16 * (encoder + 100 * 300 + 300 + 300 * 300 + 300 + 300 * 784 + 784))
        let data = footprint(.linear).data
        #expect(data > 20 * 128 * 1568 * 4 + 20000 * 784 * 4 && data < 200 << 20)
        #expect(footprint(.linear).total < 256 << 20)
        let huge = footprint(.linear, hidden: 65536)
        #expect(huge.total > 64 << 30 && huge.dominantPart == .parameters)
    }

    /// Every way a run cannot start is a `RepresentationError` with a message.
    @Test func checkFindsEveryMisfit() throws {
        func failure(values: Int = 64, encoder: FloatEncoder? = nil, views: any ViewPairs = Self.views,
                     _ change: (inout ReconstructionOptions) -> Void = { _ in }) throws -> String? {
            var rng = RNG(seed: 1)
            let g1 = encoder ?? .mlp(MLPEncoder<Float>(sizes: [64, 8, 8, 4], rng: &rng))
            var options = ReconstructionOptions(steps: 10, evalBatches: 4)
            change(&options)
            let trainer = ReconstructionTrainer(g1: g1, decoder: .linear, values: values, rng: &rng, options: options)
            do { try trainer.check(views) } catch { return error.description }
            return nil
        }
        #expect(try failure() == nil)
        #expect(try failure { $0.steps = -1 } == "steps must be 0 or more, got -1")
        #expect(try failure { $0.batch = 0 } == "the batch must be at least 1, got 0")
        #expect(try failure { $0.learningRate = .nan } == "the learning rate must be positive, got nan")
        #expect(try failure { $0.weightDecay = -1 } == "weight decay must be 0 or more, got -1.0")
        #expect(try failure { $0.decoderSteps = 0 } == "decoder steps per block must be at least 1, got 0")
        #expect(try failure { $0.encoderSteps = 0 } == "encoder steps per block must be at least 1, got 0")
        #expect(try failure { $0.warmup = -5 } == "warm-up steps must be 0 or more, got -5")
        #expect(try failure { $0.evalEvery = -1 } == "evalEvery must be 0 or more, got -1")
        #expect(try failure { $0.evalBatches = 0 } == "evalBatches must be at least 1, got 0")
        #expect(try failure { $0.evalBatches = 5 }
            == "5 test batches of 128 needs 640 items of the test split, which holds 512")
        #expect(try failure { $0.batch = 3000 }
            == "a training batch of 3000 needs 3000 items of the train split, which holds 2000")
        #expect(try failure { $0.dropout = Dropout(rates: [0.5, 0.5, 0.5]) }
            == "dropout must be one rate, or one per hidden layer of mlp(8, 8, 4) (2), got [0.5, 0.5, 0.5]")
        #expect(try failure { $0.dropout = Dropout(rates: [0.5, 0.2]) } == nil)
        var rng = RNG(seed: 2)
        let coupling = FloatEncoder.coupling(try CouplingEncoder<Float>(width: 64, layers: 1, hidden: 3, rng: &rng))
        #expect(try failure(encoder: coupling)
            == "dropout must be 0 for coupling(1 x 2x3): it applies to an mlp encoder's hidden layers, got 0.5")
        #expect(try failure(encoder: coupling) { $0.dropout = .none } == nil)
        #expect(try failure(values: 10) == "the decoder's values out must be x2's 64 (1x8x8), got 10")
        let wide = GaussianViews(dim: 5, mi: 1, train: 200, test: 600, seed: 1)
        #expect(try failure(views: wide) == "g1 mlp(8, 8, 4) reads 64 values per row, but its view is 1x1x5 (5 values)")
    }
}
