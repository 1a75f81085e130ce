/// A batch of K paired samples (x_i, y_i), one pair per row.
public struct Batch: Sendable {
    public var x: Matrix<Double>
    public var y: Matrix<Double>

    public init(x: Matrix<Double>, y: Matrix<Double>) {
        precondition(x.rows == y.rows, "x has \(x.rows) rows but y has \(y.rows)")
        self.x = x
        self.y = y
    }

    /// The number of pairs K.
    public var size: Int { x.rows }
}

/// Where training and evaluation batches come from.
///
/// Built-in distributions know their true MI and their densities; a user's
/// file knows neither. `step` lets a source change over training (the
/// staircase of paper 004 Figure 2).
public protocol DataSource: Sendable {
    /// A short description, e.g. `gaussian(dim=20, mi=2)`.
    var name: String { get }
    var dimX: Int { get }
    var dimY: Int { get }
    /// Draws a batch of `batch` pairs for training step `step`; the
    /// sampler's arithmetic may use every core when `parallelism` allows,
    /// and the pairs are the same bits either way.
    func sample(batch: Int, step: Int, rng: inout RNG, parallelism: Parallelism) -> Batch
    /// The true MI in nats at `step`, if known.
    func trueMI(step: Int) -> Double?
    /// The distribution's densities at `step`, if known (optimal critics,
    /// structured bounds).
    func density(step: Int) -> KnownDensity?
    /// How many distinct pairs a training batch draws from, when the source
    /// is a finite dataset (a batch may not be larger); nil when every batch
    /// is freshly drawn.
    var trainingPairs: Int? { get }
    /// The data files this source read, with the size and digest of the
    /// bytes read: what its samples depend on besides the seed. Empty for
    /// built-in distributions; a source derived from another (a fixed
    /// dataset drawn from it, a transform of it) lists the other's files.
    var files: [DataFileStamp] { get }
}

extension DataSource {
    /// `sample(batch:step:rng:parallelism:)` on all cores.
    public func sample(batch: Int, step: Int, rng: inout RNG) -> Batch {
        sample(batch: batch, step: step, rng: &rng, parallelism: .allCores)
    }

    public func trueMI(step: Int) -> Double? { nil }
    public func density(step: Int) -> KnownDensity? { nil }
    public var trainingPairs: Int? { nil }
    public var files: [DataFileStamp] { [] }
}

/// Densities of a distribution with a closed form, evaluated on all K x K pairs.
public protocol KnownDensity: Sendable {
    /// L[i][j] = log p(y_j | x_i).
    func logConditional(x: Matrix<Double>, y: Matrix<Double>) -> Matrix<Double>
    /// log p(y_i | x_i) for each pair i of two matrices with the same rows
    /// (the positives only: O(K) instead of O(K^2)).
    func logConditionalPairs(x: Matrix<Double>, y: Matrix<Double>) -> [Double]
    /// log p(y_j) for each row j of `y`.
    func logMarginalY(_ y: Matrix<Double>) -> [Double]
    /// The differential entropy h(X), if known (Barber-Agakov needs it).
    var entropyX: Double? { get }
}

extension KnownDensity {
    /// S[i][j] = log p(y_j | x_i) - log p(y_j): the optimal critic up to the
    /// bound's own shift (004 sections 2.2-2.4).
    public func logRatio(x: Matrix<Double>, y: Matrix<Double>) -> Matrix<Double> {
        var l = logConditional(x: x, y: y)
        let m = logMarginalY(y)
        for i in 0..<l.rows { for j in 0..<l.cols { l[i, j] -= m[j] } }
        return l
    }

    public var entropyX: Double? { nil }

    /// Default: one 1 x 1 `logConditional` per pair.
    public func logConditionalPairs(x: Matrix<Double>, y: Matrix<Double>) -> [Double] {
        precondition(x.rows == y.rows, "x has \(x.rows) rows but y has \(y.rows)")
        return (0..<x.rows).map { i in
            let xi = Matrix(rows: 1, cols: x.cols, storage: x.row(i))
            let yi = Matrix(rows: 1, cols: y.cols, storage: y.row(i))
            return logConditional(x: xi, y: yi)[0, 0]
        }
    }
}
