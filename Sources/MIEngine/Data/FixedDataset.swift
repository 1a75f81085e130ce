/// A finite set of pairs split once into a training part and a held-out
/// evaluation part. Minibatches are drawn without replacement from the
/// training part; evaluation walks the held-out part in order.
public struct FixedDataset: DataSource {
    public let name: String
    public let x: Matrix<Double>
    public let y: Matrix<Double>
    /// Row indices of the training and held-out parts.
    public let trainIndices: [Int]
    public let evalIndices: [Int]
    /// The truth when the pairs were drawn from a known distribution.
    public let truth: Double?
    /// The data files the pairs were read from (`DataSource.files`).
    public let files: [DataFileStamp]
    let knownDensity: (any KnownDensity)?

    /// Splits `x`, `y` (same number of rows) after a seeded shuffle, holding
    /// out `evalFraction` of the rows for evaluation.
    public init(name: String, x: Matrix<Double>, y: Matrix<Double>, evalFraction: Double = 0.2,
                seed: UInt64 = 0, truth: Double? = nil, density: (any KnownDensity)? = nil,
                files: [DataFileStamp] = []) {
        precondition(x.rows == y.rows, "x has \(x.rows) rows but y has \(y.rows)")
        precondition(evalFraction >= 0 && evalFraction < 1, "evalFraction must lie in [0, 1)")
        self.name = name
        self.x = x
        self.y = y
        var rng = RNG(seed: seed, stream: 0x5B117)
        let order = rng.permutation(x.rows)
        let nEval = Int((Double(x.rows) * evalFraction).rounded())
        self.evalIndices = Array(order.prefix(nEval))
        self.trainIndices = Array(order.dropFirst(nEval))
        self.truth = truth
        self.knownDensity = density
        self.files = files
    }

    /// `n` pairs drawn once from `source` (its distribution at step 0; at
    /// most its `trainingPairs` when it is itself a finite dataset). The
    /// files `source` read are this dataset's files too.
    public init(drawing n: Int, from source: any DataSource, evalFraction: Double = 0.2, seed: UInt64) {
        precondition(n <= source.trainingPairs ?? n, "cannot draw \(n) pairs from \(source.trainingPairs ?? 0)")
        var rng = RNG(seed: seed, stream: 0xF1DA7A)
        let b = source.sample(batch: n, step: 0, rng: &rng)
        self.init(name: "\(source.name) fixed n=\(n)", x: b.x, y: b.y, evalFraction: evalFraction,
                  seed: seed, truth: source.trueMI(step: 0), density: source.density(step: 0), files: source.files)
    }

    public var dimX: Int { x.cols }
    public var dimY: Int { y.cols }
    public var count: Int { x.rows }

    /// A minibatch of distinct training pairs.
    public func sample(batch: Int, step: Int, rng: inout RNG, parallelism: Parallelism) -> Batch {
        precondition(batch <= trainIndices.count,
                     "batch \(batch) is larger than the \(trainIndices.count) training pairs")
        // Partial Fisher-Yates: the first `batch` entries of a random permutation.
        var pool = trainIndices
        for i in 0..<batch {
            let j = i + rng.int(below: pool.count - i)
            pool.swapAt(i, j)
        }
        let rows = Array(pool.prefix(batch))
        return Batch(x: x.gatherRows(rows), y: y.gatherRows(rows))
    }

    /// The held-out part in consecutive batches of `batch` pairs (a remainder
    /// smaller than `batch` is dropped so every estimate uses the same K).
    public func evaluationBatches(batch: Int) -> [Batch] {
        stride(from: 0, to: evalIndices.count - batch + 1, by: max(batch, 1)).map { start in
            let rows = Array(evalIndices[start..<(start + batch)])
            return Batch(x: x.gatherRows(rows), y: y.gatherRows(rows))
        }
    }

    public var trainingPairs: Int? { trainIndices.count }
    public func trueMI(step: Int) -> Double? { truth }
    public func density(step: Int) -> KnownDensity? { knownDensity }
}
