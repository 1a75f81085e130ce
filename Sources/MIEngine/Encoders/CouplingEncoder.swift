/// An invertible encoder of additive coupling layers, the RealNVP family
/// (Dinh et al. 2016) as 001 sec. 3.1 uses it: each layer adds to one half
/// of the values a shift computed from the other half by its own MLP,
///
///     y_B = x_B + m(x_A),  y_A = x_A,   inverted by   x_B = y_B - m(y_A),
///
/// so every setting of the weights is a bijection and I(g1(X1); g2(X2)) =
/// I(X1; X2): any change in an MI estimate during training comes from the
/// estimator, not from information gained or lost (001 Fig. 1). Additive
/// couplings have unit Jacobian determinant (Dinh et al. 2014, NICE).
///
/// The halves are the even- and the odd-indexed inputs (for a row-major
/// image of even width, alternate columns; every shift MLP is fully
/// connected, so each half sees the whole image), and the layers alternate:
/// layer 0 shifts the odd half by a function of the even half, layer 1 the
/// even half by a function of the odd, and so on.
///
/// Scale: 001 uses 30 layers, each shift an MLP with two hidden ReLU layers
/// of 512 units, about 14 million multiply-adds per 392-pixel row (21
/// GFLOP for a forward and backward pass of a 128-row batch through two
/// encoders, 1.5 s a step at this machine's peak). The defaults here, 8
/// layers of 2 x 256, cost 1.3 million per row, a tenth (2 GFLOP a step),
/// so an encoder pair trains about ten times faster; `layers`, `hidden` and `hiddenLayers` restore 001's network.
/// Invertibility, the property Fig. 1 rests on, does not depend on the depth.
///
/// The last layer of every shift MLP starts at zero, so the encoder starts
/// as the identity (raw pixels, the probe's baseline; 001 App. B also starts
/// its invertible encoder close to the identity); the hidden layers are
/// Glorot-uniform.
public final class CouplingEncoder<Scalar: MIScalar>: FeatureEncoder {
    public let width: Int
    /// The shift MLP of each layer, first layer first.
    public let shifts: [MLP<Scalar>]
    public var parallelism: Parallelism {
        didSet { for m in shifts { m.parallelism = parallelism } }
    }

    private let even = Scratch<Scalar>(), odd = Scratch<Scalar>()
    private let dEven = Scratch<Scalar>(), dOdd = Scratch<Scalar>(), dCondition = Scratch<Scalar>()
    private let out = Scratch<Scalar>(), inverted = Scratch<Scalar>()
    public private(set) var rows = 0

    /// - Parameters:
    ///   - width: inputs per row, and features per row (at least 2).
    ///   - layers: coupling layers (001: 30).
    ///   - hidden: units per hidden layer of each shift MLP (001: 512).
    ///   - hiddenLayers: hidden layers per shift MLP (001: 2).
    public init(width: Int, layers: Int = 8, hidden: Int = 256, hiddenLayers: Int = 2,
                activation: Activation = .relu, parallelism: Parallelism = .allCores,
                rng: inout RNG) throws(ShapeError) {
        guard width >= 2 else { throw ShapeError("a coupling encoder needs at least 2 inputs, got \(width)") }
        guard layers >= 1 else { throw ShapeError("a coupling encoder needs at least one layer, got \(layers)") }
        guard hidden >= 1 && hiddenLayers >= 1 else {
            throw ShapeError("each shift needs at least one hidden layer of at least one unit, got \(hiddenLayers) of \(hidden)")
        }
        self.width = width
        self.parallelism = parallelism
        let evens = (width + 1) / 2, odds = width / 2
        let inner = [Int](repeating: hidden, count: hiddenLayers)
        shifts = (0..<layers).map { l in
            let (from, to) = l % 2 == 0 ? (evens, odds) : (odds, evens)
            let m = MLP<Scalar>(sizes: [from] + inner + [to], activation: activation, parallelism: parallelism, rng: &rng)
            let last = m.layers[m.layers.count - 1]
            last.weight(m.store).update(repeating: 0, count: last.inputs * last.outputs)
            return m
        }
    }

