/// The encoder configurations of `mi bench` (issue 12; 001 sec. 3): two
/// encoders on 1 x 14 x 28 image halves, a bilinear critic on their
/// features (100, or the 392 of the invertible coupling encoders),
/// InfoNCE, batch 128, Adam (learning rate 1e-4), timed over whole
/// training steps (drawing the batch, both encoders forward and backward,
/// critic, bound, Adam).
public enum EncoderBenchmark {
    /// The encoder architectures benchmarked.
    public enum Architecture: String, Sendable, CaseIterable {
        /// 392-300-300-100, ReLU (001 sec. 3.2).
        case mlp
        /// Two 5x5 stride-2 convolutions with 64 and 128 channels, ReLU,
        /// layer normalisation, spatial average pooling, a linear layer to
        /// 100 features (001 sec. 3.3).
        case conv
        /// Additive coupling layers over the 392 pixels (001 sec. 3.1), as
        /// many and as wide as `CouplingSize` says.
        case coupling
    }

    /// The depth and width of the `.coupling` configuration's encoders.
    public struct CouplingSize: Sendable, Equatable {
        /// Coupling layers (001: 30).
        public var layers: Int
        /// Units in each of the two hidden layers of every shift MLP (001: 512).
        public var hidden: Int

        public init(layers: Int, hidden: Int) {
            self.layers = layers
            self.hidden = hidden
        }

        /// `CouplingEncoder`'s defaults.
        public static let standard = CouplingSize(layers: CouplingEncoder<Float>.defaultLayers,
                                                  hidden: CouplingEncoder<Float>.defaultHidden)
        /// 001 sec. 3.1's network.
        public static let paper = CouplingSize(layers: 30, hidden: 512)
    }

    public static let batch = 128
    public static let features = 100
    public static let learningRate = 1e-4

    /// One encoder of `architecture` on views of `shape`, or nil when the
    /// shape is too small for it.
    public static func encoder(_ architecture: Architecture, shape: ViewShape, coupling: CouplingSize = .standard,
                               rng: inout RNG) -> FloatEncoder? {
        switch architecture {
        case .mlp:
            return .mlp(MLPEncoder(sizes: [shape.size, 300, 300, features], rng: &rng))
        case .conv:
            return try? .conv(ConvEncoder(channels: shape.channels, height: shape.height, width: shape.width,
                                          features: features, rng: &rng))
        case .coupling:
            return try? .coupling(CouplingEncoder(width: shape.size, layers: coupling.layers, hidden: coupling.hidden,
                                                  rng: &rng))
        }
    }

    /// The trainer of a configuration (two encoders of `architecture`,
    /// bilinear critic, InfoNCE, batch 128), or nil when the encoder cannot
    /// be built on these views (or the coupling size is not positive).
    public static func trainer(_ architecture: Architecture, views: any ViewPairs, coupling: CouplingSize = .standard,
                               parallelism: Parallelism = .allCores) -> RepresentationTrainer? {
        var rng = RNG(seed: 1, stream: 1)
        guard let g1 = encoder(architecture, shape: views.shape1, coupling: coupling, rng: &rng),
              let g2 = encoder(architecture, shape: views.shape2, coupling: coupling, rng: &rng) else { return nil }
        let critic = BilinearCritic<Float>(dimX: g1.outputSize, dimY: g2.outputSize, rng: &rng)
        let options = RepresentationOptions(steps: 0, batch: batch, learningRate: learningRate, seed: 1, evalEvery: 0,
                                            parallelism: parallelism)
        return RepresentationTrainer(g1: g1, g2: g2, critic: .bilinear(critic), bound: InfoNCE(), options: options)
    }

    /// Fashion-MNIST's top/bottom halves when installed, else the same
    /// shapes filled with seeded random pixels (the timing does not depend
    /// on the pixel values); the second value names which.
    public static func views() -> (views: any ViewPairs, data: String) {
        if FashionMNIST.isInstalled(split: .train) && FashionMNIST.isInstalled(split: .test),
           let views = try? ImageHalfViews.fashionMNIST(halves: .topBottom) {
            return (views, "fashion-mnist")
        }
        func random(_ n: Int, _ name: String, seed: UInt64) -> FashionMNIST {
            var rng = RNG(seed: seed)
            let pixels = (0..<(n * 784)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let images = ImageSet(uncheckedCount: n, height: 28, width: 28, pixels: pixels)
            return try! FashionMNIST(images: images, imagesFile: "random", labels: (0..<n).map { UInt8($0 % 10) },
                                     labelsFile: "random", name: name)
        }
        let views = try! ImageHalfViews(train: random(60_000, "random(train)", seed: 1),
                                        test: random(1_000, "random(test)", seed: 2))
        return (views, "random pixels")
    }
}

extension Benchmark {
    /// Trains with `trainer` on `views` (no test evaluations): `warmup`
    /// steps, then `repeats` timed runs of `steps` steps each. Each run
    /// starts a fresh optimiser and a new epoch, as a run of the trainer does.
    public static func throughput(of trainer: RepresentationTrainer, on views: any ViewPairs, steps: Int,
                                  repeats: Int = 5, warmup: Int = 10) -> Throughput {
        let saved = trainer.options
        defer { trainer.options = saved }
        trainer.options.evalEvery = 0
        trainer.options.steps = warmup
        _ = trainer.run(views)
        trainer.options.steps = steps
        let times = (0..<repeats).map { r in
            trainer.options.seed = saved.seed &+ UInt64(r + 1)
            return seconds { _ = trainer.run(views) } / Double(steps)
        }
        return Throughput(steps: steps, stepSeconds: times, flopsPerStep: trainer.flopsPerStep())
    }
}
