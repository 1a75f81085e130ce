/// The stepped Gaussian of 004 Figure 2: the true MI climbs through `levels`
/// (2, 4, 6, 8, 10 nats by default), holding each for `stepsPerLevel` steps.
public struct StaircaseSource: DataSource {
    public let dim: Int
    public let levels: [Double]
    public let stepsPerLevel: Int
    private let stages: [GaussianSource]

    public init(dim: Int = 20, levels: [Double] = [2, 4, 6, 8, 10], stepsPerLevel: Int = 4000) {
        precondition(!levels.isEmpty, "a staircase needs at least one level")
        precondition(stepsPerLevel > 0, "stepsPerLevel must be positive")
        self.dim = dim
        self.levels = levels
        self.stepsPerLevel = stepsPerLevel
        self.stages = levels.map { GaussianSource(dim: dim, mi: $0) }
    }

    /// The stage in force at `step` (the last one holds after the schedule ends).
    public func stage(at step: Int) -> GaussianSource {
        stages[min(max(step, 0) / stepsPerLevel, stages.count - 1)]
    }

    /// Steps to walk every level once.
    public var totalSteps: Int { levels.count * stepsPerLevel }

    public var name: String {
        "staircase(dim=\(dim), levels=[\(levels.map(formatShort).joined(separator: ", "))], steps_per_level=\(stepsPerLevel))"
    }
    public var dimX: Int { dim }
    public var dimY: Int { dim }

    public func sample(batch: Int, step: Int, rng: inout RNG, parallelism: Parallelism) -> Batch {
        stage(at: step).sample(batch: batch, step: step, rng: &rng, parallelism: parallelism)
    }
    public func trueMI(step: Int) -> Double? { stage(at: step).mi }
    public func density(step: Int) -> KnownDensity? { stage(at: step) }
}
