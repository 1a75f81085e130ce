/// The training-time encoder: a closed set of concrete Float encoders.
///
/// As with `FloatCritic`: through the generic `FeatureEncoder` protocol an
/// encoder would run its unspecialised generic body (element arithmetic
/// through witness tables, many times slower); the switch below calls each
/// one with its concrete type, so the whole pass is specialised for Float.
/// Gradient checks use the generic classes directly in Double.
public enum FloatEncoder {
    case mlp(MLPEncoder<Float>)
    case residual(ResidualEncoder<Float>)
    case conv(ConvEncoder<Float>)
    case coupling(CouplingEncoder<Float>)
}

extension FloatEncoder {
    /// The encoder as the generic protocol (for code off the hot path).
    public var generic: any FeatureEncoder<Float> {
        switch self {
        case .mlp(let e): return e
        case .residual(let e): return e
        case .conv(let e): return e
        case .coupling(let e): return e
        }
    }

    public var name: String { generic.name }
    public var inputSize: Int { generic.inputSize }
    public var outputSize: Int { generic.outputSize }
    public var stores: [ParameterStore<Float>] { generic.stores }

    public var parallelism: Parallelism {
        get { generic.parallelism }
        nonmutating set { generic.parallelism = newValue }
    }

    public func forward(_ x: UnsafePointer<Float>, rows: Int) -> UnsafePointer<Float> {
        switch self {
        case .mlp(let e): return e.forward(x, rows: rows)
        case .residual(let e): return e.forward(x, rows: rows)
        case .conv(let e): return e.forward(x, rows: rows)
        case .coupling(let e): return e.forward(x, rows: rows)
        }
    }

    public func backward(_ dOut: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        switch self {
        case .mlp(let e): e.backward(dOut, dInput: dInput)
        case .residual(let e): e.backward(dOut, dInput: dInput)
        case .conv(let e): e.backward(dOut, dInput: dInput)
        case .coupling(let e): e.backward(dOut, dInput: dInput)
        }
    }

    public func flops(rows: Int) -> Double { generic.flops(rows: rows) }
}
