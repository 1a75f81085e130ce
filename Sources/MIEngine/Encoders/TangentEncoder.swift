/// An encoder that can sit inside a gradient penalty: besides `forward`
/// and `backward` it gives its input gradient, its forward-mode tangent and
/// the reverse pass through both (double backpropagation).
///
/// A penalty on f(x1, x2) = critic(g1(x1), g2(x2)) looks at ∇_x f =
/// J_g(x)^T ∇_f critic, so its parameter gradient needs, per encoder, the
/// Jacobian-transpose product (`inputGradient`), the Jacobian product along
/// the penalty's directions (`tangentForward`) and the parameter gradient of
/// <dOut, g(x)> + <dTangent, J_g(x) c> (`tangentBackward`); see
/// `RepresentationPass` (its penalty) and MLP+Tangent.swift for the algebra.
/// The three calls use the rows of the last `forward`, in this order, and
/// keep their own buffers (a `backward` in between is not needed).
public protocol TangentEncoder<Scalar>: FeatureEncoder {
    /// Writes dOut J_g (rows x inputSize) to `dInput`; parameter gradients are not touched.
    func inputGradient(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>)
    /// J_g(x) c (rows x outputSize) along `c` (rows x inputSize); valid until the next call.
    func tangentForward(_ c: UnsafePointer<Scalar>) -> UnsafePointer<Scalar>
    /// Accumulates into `stores` the parameter gradient of
    /// sum_r <dOut_r, g(x_r)> + <dTangent_r, J_g(x_r) c_r>, c held fixed.
    func tangentBackward(dOut: UnsafePointer<Scalar>, dTangent: UnsafePointer<Scalar>)
}

/// The MLP encoder (001 sec. 3.2; 000 Fig. 2's fully connected encoders)
/// runs its network's tangent passes.
extension MLPEncoder: TangentEncoder {
    public func inputGradient(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>) {
        network.inputGradient(dOut, dInput: dInput)
    }

    public func tangentForward(_ c: UnsafePointer<Scalar>) -> UnsafePointer<Scalar> {
        network.tangentForward(c)
    }

    public func tangentBackward(dOut: UnsafePointer<Scalar>, dTangent: UnsafePointer<Scalar>) {
        network.tangentBackward(dOut: dOut, dTangent: dTangent)
    }
}

extension FloatEncoder {
    /// The encoder with tangent passes, if it has them (nil: a gradient
    /// penalty cannot run through it yet: convnet, coupling).
    public var tangent: (any TangentEncoder<Float>)? { generic as? any TangentEncoder<Float> }

    // The tangent passes of the concrete encoder (specialised for Float);
    // `RepresentationTrainer.check` refuses a penalty through any other.

    public func inputGradient(_ dOut: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>) {
        switch self {
        case .mlp(let e): e.inputGradient(dOut, dInput: dInput)
        case .residual(let e): e.inputGradient(dOut, dInput: dInput)
        case .conv, .coupling: preconditionFailure("\(name) has no tangent passes")
        }
    }

    public func tangentForward(_ c: UnsafePointer<Float>) -> UnsafePointer<Float> {
        switch self {
        case .mlp(let e): return e.tangentForward(c)
        case .residual(let e): return e.tangentForward(c)
        case .conv, .coupling: preconditionFailure("\(name) has no tangent passes")
        }
    }

    public func tangentBackward(dOut: UnsafePointer<Float>, dTangent: UnsafePointer<Float>) {
        switch self {
        case .mlp(let e): e.tangentBackward(dOut: dOut, dTangent: dTangent)
        case .residual(let e): e.tangentBackward(dOut: dOut, dTangent: dTangent)
        case .conv, .coupling: preconditionFailure("\(name) has no tangent passes")
        }
    }
}
