import Testing
@testable import MIEngine

/// The trainer's probes: what the hook measures and on which inputs,
/// determinism, grids of labels, the trainer integration and the errors.
@Suite struct RepresentationProbesTests {
    static let views = GaussianViews(dim: 4, mi: 1, train: 1500, test: 600, seed: 21)

    /// View 1 of `items` (the Gaussian views draw no noise).
    static func x1(_ split: ViewSplit, _ items: [Int]) -> Matrix<Float> {
        var rng = RNG(seed: 0)
        return views.views(split, items: items, rng: &rng).x1
    }

    static func identity(width: Int = 4) throws -> FloatEncoder {
        var rng = RNG(seed: 1)
        return .residual(try ResidualEncoder<Float>(width: width, blocks: 2, initialStd: 0, rng: &rng))
    }

    static func mlp(_ sizes: [Int] = [4, 16, 3], seed: UInt64 = 2) -> FloatEncoder {
        var rng = RNG(seed: seed)
        return .mlp(MLPEncoder<Float>(sizes: sizes, rng: &rng))
    }

    /// The identity encoder's features are the pixels, so the hook's probe
    /// is the raw-pixel baseline bit for bit, and its Jacobian is I.
    @Test(arguments: [ProbeKind.logistic, .mlp(hidden: [8])])
    func identityEncoderIsTheBaseline(_ kind: ProbeKind) throws {
        let options = RepresentationProbeOptions(probe: kind, trainLimit: 1000, testLimit: 400, conditioning: 16)
        let metrics = try RepresentationProbes.hook(views: Self.views, options: options)(0, Self.identity())
        #expect(metrics.keys.sorted() == ["cond_p0", "cond_p100", "cond_p20", "cond_p40", "cond_p60", "cond_p80",
                                          "probe", "probe_loss", "probe_train"])
        for level in [0, 20, 40, 60, 80, 100] { #expect(metrics["cond_p\(level)"] == 1) }
        let raw = try RepresentationProbes.rawPixels(views: Self.views, options: options)
        #expect(raw.keys.sorted() == ["probe", "probe_loss", "probe_train"])
        #expect(raw["probe"] == metrics["probe"] && raw["probe_train"] == metrics["probe_train"]
                && raw["probe_loss"] == metrics["probe_loss"])
        // The labels are the sign of x1's first coordinate: nearly linear.
        #expect(raw["probe"]! > 0.95 && raw["probe"]! <= 1)
        // The probe is the engine's, on the first 1000 / 400 items.
        let x = Self.x1(.train, Array(0..<1000))
        let t = Self.x1(.test, Array(0..<400))
        let direct: ProbeReport
        switch kind {
        case .logistic:
            direct = try LogisticProbe.evaluate(train: x, trainLabels: Array(Self.views.labels(.train).prefix(1000)),
                                                test: t, testLabels: Array(Self.views.labels(.test).prefix(400)),
                                                classes: 2)
        case .mlp(let hidden):
            direct = try MLPProbe.evaluate(train: x, trainLabels: Array(Self.views.labels(.train).prefix(1000)),
                                           test: t, testLabels: Array(Self.views.labels(.test).prefix(400)),
                                           classes: 2, options: MLPProbeOptions(hidden: hidden, seed: 1))
        }
        #expect(direct.testAccuracy == raw["probe"] && direct.trainAccuracy == raw["probe_train"]
                && direct.testLoss == raw["probe_loss"])
        // A nearly separable problem: the test cross-entropy is well below log 2 (chance).
        #expect(raw["probe_loss"]! > 0 && raw["probe_loss"]! < 0.3)
    }

    /// Only what was asked for is measured.
    @Test func keysFollowTheOptions() throws {
        let g = Self.mlp([4, 6, 4])
        let probeOnly = try RepresentationProbes.hook(views: Self.views, options: .init(trainLimit: 200))(5, g)
        #expect(probeOnly.keys.sorted() == ["probe", "probe_loss", "probe_train"])
        let condOnly = try RepresentationProbes.hook(views: Self.views, options: .init(probe: nil, conditioning: 8))(5, g)
        #expect(condOnly.keys.sorted() == ["cond_p0", "cond_p100", "cond_p20", "cond_p40", "cond_p60", "cond_p80"])
        #expect(condOnly["cond_p0"]! > 1 && condOnly["cond_p0"]! <= condOnly["cond_p100"]!)
        #expect(try RepresentationProbes.hook(views: Self.views, options: .init(probe: nil))(0, g).isEmpty)
    }

    /// The conditioning inputs are `conditioning` test items drawn by the
    /// seed, with the Jacobian of the narrowing MLP over its 3 singular values.
    @Test func conditioningIsOverSeededTestInputs() throws {
        let g = Self.mlp()
        let fixture = try ProbeFixture(views: Self.views, options: .init(probe: nil, conditioning: 32, seed: 9))
        let x = try #require(fixture.conditioningX)
        #expect(x.rows == 32)
        var pick = RNG(seed: 9, stream: 3)
        let items = Array(pick.permutation(600).prefix(32))
        #expect(x == Self.x1(.test, items))
        let direct = ConditionSummary(JacobianConditioning.conditionNumbers(of: g, at: x)).metrics
        #expect(try RepresentationProbes.evaluate(g, views: Self.views, options: .init(probe: nil, conditioning: 32, seed: 9))
                == direct)
        let other = try RepresentationProbes.evaluate(g, views: Self.views, options: .init(probe: nil, conditioning: 32, seed: 10))
        #expect(other != direct)
    }

    /// With coupled noise the probe reads the noisy view 1 (as 001 sec.
    /// 3.1 does), one draw fixed by the seed; without noise the clean pixels.
    @Test func noisyViewsAreOneSeededDraw() throws {
        let train = ImageHalfViewsTests.set(60, height: 8, width: 8)
        let test = ImageHalfViewsTests.set(30, height: 8, width: 8, name: "toy(test)")
        let clean = try ImageHalfViews(train: train, test: test)
        let noisy = try ImageHalfViews(train: train, test: test, noise: 0.05)
        let options = RepresentationProbeOptions(trainLimit: 40, testLimit: 20, conditioning: 5, seed: 3)
        let a = try ProbeFixture(views: noisy, options: options), b = try ProbeFixture(views: noisy, options: options)
        let c = try ProbeFixture(views: clean, options: options)
        #expect(a.trainX == b.trainX && a.testX == b.testX && a.conditioningX == b.conditioningX)
        #expect(c.trainX == train.images.halves(.topBottom, as: Float.self).first.gatherRows(Array(0..<40)))
        #expect(a.trainX != c.trainX && a.trainX.rows == 40 && a.testX.rows == 20)
        var differences = 0.0
        for i in 0..<a.trainX.count { differences += Double(a.trainX.storage[i] - c.trainX.storage[i]).magnitude }
        let meanAbs = differences / Double(a.trainX.count)
        // E|N(0, 0.05^2)| = 0.05 sqrt(2 / pi) = 0.0399.
        #expect(abs(meanAbs - 0.0399) < 0.004, "mean |noise| \(meanAbs)")
        let other = try ProbeFixture(views: noisy, options: { var o = options; o.seed = 4; return o }())
        #expect(other.trainX != a.trainX)
        #expect(a.trainLabels == [Array(noisy.labels(.train).prefix(40))])
    }

    /// Same seed, same bits, on one core or all; the hook leaves g1's
    /// parameters as it found them.
    @Test func sameBitsOnAnyNumberOfCores() throws {
        let g = Self.mlp([4, 32, 32, 4])
        let before = g.stores.map(\.snapshot)
        func run(_ p: Parallelism) throws -> [String: Double] {
            try RepresentationProbes.hook(views: Self.views,
                                          options: .init(probe: .mlp(hidden: [16]), trainLimit: 800, conditioning: 20,
                                                         parallelism: p))(0, g)
        }
        let a = try run(.allCores), b = try run(.serial)
        #expect(a.mapValues(\.bitPattern) == b.mapValues(\.bitPattern))
        #expect(g.stores.map(\.snapshot) == before)
    }

    /// Views with several labels per item get one probe per slot; the
    /// accuracies are the slots' mean.
    @Test func gridLabelsAverageTheSlots() throws {
        let grid = TwoSlotViews(base: Self.views)
        let metrics = try RepresentationProbes.rawPixels(views: grid, options: .init(trainLimit: 1000, testLimit: 300))
        let x = Self.x1(.train, Array(0..<1000))
        let t = Self.x1(.test, Array(0..<300))
        var accuracies: [Double] = []
        for slot in 0..<2 {
            let train = stride(from: slot, to: 2000, by: 2).map { grid.labels(.train)[$0] }
            let test = stride(from: slot, to: 600, by: 2).map { grid.labels(.test)[$0] }
            accuracies.append(try LogisticProbe.evaluate(train: x, trainLabels: train, test: t, testLabels: test,
                                                         classes: 2).testAccuracy)
        }
        #expect(accuracies[0] != accuracies[1])
        #expect(metrics["probe"] == (accuracies[0] + accuracies[1]) / 2)
    }

    /// The hook inside the trainer: its metrics are recorded at every evaluation.
    @Test func recordedByTheTrainer() throws {
        var rng = RNG(seed: 5)
        let g1 = MLPEncoder<Float>(sizes: [4, 16, 4], rng: &rng), g2 = MLPEncoder<Float>(sizes: [4, 16, 4], rng: &rng)
        let critic = BilinearCritic<Float>(dimX: 4, dimY: 4, rng: &rng)
        let trainer = RepresentationTrainer(g1: .mlp(g1), g2: .mlp(g2), critic: .bilinear(critic), bound: InfoNCE(),
                                            options: RepresentationOptions(steps: 20, batch: 32, learningRate: 1e-3,
                                                                           evalEvery: 10, evalBatches: 2))
        trainer.hook = try RepresentationProbes.hook(views: Self.views,
                                                     options: .init(trainLimit: 300, testLimit: 200, conditioning: 8))
        let trace = trainer.run(Self.views)
        #expect(trace.metric("probe").map(\.step) == [0, 10, 20])
        #expect(trace.metric("cond_p100").count == 3)
        #expect(trace.metric("probe").allSatisfy { $0.value > 0.5 && $0.value <= 1 })
    }

    /// A diverged encoder (non-finite features) or one that does not read
    /// view 1 gives NaN from the hook, and a thrown error from `evaluate`.
    @Test func failuresAreNaNInTheHook() throws {
        // probe, probe_train, probe_loss and the six conditioning percentiles.
        let g = Self.mlp()
        guard case .mlp(let e) = g else { return }
        e.network.store.values[0] = .nan
        let hook = try RepresentationProbes.hook(views: Self.views, options: .init(trainLimit: 100, conditioning: 4))
        let broken = hook(0, g)
        #expect(broken.count == 9 && broken.values.allSatisfy { $0.isNaN })
        let wrong = hook(0, Self.mlp([5, 3]))
        #expect(wrong.count == 9 && wrong.values.allSatisfy { $0.isNaN })
        #expect(message { _ = try RepresentationProbes.evaluate(Self.mlp([5, 3]), views: Self.views, options: .init()) }
                == "g1 mlp(3) reads 5 values per row, but its view is 1x1x4 (4 values)")
        #expect(message { _ = try RepresentationProbes.evaluate(g, views: Self.views, options: .init(trainLimit: 100)) }
                == "the training features hold a non-finite value at row 0, column 0")
    }

    @Test func errorsNameTheProblem() {
        func hook(_ o: RepresentationProbeOptions, _ views: any ViewPairs = Self.views) -> String {
            message { _ = try RepresentationProbes.hook(views: views, options: o) }
        }
        #expect(hook(.init(trainLimit: 1)) == "trainLimit must be at least the 2 classes, got 1")
        #expect(hook(.init(trainLimit: 5000))
                == "the probe's trainLimit of 5000 needs 5000 items of the train split, which holds 1500")
        #expect(hook(.init(testLimit: 0)) == "testLimit must be at least 1, got 0")
        #expect(hook(.init(testLimit: 601)) == "the probe's testLimit of 601 needs 601 items of the test split, which holds 600")
        #expect(hook(.init(conditioning: -1)) == "conditioning must be 0 or more test inputs, got -1")
        #expect(hook(.init(conditioning: 700))
                == "sampling 700 inputs for condition numbers needs 700 items of the test split, which holds 600")
        #expect(hook(.init(probe: .mlp(hidden: [300, 0]))) == "a hidden layer's size must be at least 1, got 0")
        #expect(hook(.init(), UnlabelledViews(base: Self.views))
                == "gaussian views(dim=4, mi=1.0) carry no class labels, which a probe needs")
        #expect(hook(.init(), GaussianViews(dim: 2, mi: 1, train: 1, test: 5, seed: 1))
                == "a probe of 2 classes (an item of each, at least) needs 2 items of the train split, which holds 1")
        #expect(message { _ = try RepresentationProbes.rawPixels(views: Self.views, options: .init(probe: nil)) }
                == "the probe must be logistic or an MLP for the raw-pixel baseline, got none")
    }
}

