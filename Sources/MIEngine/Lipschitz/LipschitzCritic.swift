/// A critic whose Lipschitz constant can be controlled: it exposes its
/// input gradient and that gradient's parameter derivative (for the
/// gradient penalty) and its weight matrices (for spectral normalisation).
///
/// The three calls work on matched rows u_r = (x_r, y_r), not on a
/// `PairSet`, and keep state between them (like `forward` and `backward`):
/// `pointwiseForward`, then `inputGradient`, then `directionalBackward`.
/// They may overwrite what the last `forward` kept, so call them after the
/// critic's `backward`.
public protocol LipschitzCritic<Scalar>: Critic {
    var dimX: Int { get }
    var dimY: Int { get }
    /// The weight matrices whose spectral norms bound the critic's
    /// Lipschitz constant (biases are left out, as in Miyato et al. 2018).
    var weightMatrices: [WeightMatrix] { get }
    /// f(x_r, y_r) for each row r (x: N x dimX, y: N x dimY).
    func pointwiseForward(x: Matrix<Scalar>, y: Matrix<Scalar>) -> [Scalar]
    /// (∇_x f, ∇_y f) at each row of the last `pointwiseForward`. Parameter
    /// gradients are not touched.
    func inputGradient() -> (x: Matrix<Scalar>, y: Matrix<Scalar>)
    /// Accumulates into the stores d/dθ D, D = sum_r <(cx_r, cy_r), ∇_u f(u_r)>,
    /// at the rows of the last `pointwiseForward`, with the directions c
    /// held fixed (the double backpropagation of a gradient penalty). When
    /// `dX`, `dY` are given, also writes ∂D/∂x_r (N x dimX) and ∂D/∂y_r
    /// (N x dimY) there: the Hessian-vector product H_f(u_r) c_r, which a
    /// penalty on a critic over learned features backpropagates into the
    /// networks below it (`RepresentationPass`'s penalty).
    func directionalBackward(x cx: Matrix<Scalar>, y cy: Matrix<Scalar>,
                             dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?)
}

extension LipschitzCritic {
    /// The parameter part of `directionalBackward(x:y:dX:dY:)` alone (a
    /// penalty on the critic's own inputs).
    public func directionalBackward(x cx: Matrix<Scalar>, y cy: Matrix<Scalar>) {
        directionalBackward(x: cx, y: cy, dX: nil, dY: nil)
    }
}

/// A weight matrix inside a critic's parameter store: `rows x cols`,
/// row-major at `offset` of `stores[store]`.
public struct WeightMatrix: Sendable, Equatable {
    public let store: Int
    public let offset: Int
    public let rows: Int
    public let cols: Int

    public init(store: Int, offset: Int, rows: Int, cols: Int) {
        self.store = store
        self.offset = offset
        self.rows = rows
        self.cols = cols
    }

    /// The weight of `layer`, a dense layer carved from `stores[store]`.
    init(_ layer: Dense, store: Int) {
        self.init(store: store, offset: layer.weightOffset, rows: layer.inputs, cols: layer.outputs)
    }

    public var count: Int { rows * cols }
}

extension FloatCritic {
    /// The weight matrices of the concrete critic.
    public var weightMatrices: [WeightMatrix] {
        switch self {
        case .separable(let c): return c.weightMatrices
        case .concat(let c): return c.weightMatrices
        case .bilinear(let c): return c.weightMatrices
        }
    }

    // The `LipschitzCritic` passes of the concrete critic (specialised for Float).

    public func pointwiseForward(x: Matrix<Float>, y: Matrix<Float>) -> [Float] {
        switch self {
        case .separable(let c): return c.pointwiseForward(x: x, y: y)
        case .concat(let c): return c.pointwiseForward(x: x, y: y)
        case .bilinear(let c): return c.pointwiseForward(x: x, y: y)
        }
    }

    public func inputGradient() -> (x: Matrix<Float>, y: Matrix<Float>) {
        switch self {
        case .separable(let c): return c.inputGradient()
        case .concat(let c): return c.inputGradient()
        case .bilinear(let c): return c.inputGradient()
        }
    }

    public func directionalBackward(x cx: Matrix<Float>, y cy: Matrix<Float>,
                                    dX: UnsafeMutablePointer<Float>?, dY: UnsafeMutablePointer<Float>?) {
        switch self {
        case .separable(let c): c.directionalBackward(x: cx, y: cy, dX: dX, dY: dY)
        case .concat(let c): c.directionalBackward(x: cx, y: cy, dX: dX, dY: dY)
        case .bilinear(let c): c.directionalBackward(x: cx, y: cy, dX: dX, dY: dY)
        }
    }
}

/// Splits the columns of `u` (N x (dx + dy)) into x and y parts.
func splitColumns<T: MIScalar>(_ u: UnsafePointer<T>, rows: Int, dimX: Int, dimY: Int) -> (x: Matrix<T>, y: Matrix<T>) {
    var x = Matrix<T>(rows: rows, cols: dimX), y = Matrix<T>(rows: rows, cols: dimY)
    let w = dimX + dimY
    for r in 0..<rows {
        for j in 0..<dimX { x.storage[r * dimX + j] = u[r * w + j] }
        for j in 0..<dimY { y.storage[r * dimY + j] = u[r * w + dimX + j] }
    }
    return (x, y)
}

/// Rows [x_r, y_r] side by side, as one flat N x (dx + dy) buffer.
func joinColumns<T: MIScalar>(_ x: Matrix<T>, _ y: Matrix<T>) -> [T] {
    precondition(x.rows == y.rows, "x has \(x.rows) rows but y has \(y.rows)")
    var out = [T](repeating: 0, count: x.rows * (x.cols + y.cols))
    let w = x.cols + y.cols
    for r in 0..<x.rows {
        for j in 0..<x.cols { out[r * w + j] = x.storage[r * x.cols + j] }
        for j in 0..<y.cols { out[r * w + x.cols + j] = y.storage[r * y.cols + j] }
    }
    return out
}
