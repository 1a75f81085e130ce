/// The training-time critic: a closed set of concrete Float critics.
///
/// Swift specialises generic code only where the concrete type is known at
/// the call. Through the generic `Critic` protocol a `ConcatCritic<Float>`
/// would run its unspecialised generic body, element conversions and
/// arithmetic going through witness tables, tens of times slower. The switch
/// below calls each critic with its concrete type, so the optimiser
/// specialises the whole forward and backward pass for Float. (Gradient
/// checks use the generic classes directly in Double.)
public enum FloatCritic {
    case separable(SeparableCritic<Float>)
    case concat(ConcatCritic<Float>)
    case bilinear(BilinearCritic<Float>)
}

extension FloatCritic {
    public var name: String {
        switch self {
        case .separable(let c): return c.name
        case .concat(let c): return c.name
        case .bilinear(let c): return c.name
        }
    }

    /// The sizes of the x and y rows the critic scores.
    public var inputDims: (x: Int, y: Int) {
        switch self {
        case .separable(let c): return (c.g.inputSize, c.h.inputSize)
        case .concat(let c): return (c.dimX, c.dimY)
        case .bilinear(let c): return (c.dimX, c.dimY)
        }
    }

    public var stores: [ParameterStore<Float>] {
        switch self {
        case .separable(let c): return c.stores
        case .concat(let c): return c.stores
        case .bilinear(let c): return c.stores
        }
    }

    /// The critic's parallelism (see `Critic.parallelism`).
    public var parallelism: Parallelism {
        get { generic.parallelism }
        nonmutating set {
            switch self {
            case .separable(let c): c.parallelism = newValue
            case .concat(let c): c.parallelism = newValue
            case .bilinear(let c): c.parallelism = newValue
            }
        }
    }

    public func forward(x: Matrix<Float>, y: Matrix<Float>, pairs: PairSet) -> [Float] {
        switch self {
        case .separable(let c): return c.forward(x: x, y: y, pairs: pairs)
        case .concat(let c): return c.forward(x: x, y: y, pairs: pairs)
        case .bilinear(let c): return c.forward(x: x, y: y, pairs: pairs)
        }
    }

    /// Scores with dropout on the hidden activations (see `Critic`); a
    /// no-op for the bilinear and inner-product critics.
    public func forward(x: Matrix<Float>, y: Matrix<Float>, pairs: PairSet, dropout: Dropout,
                        rng: inout RNG) -> [Float] {
        switch self {
        case .separable(let c): return c.forward(x: x, y: y, pairs: pairs, dropout: dropout, rng: &rng)
        case .concat(let c): return c.forward(x: x, y: y, pairs: pairs, dropout: dropout, rng: &rng)
        case .bilinear(let c): return c.forward(x: x, y: y, pairs: pairs, dropout: dropout, rng: &rng)
        }
    }

    public func backward(_ d: [Float]) {
        switch self {
        case .separable(let c): c.backward(d)
        case .concat(let c): c.backward(d)
        case .bilinear(let c): c.backward(d)
        }
    }

    /// Parameter gradients, and the input gradients when buffers are given
    /// (see `Critic.backward(_:dX:dY:)`).
    public func backward(_ d: [Float], dX: UnsafeMutablePointer<Float>?, dY: UnsafeMutablePointer<Float>?) {
        switch self {
        case .separable(let c): c.backward(d, dX: dX, dY: dY)
        case .concat(let c): c.backward(d, dX: dX, dY: dY)
        case .bilinear(let c): c.backward(d, dX: dX, dY: dY)
        }
    }

    public func flops(batch: Int, pairs: PairSet) -> Double {
        switch self {
        case .separable(let c): return c.flops(batch: batch, pairs: pairs)
        case .concat(let c): return c.flops(batch: batch, pairs: pairs)
        case .bilinear(let c): return c.flops(batch: batch, pairs: pairs)
        }
    }

    /// The critic as the generic protocol (for code that is not on the hot path).
    public var generic: any Critic<Float> {
        switch self {
        case .separable(let c): return c
        case .concat(let c): return c
        case .bilinear(let c): return c
        }
    }
}
