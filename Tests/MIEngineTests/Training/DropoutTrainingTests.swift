import Testing
@testable import MIEngine

/// `CriticEstimator.dropout`: training steps drop, evaluation does not, and
/// the same seed gives the same trace bit for bit.
@Suite(.serialized) struct DropoutTrainingTests {
    static func estimator(critic kind: String, bound: any Bound, dropout: Dropout?) -> CriticEstimator {
        var rng = RNG(seed: 3, stream: 1)
        let critic: FloatCritic = kind == "concat"
            ? .concat(ConcatCritic(dimX: 20, dimY: 20, shape: NetworkShape(hidden: [64, 48], activation: .elu), rng: &rng))
            : .separable(SeparableCritic(dimX: 20, dimY: 20, shape: NetworkShape(hidden: [64, 48], activation: .elu),
                                         embedding: 16, rng: &rng))
        let estimator = CriticEstimator(critic: critic, bound: bound)
        if let dropout { estimator.dropout = dropout }
        return estimator
    }

    static func trace(critic kind: String, bound: any Bound = JSBound(), dropout: Dropout?, steps: Int = 25,
                      parallelism: Parallelism = .allCores) -> [Double] {
        let trainer = Trainer(options: TrainingOptions(steps: steps, batch: 64, seed: 9, parallelism: parallelism))
        return trainer.run(estimator(critic: kind, bound: bound, dropout: dropout), on: GaussianSource(dim: 20, mi: 4))
            .estimates
    }

    @Test(arguments: ["concat", "separable"])
    func sameSeedSameTrace(_ kind: String) {
        let a = Self.trace(critic: kind, dropout: Dropout(rates: [0.5, 0.3]))
        let b = Self.trace(critic: kind, dropout: Dropout(rates: [0.5, 0.3]))
        #expect(a == b)
        #expect(a.allSatisfy { $0.isFinite })
        #expect(a != Self.trace(critic: kind, dropout: nil), "dropout changed nothing")
    }

    /// A zero rate leaves the trace as it was without the setting, bit for bit.
    @Test(arguments: ["concat", "separable"])
    func zeroRateKeepsTheTrace(_ kind: String) {
        let plain = Self.trace(critic: kind, bound: NWJ(), dropout: nil, steps: 15)
        #expect(Self.trace(critic: kind, bound: NWJ(), dropout: Dropout(0), steps: 15) == plain)
        #expect(Self.trace(critic: kind, bound: NWJ(), dropout: Dropout(rates: [0, 0]), steps: 15) == plain)
    }

    @Test(arguments: ["concat", "separable"])
    func oneCoreGivesTheSameBits(_ kind: String) {
        let parallel = Self.trace(critic: kind, dropout: Dropout(0.3), steps: 15, parallelism: .allCores)
        #expect(Self.trace(critic: kind, dropout: Dropout(0.3), steps: 15, parallelism: .serial) == parallel)
    }

    /// `train: false` runs the whole network and draws nothing, whatever the
    /// rate; `train: true` drops.
    @Test(arguments: ["concat", "separable"])
    func evaluationNeverDrops(_ kind: String) {
        var dataRNG = RNG(seed: 5)
        let batch = GaussianSource(dim: 20, mi: 4).sample(batch: 32, step: 0, rng: &dataRNG)
        let plain = Self.estimator(critic: kind, bound: JSPlugin(), dropout: nil)
        let dropped = Self.estimator(critic: kind, bound: JSPlugin(), dropout: Dropout(0.5))
        var r1 = RNG(seed: 7), r2 = RNG(seed: 7)
        let a = plain.run(batch, step: 0, rng: &r1, train: false)
        let b = dropped.run(batch, step: 0, rng: &r2, train: false)
        #expect(a.estimate == b.estimate)
        #expect(r1.next() == r2.next())
        #expect(dropped.name == plain.name + ", dropout=0.5")

        var r3 = RNG(seed: 7), r4 = RNG(seed: 7)
        let c = plain.run(batch, step: 0, rng: &r3, train: true)
        let d = dropped.run(batch, step: 0, rng: &r4, train: true)
        #expect(c.estimate == a.estimate)
        #expect(d.estimate != a.estimate)
        #expect(r3.next() != r4.next())
    }
}