private func message(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}


/// Gaussian views with two labels per item: the signs of x1's first and second coordinates.
struct TwoSlotViews: ViewPairs {
    let base: GaussianViews
    var name: String { base.name }
    var shape1: ViewShape { base.shape1 }
    var shape2: ViewShape { base.shape2 }
    var labelSlots: Int { 2 }
    var classes: Int { 2 }
    var files: [DataFileStamp] { [] }
    func count(_ split: ViewSplit) -> Int { base.count(split) }
    func labels(_ split: ViewSplit) -> [Int] {
        var rng = RNG(seed: 0)
        let x = base.views(split, items: Array(0..<count(split)), rng: &rng).x1
        return (0..<count(split)).flatMap { [x[$0, 0] > 0 ? 1 : 0, x[$0, 1] > 0 ? 1 : 0] }
    }
    func fill(_ split: ViewSplit, items: [Int], x1: UnsafeMutablePointer<Float>, x2: UnsafeMutablePointer<Float>,
              rng: inout RNG, parallelism: Parallelism) {
        base.fill(split, items: items, x1: x1, x2: x2, rng: &rng, parallelism: parallelism)
    }
}

/// Gaussian views that carry no labels.
struct UnlabelledViews: ViewPairs {
    let base: GaussianViews
    var name: String { base.name }
    var shape1: ViewShape { base.shape1 }
    var shape2: ViewShape { base.shape2 }
    var labelSlots: Int { 0 }
    var classes: Int { 0 }
    var files: [DataFileStamp] { [] }
    func count(_ split: ViewSplit) -> Int { base.count(split) }
    func labels(_ split: ViewSplit) -> [Int] { [] }
    func fill(_ split: ViewSplit, items: [Int], x1: UnsafeMutablePointer<Float>, x2: UnsafeMutablePointer<Float>,
              rng: inout RNG, parallelism: Parallelism) {
        base.fill(split, items: items, x1: x1, x2: x2, rng: &rng, parallelism: parallelism)
    }
}
