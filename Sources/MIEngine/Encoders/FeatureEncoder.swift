/// A learned map from inputs to features, g(x), with exact gradients: the
/// encoders g1, g2 of representation learning (001 sec. 3, 000 sec. 5,
/// 002 sec. 5), trained through a bound on I(g1(x1); g2(x2)).
///
/// The llm.c pattern over flat buffers: `forward` keeps what `backward`
/// needs; `backward` takes d loss / d features for the rows of the last
/// `forward`, accumulates parameter gradients into the encoder's stores,
/// and writes d loss / d inputs when asked (for Jacobians and for stacked
/// encoders). The scalar type is generic so the same code trains in Float
/// and is gradient-checked in Double against central finite differences.
/// (Not named `Encoder`: that is Swift's Codable protocol.)
public protocol FeatureEncoder<Scalar>: AnyObject {
    associatedtype Scalar: MIScalar
    /// A description such as `mlp(300, 300, 100)`.
    var name: String { get }
    /// Inputs per row (for images: channels x height x width, row-major).
    var inputSize: Int { get }
    /// Features per row.
    var outputSize: Int { get }
    /// Every parameter store the encoder owns (the optimiser walks these).
    var stores: [ParameterStore<Scalar>] { get }
    /// Whether its passes may use every core (the same bits either way).
    var parallelism: Parallelism { get set }
    /// Encodes `rows` inputs (rows x inputSize); the result (rows x
    /// outputSize) stays valid until the next call.
    func forward(_ x: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar>
    /// Backpropagates `dOut` (rows x outputSize) through the last `forward`:
    /// parameter gradients accumulate into `stores`; the input gradient
    /// (rows x inputSize) is written to `dInput` when given.
    func backward(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>?)
    /// Multiply-adds of one forward and backward pass on `rows` inputs,
    /// times 2 (floating-point operations, for the benchmark's ideal time).
    func flops(rows: Int) -> Double
}

extension FeatureEncoder {
    /// Total number of trainable parameters.
    public var parameterCount: Int { stores.reduce(0) { $0 + $1.count } }

    /// Sets every gradient to zero.
    public func zeroGrad() { for s in stores { s.zeroGrad() } }

    /// Convenience: encodes a matrix of rows.
    public func forward(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(x.cols == inputSize, "\(name) expects \(inputSize) inputs, got \(x.cols)")
        let out = x.storage.withUnsafeBufferPointer { forward($0.baseAddress!, rows: x.rows) }
        return Matrix(rows: x.rows, cols: outputSize,
                      storage: Array(UnsafeBufferPointer(start: out, count: x.rows * outputSize)))
    }

    /// Convenience: backpropagates a matrix; returns the input gradient.
    @discardableResult
    public func backward(_ dOut: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(dOut.cols == outputSize, "\(name) gives \(outputSize) features, got \(dOut.cols) gradients")
        var dIn = Matrix<Scalar>(rows: dOut.rows, cols: inputSize)
        dOut.storage.withUnsafeBufferPointer { d in
            dIn.storage.withUnsafeMutableBufferPointer { backward(d.baseAddress!, dInput: $0.baseAddress!) }
        }
        return dIn
    }
}

/// An MLP as an encoder: dense layers with a nonlinearity between them and
/// a linear last layer (001 sec. 3.2: 300-300-100, ReLU).
public final class MLPEncoder<Scalar: MIScalar>: FeatureEncoder {
    public let network: MLP<Scalar>

    public init(sizes: [Int], activation: Activation = .relu, parallelism: Parallelism = .allCores, rng: inout RNG) {
        network = MLP(sizes: sizes, activation: activation, parallelism: parallelism, rng: &rng)
    }

    public var name: String { "mlp(" + network.sizes.dropFirst().map(String.init).joined(separator: ", ") + ")" }
    public var inputSize: Int { network.inputSize }
    public var outputSize: Int { network.outputSize }
    public var stores: [ParameterStore<Scalar>] { [network.store] }
    public var parallelism: Parallelism {
        get { network.parallelism }
        set { network.parallelism = newValue }
    }

    public func forward(_ x: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar> {
        network.forward(x, rows: rows)
    }

    public func backward(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>?) {
        network.backward(dOut, dInput: dInput)
    }

    public func flops(rows: Int) -> Double { mlpFlops(network.sizes, rows: rows) }
}
