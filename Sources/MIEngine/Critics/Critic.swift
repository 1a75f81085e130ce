/// A learned critic f(x, y) scoring pairs of samples.
///
/// `forward` scores the pairs of a `PairSet` and keeps what `backward` needs;
/// `backward` takes d loss / d score for those same pairs and accumulates
/// parameter gradients into the critic's stores. The scalar type is generic
/// so the same code trains in Float and is gradient-checked in Double.
public protocol Critic<Scalar>: AnyObject {
    associatedtype Scalar: MIScalar
    /// A description such as `concat(256, 256, relu)`.
    var name: String { get }
    /// Every parameter store the critic owns (the optimiser walks these).
    var stores: [ParameterStore<Scalar>] { get }
    /// Whether the critic's passes may use every core; the scores and
    /// gradients are the same bits either way.
    var parallelism: Parallelism { get set }
    /// Scores f(x_i, y_j) in the order of `pairs` (x: K x dimX, y: K x dimY).
    func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet) -> [Scalar]
    /// The same scores with inverted dropout on the hidden activations (a
    /// training pass; `Dropout`); the masks are drawn from `rng`, and
    /// `backward` then gives the exact gradient with them held fixed.
    /// Draws nothing, and equals `forward(x:y:pairs:)`, when no rate is
    /// nonzero or the critic has no hidden layer.
    func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet, dropout: Dropout,
                 rng: inout RNG) -> [Scalar]
    /// Accumulates parameter gradients for `dScores` from the last `forward`.
    func backward(_ dScores: [Scalar])
    /// The same, and writes d loss / d x (K x dimX) to `dX` and d loss / d y
    /// (K x dimY) to `dY` when given, for the rows of the last `forward`
    /// (with its dropout masks held fixed): the gradient an encoder below
    /// the critic backpropagates (representation learning). Without either
    /// buffer this is `backward(_:)`, the same bits at the same cost.
    func backward(_ dScores: [Scalar], dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?)
    /// Multiply-adds of one forward and backward pass over `pairs` (for the
    /// benchmark's ideal time).
    func flops(batch: Int, pairs: PairSet) -> Double
}

extension Critic {
    /// Total number of trainable parameters.
    public var parameterCount: Int { stores.reduce(0) { $0 + $1.count } }

    /// Sets every gradient to zero.
    public func zeroGrad() { for s in stores { s.zeroGrad() } }
}

/// How the critic's networks are shaped.
public struct NetworkShape: Sendable, Equatable {
    /// Hidden-layer widths, e.g. [256, 256].
    public var hidden: [Int]
    public var activation: Activation

    public init(hidden: [Int] = [256, 256], activation: Activation = .relu) {
        precondition(hidden.allSatisfy { $0 > 0 }, "hidden widths must be positive")
        self.hidden = hidden
        self.activation = activation
    }

    var description: String {
        (hidden.map(String.init) + [activation.rawValue]).joined(separator: ", ")
    }
}

/// Gathers the scores of `pairs` from a full K x K score matrix.
func gatherScores<T>(_ s: UnsafePointer<T>, k: Int, pairs: PairSet) -> [T] {
    switch pairs {
    case .all:
        return Array(UnsafeBufferPointer(start: s, count: k * k))
    case .shuffled(let perm):
        return (0..<k).map { s[$0 * k + $0] } + (0..<k).map { s[$0 * k + perm[$0]] }
    }
}

/// Scatters per-pair gradients back into a K x K matrix (zeros elsewhere).
func scatterScores<T: MIScalar>(_ d: [T], k: Int, pairs: PairSet, into out: UnsafeMutablePointer<T>) {
    switch pairs {
    case .all:
        for i in 0..<(k * k) { out[i] = d[i] }
    case .shuffled(let perm):
        for i in 0..<(k * k) { out[i] = 0 }
        for i in 0..<k {
            out[i * k + i] += d[i]
            out[i * k + perm[i]] += d[k + i]
        }
    }
}

/// 2 * (multiply-adds) of an MLP forward (x1) plus backward (x2) on `rows` inputs.
func mlpFlops(_ sizes: [Int], rows: Int) -> Double {
    var macs = 0.0
    for l in 0..<(sizes.count - 1) { macs += Double(sizes[l] * sizes[l + 1]) }
    return 2 * 3 * macs * Double(rows)
}
