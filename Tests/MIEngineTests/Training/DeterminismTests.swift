import Testing
@testable import MIEngine

/// Same seed, same numbers, bit for bit, whatever the number of cores.
@Suite(.serialized) struct DeterminismTests {
    static func trace(critic kind: String, bound: any Bound, steps: Int,
                      parallelism: Parallelism = .allCores) -> [Double] {
        var rng = RNG(seed: 3, stream: 1)
        let critic: FloatCritic = kind == "concat"
            ? .concat(ConcatCritic(dimX: 20, dimY: 20, shape: NetworkShape(hidden: [64, 48]), rng: &rng))
            : .separable(SeparableCritic(dimX: 20, dimY: 20, shape: NetworkShape(hidden: [64, 48]), embedding: 16, rng: &rng))
        let estimator = CriticEstimator(critic: critic, bound: bound)
        let trainer = Trainer(options: TrainingOptions(steps: steps, batch: 64, seed: 9, parallelism: parallelism))
        return trainer.run(estimator, on: GaussianSource(dim: 20, mi: 4)).estimates
    }

    @Test(arguments: ["concat", "separable"])
    func sameSeedSameTrace(_ kind: String) {
        let a = Self.trace(critic: kind, bound: NWJ(), steps: 30)
        let b = Self.trace(critic: kind, bound: NWJ(), steps: 30)
        #expect(a == b)
        #expect(a.allSatisfy { $0.isFinite })
    }

    @Test(arguments: ["concat", "separable"])
    func oneCoreGivesTheSameBits(_ kind: String) {
        let parallel = Self.trace(critic: kind, bound: InfoNCE(), steps: 20, parallelism: .allCores)
        let serial = Self.trace(critic: kind, bound: InfoNCE(), steps: 20, parallelism: .serial)
        #expect(parallel == serial)
    }

    @Test func differentSeedsDiffer() {
        var a = RNG(seed: 1), b = RNG(seed: 2)
        let x = (0..<4).map { _ in a.next() }, y = (0..<4).map { _ in b.next() }
        #expect(x != y)
    }

    @Test func streamsAreIndependentOfEachOther() {
        var a = RNG(seed: 1, stream: 0), b = RNG(seed: 1, stream: 1)
        let x = (0..<4).map { _ in a.next() }, y = (0..<4).map { _ in b.next() }
        #expect(x != y)
    }
}