    public var name: String {
        let h = shifts[0].sizes.dropFirst().dropLast()
        return "coupling(\(shifts.count) x \(h.count)x\(h.first!))"
    }
    public var inputSize: Int { width }
    public var outputSize: Int { width }
    public var stores: [ParameterStore<Scalar>] { shifts.map(\.store) }
    private var evens: Int { (width + 1) / 2 }
    private var odds: Int { width / 2 }

    public func forward(_ x: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar> {
        self.rows = rows
        let e = even.reserve(rows * evens), o = odd.reserve(rows * odds)
        split(x, rows: rows, even: e, odd: o)
        for (l, m) in shifts.enumerated() {
            let (from, to, n) = l % 2 == 0 ? (e, o, odds) : (o, e, evens)
            let shift = m.forward(from, rows: rows)
            RowKernels.addTo(to, shift, rows * n)
        }
        let y = out.reserve(rows * width)
        merge(even: e, odd: o, rows: rows, into: y)
        return UnsafePointer(y)
    }

    /// Layer l took y_B = x_B + m(x_A): d x_B = d y_B, and d x_A = d y_A + J_m^T d y_B.
    public func backward(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>?) {
        let de = dEven.reserve(rows * evens), dO = dOdd.reserve(rows * odds)
        let dc = dCondition.reserve(rows * evens)
        split(dOut, rows: rows, even: de, odd: dO)
        for l in stride(from: shifts.count - 1, through: 0, by: -1) {
            let (dFrom, dTo, n) = l % 2 == 0 ? (de, dO, evens) : (dO, de, odds)
            let needInput = l > 0 || dInput != nil
            shifts[l].backward(dTo, dInput: needInput ? dc : nil)
            if needInput { RowKernels.addTo(dFrom, dc, rows * n) }
        }
        if let dInput { merge(even: de, odd: dO, rows: rows, into: dInput) }
    }

    /// The inputs whose features are `y` (rows x width): the layers undone
    /// in reverse, x_B = y_B - m(y_A). The result stays valid until the next
    /// call; this replaces what the last `forward` kept for `backward`.
    public func inverse(_ y: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar> {
        self.rows = rows
        let e = even.reserve(rows * evens), o = odd.reserve(rows * odds)
        split(y, rows: rows, even: e, odd: o)
        for l in stride(from: shifts.count - 1, through: 0, by: -1) {
            let (from, to, n) = l % 2 == 0 ? (e, o, odds) : (o, e, evens)
            let shift = shifts[l].forward(from, rows: rows)
            for i in 0..<(rows * n) { to[i] -= shift[i] }
        }
        let x = inverted.reserve(rows * width)
        merge(even: e, odd: o, rows: rows, into: x)
        return UnsafePointer(x)
    }

    /// Convenience: the inverse of a matrix of features.
    public func inverse(_ y: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(y.cols == width, "\(name) inverts \(width) features, got \(y.cols)")
        let x = y.storage.withUnsafeBufferPointer { inverse($0.baseAddress!, rows: y.rows) }
        return Matrix(rows: y.rows, cols: width, storage: Array(UnsafeBufferPointer(start: x, count: y.rows * width)))
    }

    public func flops(rows: Int) -> Double {
        shifts.reduce(0) { $0 + mlpFlops($1.sizes, rows: rows) }
    }

    private func split(_ x: UnsafePointer<Scalar>, rows: Int, even e: UnsafeMutablePointer<Scalar>,
                       odd o: UnsafeMutablePointer<Scalar>) {
        let w = width, ne = evens, no = odds
        for r in 0..<rows {
            let src = x + r * w
            for i in 0..<ne { e[r * ne + i] = src[2 * i] }
            for i in 0..<no { o[r * no + i] = src[2 * i + 1] }
        }
    }

    private func merge(even e: UnsafePointer<Scalar>, odd o: UnsafePointer<Scalar>, rows: Int,
                       into y: UnsafeMutablePointer<Scalar>) {
        let w = width, ne = evens, no = odds
        for r in 0..<rows {
            let dst = y + r * w
            for i in 0..<ne { dst[2 * i] = e[r * ne + i] }
            for i in 0..<no { dst[2 * i + 1] = o[r * no + i] }
        }
    }
}
