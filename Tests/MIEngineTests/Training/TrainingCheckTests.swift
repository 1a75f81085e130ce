import Testing
@testable import MIEngine

/// What `Trainer.check` refuses before a run starts, and the memory
/// estimates runs are refused on: each case would stop on a precondition,
/// or run out of memory, inside `Trainer.run`.
@Suite struct TrainingCheckTests {
    static func critic() -> FloatCritic {
        var rng = RNG(seed: 1)
        return .separable(SeparableCritic(dimX: 2, dimY: 2, shape: NetworkShape(hidden: [8]), embedding: 4, rng: &rng))
    }

    @Test func batchTooSmallForTheBound() {
        var rng = RNG(seed: 2)
        let estimator = CriticEstimator(critic: Self.critic(), bound: Interpolated(alpha: 0.5),
                                        baseline: MLP(sizes: [2, 4, 1], activation: .relu, rng: &rng))
        let trainer = Trainer(options: TrainingOptions(steps: 3, batch: 2))
        #expect(throws: TrainingError.batchTooSmall(batch: 2, minimum: 3, estimator: estimator.name)) {
            try trainer.check(estimator, on: GaussianSource(dim: 2, mi: 1))
        }
        #expect(throws: Never.self) {
            try Trainer(options: TrainingOptions(steps: 3, batch: 3)).check(estimator, on: GaussianSource(dim: 2, mi: 1))
        }
        let optimal = OptimalEstimator(bound: Interpolated(alpha: 0.2), source: GaussianSource(dim: 2, mi: 1))
        #expect(optimal.minimumBatch == 3 && CriticEstimator(critic: Self.critic(), bound: NWJ()).minimumBatch == 2)
    }

    @Test func batchLargerThanAFiniteDataset() {
        let fixed = FixedDataset(drawing: 50, from: GaussianSource(dim: 2, mi: 1), evalFraction: 0.2, seed: 3)
        let estimator = CriticEstimator(critic: Self.critic(), bound: NWJ())
        let trainer = Trainer(options: TrainingOptions(steps: 3, batch: 64))
        #expect(fixed.trainingPairs == 40)
        #expect(throws: TrainingError.batchTooLarge(batch: 64, trainingPairs: 40, data: fixed.name)) {
            try trainer.check(estimator, on: fixed)
        }
        // Through a transform too.
        let cubic = CubicSource(base: fixed, seed: 1)
        #expect(throws: TrainingError.batchTooLarge(batch: 64, trainingPairs: 40, data: cubic.name)) {
            try trainer.check(estimator, on: cubic)
        }
        #expect(throws: Never.self) { try trainer.check(estimator, on: GaussianSource(dim: 2, mi: 1)) }
    }

    @Test func gaussianLimitIsWhereFloatStillSeesTheNoise() {
        #expect(GaussianMI.maximum(dim: 20) == 140)
        #expect(abs(GaussianMI.mi(rho: GaussianMI.maximumRho, dim: 1) - 7) < 1e-9)
        // rho stays below 1 in Float with room to spare, and y = rho x + sqrt(1 - rho^2) e
        // still differs from x in Float.
        #expect(Float(GaussianMI.maximumRho) < 1 - 4 * Float.ulpOfOne / 2)
        let noise = (1 - GaussianMI.maximumRho * GaussianMI.maximumRho).squareRoot()
        #expect(Float(1 + noise) != 1)
        // The old crash: mi = 400 at dim 20 made rho round to 1.
        #expect(GaussianMI.rho(mi: 400, dim: 20) == 1 && 400 > GaussianMI.maximum(dim: 20))
    }

    @Test func memoryEstimates() {
        let small = MemoryFootprint.training(critic: .separable(NetworkShape(), embedding: 32), dimX: 20, dimY: 20,
                                             batch: 64, negatives: .all, dropout: .none, baseline: nil,
                                             lipschitz: false, steps: 2000)
        // `mi bench` measures 28 MiB of peak memory for this whole process.
        #expect(small.total > 1 << 20 && small.total < 16 << 20)
        // Concat at K = 4096: the scores, not 16 GiB of activations per layer.
        let concat = MemoryFootprint.training(critic: .concat(NetworkShape()), dimX: 20, dimY: 20, batch: 4096,
                                              negatives: .all, dropout: .none, baseline: nil, lipschitz: false,
                                              steps: 1)
        #expect(concat.total < 2 << 30 && concat.dominantPart == .scores)
        let shuffled = MemoryFootprint.training(critic: .concat(NetworkShape()), dimX: 20, dimY: 20, batch: 4096,
                                                negatives: .shuffled, dropout: .none, baseline: nil, lipschitz: false,
                                                steps: 1)
        #expect(shuffled.total < concat.total / 5)
        // Eight layers of 65536 units: terabytes of weights.
        let huge = MemoryFootprint.training(critic: .concat(NetworkShape(hidden: [Int](repeating: 65536, count: 8))),
                                            dimX: 20, dimY: 20, batch: 64, negatives: .all, dropout: .none,
                                            baseline: nil, lipschitz: false, steps: 1)
        #expect(huge.total > 512 << 30 && huge.dominantPart == .parameters)
        #expect(MemoryFootprint.drawnDataset(n: 100_000_000, dimX: 100, dimY: 100).total > 100 << 30)
        #expect(SystemMemory.describe(3 << 29) == "1.5 GiB" && SystemMemory.describe(5 << 20) == "5 MiB")
    }
}
