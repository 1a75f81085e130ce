/// Dropout rates for the hidden layers of a critic's networks.
///
/// Inverted dropout (Srivastava et al. 2014): while training, each hidden
/// activation (after the nonlinearity) is zeroed with probability p and the
/// kept ones are scaled by 1/(1-p), so the expected activation is unchanged
/// and evaluation runs the plain network. Inputs and the output layer are
/// never dropped. Paper 002 regularises its JS-trained critic this way
/// (Figure 3 c-d: p = 0.5, 0.3, 0.2 on three hidden layers, with weight
/// decay 2.5e-5).
///
/// One rate applies to every hidden layer; a list gives one rate per hidden
/// layer, first layer first (`Dropout(rates: [0.5, 0.3, 0.2])`). A float
/// literal converts: `estimator.dropout = 0.3`.
public struct Dropout: Sendable, Equatable, ExpressibleByFloatLiteral, CustomStringConvertible {
    /// The probability of dropping a unit, per hidden layer (or one for all).
    public let rates: [Double]

    /// The same rate `p` (0 <= p < 1) on every hidden layer.
    public init(_ p: Double) {
        self.init(rates: [p])
    }

    /// One rate per hidden layer (first layer first), or a single rate for all.
    public init(rates: [Double]) {
        precondition(!rates.isEmpty, "dropout needs at least one rate")
        for p in rates { precondition(p >= 0 && p < 1, "dropout rate \(p) is not in [0, 1)") }
        self.rates = rates
    }

    public init(floatLiteral p: Double) { self.init(p) }

    /// No dropout.
    public static let none = Dropout(0)

    /// Whether any unit can be dropped (false: the plain network runs and no
    /// random numbers are drawn).
    public var isActive: Bool { rates.contains { $0 > 0 } }

    /// The rate of hidden layer `l` of a network with `hiddenLayers` of them.
    public func rate(layer l: Int, of hiddenLayers: Int) -> Double {
        precondition(rates.count == 1 || rates.count == hiddenLayers,
                     "\(rates.count) dropout rates for a network with \(hiddenLayers) hidden layers")
        return rates.count == 1 ? rates[0] : rates[l]
    }

    /// The mask of each of `hiddenLayers` layers (nil where the rate is 0).
    func masks<T: MIScalar>(hiddenLayers: Int, as: T.Type = T.self) -> [DropoutMask<T>?] {
        (0..<hiddenLayers).map { l in
            let p = rate(layer: l, of: hiddenLayers)
            return p > 0 ? DropoutMask(rate: p) : nil
        }
    }

    /// `0.3`, or `[0.5, 0.3, 0.2]` with one rate per layer.
    public var description: String {
        rates.count == 1 ? "\(rates[0])" : "[" + rates.map { "\($0)" }.joined(separator: ", ") + "]"
    }
}

/// Draws the Bernoulli keep/drop mask of one layer from a generator, as the
/// scale each unit is multiplied by: 1/(1-p) if kept, 0 if dropped.
///
/// A unit is kept when a 32-bit random number u satisfies u < t with
/// t = round((1-p) 2^32): each 64-bit draw serves two units, and the keep
/// probability t/2^32 differs from 1-p by at most 2^-33.
struct DropoutMask<T: MIScalar>: Sendable {
    let rate: Double
    /// Units are kept when their 32-bit draw is below this.
    let threshold: UInt64
    /// 1/(1-p) in the working precision.
    let scale: T

    init(rate p: Double) {
        precondition(p > 0 && p < 1, "a dropout mask needs 0 < p < 1, got \(p)")
        rate = p
        threshold = UInt64(((1 - p) * 0x1p32).rounded())
        scale = T(1 / (1 - p))
    }

    /// m[c] = scale or 0 for c in 0..<n; draws ceil(n/2) numbers from `rng`.
    ///
    /// Branch-free: with u, t <= 2^32, u - t wraps around (its top bit is
    /// set) exactly when u < t, so the top bit is the keep bit. A branch
    /// here would be mispredicted on a fraction min(p, 1-p) of the units.
    /// Not inlined: on its own the loop keeps the generator's state in
    /// registers (inlined into a block pass, it spilled to the stack).
    @inline(never)
    func fill(_ m: UnsafeMutablePointer<T>, _ n: Int, rng: inout RNG) {
        let t = threshold, s = scale
        var c = 0
        while c + 1 < n {
            let r = rng.next()
            m[c] = s * T(Int(truncatingIfNeeded: ((r & 0xFFFF_FFFF) &- t) >> 63))
            m[c + 1] = s * T(Int(truncatingIfNeeded: ((r >> 32) &- t) >> 63))
            c += 2
        }
        if c < n { m[c] = s * T(Int(truncatingIfNeeded: ((rng.next() & 0xFFFF_FFFF) &- t) >> 63)) }
    }
}
