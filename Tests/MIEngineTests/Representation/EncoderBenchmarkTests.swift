import Testing
@testable import MIEngine

/// The MLP encoder configuration `mi bench` times: its shapes and FLOPs,
/// and a timing run that trains and leaves the trainer's options as they were.
@Suite struct EncoderBenchmarkTests {
    static let views = try! ImageHalfViews(train: ImageHalfViewsTests.set(300, height: 28, width: 28),
                                           test: ImageHalfViewsTests.set(10, height: 28, width: 28, name: "toy(test)"))

    @Test func mlpConfiguration() throws {
        let trainer = try #require(EncoderBenchmark.trainer(.mlp, views: Self.views))
        try trainer.check(Self.views)
        #expect(trainer.g1.name == "mlp(300, 300, 100)" && trainer.g1.inputSize == 392 && !trainer.sharesEncoder)
        #expect(trainer.critic.name == "bilinear" && trainer.bound.name == "nce" && trainer.options.batch == 128)
        // Encoders: 2 x 3 x 2 x 128 x (392*300 + 300*300 + 300*100); critic: 3 x 2 x (128*100*100 + 128^2*100).
        let encoders = 2 * 3 * 2 * 128 * Double(392 * 300 + 300 * 300 + 300 * 100)
        #expect(trainer.flopsPerStep() == encoders + 3 * 2 * (128 * 100 * 100 + 128 * 128 * 100))
        let before = trainer.stores.map(\.snapshot)
        let t = Benchmark.throughput(of: trainer, on: Self.views, steps: 3, repeats: 2, warmup: 1)
        #expect(t.stepSeconds.count == 2 && t.stepSeconds.allSatisfy { $0 > 0 } && t.flopsPerStep == trainer.flopsPerStep())
        #expect(trainer.stores.map(\.snapshot) != before, "the timed steps trained")
        #expect(trainer.options.steps == 0 && trainer.options.seed == 1)
    }

    /// The invertible configuration: two coupling encoders of the size asked
    /// for, a bilinear critic on their 392 features; a size that cannot be
    /// built gives no trainer.
    @Test func couplingConfiguration() throws {
        let size = EncoderBenchmark.CouplingSize(layers: 2, hidden: 8)
        let trainer = try #require(EncoderBenchmark.trainer(.coupling, views: Self.views, coupling: size))
        try trainer.check(Self.views)
        #expect(trainer.g1.name == "coupling(2 x 2x8)" && trainer.g1.outputSize == 392 && !trainer.sharesEncoder)
        let encoders = 2 * 3 * 2 * 128 * Double(2 * (196 * 8 + 8 * 8 + 8 * 196))
        #expect(trainer.flopsPerStep() == encoders + 3 * 2 * (128 * 392 * 392 + 128 * 128 * 392))
        #expect(EncoderBenchmark.trainer(.coupling, views: Self.views, coupling: .init(layers: 0, hidden: 8)) == nil)
        #expect(EncoderBenchmark.CouplingSize.paper == .init(layers: 30, hidden: 512))
        let standard = try #require(EncoderBenchmark.trainer(.coupling, views: Self.views))
        #expect(standard.g1.name == "coupling(\(CouplingEncoder<Float>.defaultLayers) x 2x\(CouplingEncoder<Float>.defaultHidden))")
    }
}
