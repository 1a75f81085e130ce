/// Hidden-layer nonlinearities. Each derivative is written in terms of the
/// activation's output a = act(z), so backward passes need only the stored
/// outputs, never the pre-activations.
public enum Activation: String, CaseIterable, Sendable {
    case relu, elu, tanh

    @inline(__always)
    public func apply<T: MIScalar>(_ z: T) -> T {
        switch self {
        case .relu: return z > 0 ? z : 0
        case .elu: return z > 0 ? z : T.expMinusOne(z)
        case .tanh: return T.tanh(z)
        }
    }

    /// d act / dz at the point where act(z) = a.
    @inline(__always)
    public func derivative<T: MIScalar>(output a: T) -> T {
        switch self {
        case .relu: return a > 0 ? 1 : 0
        case .elu: return a > 0 ? 1 : a + 1          // z <= 0: e^z = a + 1
        case .tanh: return 1 - a * a
        }
    }

    /// d^2 act / dz^2 at the point where act(z) = a (for the gradient penalty).
    @inline(__always)
    public func secondDerivative<T: MIScalar>(output a: T) -> T {
        switch self {
        case .relu: return 0
        case .elu: return a > 0 ? 0 : a + 1
        case .tanh: return -2 * a * (1 - a * a)
        }
    }
}
