/// An invertible encoder of additive coupling layers, the RealNVP family
/// (Dinh et al. 2016) as 001 sec. 3.1 uses it. Layer l reorders the values
/// by a fixed random permutation, then adds to the second part a shift
/// computed from the first part by its own MLP:
///
///     (a, b) = P_l x,   y = (a, b + m_l(a)),   inverted by   b = y_b - m_l(y_a),  x = P_l^T (a, b),
///
/// so every setting of the weights is a bijection and I(g1(X1); g2(X2)) =
/// I(X1; X2): any change in an MI estimate during training comes from the
/// estimator, not from information gained or lost (001 Fig. 1). Additive
/// couplings have unit Jacobian determinant (Dinh et al. 2014, NICE). As in
/// 001's code, the first part is floor(width / 2) values, each layer draws
/// its own permutation (from the initialiser's generator), and every weight
/// starts N(0, 1e-4^2) truncated at two standard deviations, biases zero, so
/// the shifts start near zero and the encoder near a permutation of its
/// inputs (which a linear probe sees as the raw pixels).
///
/// Scale: 001 uses 30 layers, each shift an MLP with two hidden ReLU layers
/// of 512 units: 13.9 million multiply-adds per 392-pixel row, 21.5 GFLOP
/// for a training step of a pair of encoders on a 128-row batch (forward
/// and backward, `mi bench --only encoder-coupling-nce --coupling-layers 30
/// --coupling-hidden 512`), and 13.9 million parameters per encoder (583
/// MiB for the pair with gradients and Adam's moments). On the project's
/// 2-core AMD EPYC (AVX2; shared, load average 8 to 12) one core spent
/// 0.41 s on such a step and the pair ran 2.3 steps/s on both cores: 3,000
/// steps take about 22 minutes there, 10 to 12 on the idle machine. The
/// defaults, 8 layers of 2 x 256 (`defaultLayers`, `defaultHidden`), cost
/// 1.3 million multiply-adds per row (2.2 GFLOP a step, 0.05 s on one core,
/// 16 steps/s on the loaded machine, 139 MiB), so 3,000 steps take about 3
/// minutes even there; 16 layers of 2 x 256 (4.2 GFLOP, 9.6 steps/s) take
/// about 5. `layers`, `hidden` and `hiddenLayers` restore 001's network.
/// Invertibility, the property Fig. 1 rests on, does not depend on the depth.
public final class CouplingEncoder<Scalar: MIScalar>: FeatureEncoder {
    public let width: Int
    /// The shift MLP of each layer, first layer first.
    public let shifts: [MLP<Scalar>]
    /// The permutation of each layer: part position j takes input value permutations[l][j].
    public let permutations: [[Int]]
    public var parallelism: Parallelism {
        didSet { for m in shifts { m.parallelism = parallelism } }
    }

    /// Coupling layers when not given (see the type's comment for the choice).
    public static var defaultLayers: Int { 8 }
    /// Hidden units per layer of each shift when not given.
    public static var defaultHidden: Int { 256 }

    /// Values of the first part (the shift's input) and of the second.
    public var firstPart: Int { width / 2 }
    public var secondPart: Int { width - width / 2 }

    private let a = Scratch<Scalar>(), b = Scratch<Scalar>()
    private let states = [Scratch<Scalar>(), Scratch<Scalar>()]
    private let dA = Scratch<Scalar>(), dB = Scratch<Scalar>(), dShiftInput = Scratch<Scalar>()
    private let dStates = [Scratch<Scalar>(), Scratch<Scalar>()]
    private let inverted = [Scratch<Scalar>(), Scratch<Scalar>()]
    private var output: UnsafeMutablePointer<Scalar>?
    public private(set) var rows = 0

    /// - Parameters:
    ///   - width: inputs per row, and features per row (at least 2).
    ///   - layers: coupling layers (001: 30).
    ///   - hidden: units per hidden layer of each shift MLP (001: 512).
    ///   - hiddenLayers: hidden layers per shift MLP (001: 2).
    ///   - initialStd: of every initial weight (001's code: 1e-4).
    public init(width: Int, layers: Int = defaultLayers, hidden: Int = defaultHidden, hiddenLayers: Int = 2,
                activation: Activation = .relu, initialStd: Double = 1e-4, parallelism: Parallelism = .allCores,
                rng: inout RNG) throws(ShapeError) {
        guard width >= 2 else { throw ShapeError("a coupling encoder needs at least 2 inputs, got \(width)") }
        guard layers >= 1 else { throw ShapeError("a coupling encoder needs at least one layer, got \(layers)") }
        guard hidden >= 1 && hiddenLayers >= 1 else {
            throw ShapeError("each shift needs at least one hidden layer of at least one unit, got \(hiddenLayers) of \(hidden)")
        }
        guard initialStd >= 0 && initialStd.isFinite else {
            throw ShapeError("the initial weights' standard deviation must be finite and not negative, got \(initialStd)")
        }
        self.width = width
        self.parallelism = parallelism
        let sizes = [width / 2] + [Int](repeating: hidden, count: hiddenLayers) + [width - width / 2]
        var perms: [[Int]] = []
        var mlps: [MLP<Scalar>] = []
        for _ in 0..<layers {
            perms.append(rng.permutation(width))
            let m = MLP<Scalar>(sizes: sizes, activation: activation, sharing: ParameterStore(count: Self.count(sizes)),
                                parallelism: parallelism)
            for layer in m.layers {
                truncatedNormal(layer.weight(m.store), count: layer.inputs * layer.outputs, std: initialStd, rng: &rng)
            }
            mlps.append(m)
        }
        permutations = perms
        shifts = mlps
    }

    /// Parameters of an MLP of `sizes`.
    private static func count(_ sizes: [Int]) -> Int {
        (0..<(sizes.count - 1)).reduce(0) { $0 + sizes[$1] * sizes[$1 + 1] + sizes[$1 + 1] }
    }

    public var name: String {
        let h = shifts[0].sizes.dropFirst().dropLast()
        return "coupling(\(shifts.count) x \(h.count)x\(h.first!))"
    }
    public var inputSize: Int { width }
    public var outputSize: Int { width }
    public var stores: [ParameterStore<Scalar>] { shifts.map(\.store) }

    public func forward(_ x: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar> {
        self.rows = rows
        let pa = a.reserve(rows * firstPart), pb = b.reserve(rows * secondPart)
        var current = x
        for (l, m) in shifts.enumerated() {
            gather(current, rows: rows, permutation: permutations[l], a: pa, b: pb)
            let shift = m.forward(pa, rows: rows)
            RowKernels.addTo(pb, shift, rows * secondPart)
            let next = states[l % 2].reserve(rows * width)
            join(a: pa, b: pb, rows: rows, into: next)
            current = UnsafePointer(next)
        }
        return current
    }

    /// Layer l took (a, b) = P x to (a, b + m(a)): d b = d y_b, d a = d y_a +
    /// J_m^T d y_b, and d x = P^T (d a, d b).
    public func backward(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>?) {
        let da = dA.reserve(rows * firstPart), db = dB.reserve(rows * secondPart)
        let ds = dShiftInput.reserve(rows * firstPart)
        var current = dOut
        for l in stride(from: shifts.count - 1, through: 0, by: -1) {
            split(current, rows: rows, a: da, b: db)
            let needInput = l > 0 || dInput != nil
            shifts[l].backward(db, dInput: needInput ? ds : nil)
            guard needInput else { break }
            RowKernels.addTo(da, ds, rows * firstPart)
            let target = l == 0 ? dInput! : dStates[l % 2].reserve(rows * width)
            scatter(a: da, b: db, rows: rows, permutation: permutations[l], into: target)
            current = UnsafePointer(target)
        }
    }

    /// The inputs whose features are `y` (rows x width): the layers undone
    /// in reverse. The result stays valid until the next call; this
    /// replaces what the last `forward` kept for `backward`.
    public func inverse(_ y: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar> {
        self.rows = rows
        let pa = a.reserve(rows * firstPart), pb = b.reserve(rows * secondPart)
        var current = y
        for l in stride(from: shifts.count - 1, through: 0, by: -1) {
            split(current, rows: rows, a: pa, b: pb)
            let shift = shifts[l].forward(pa, rows: rows)
            Self.subtract(pb, shift, rows * secondPart)
            let previous = inverted[l % 2].reserve(rows * width)
            scatter(a: pa, b: pb, rows: rows, permutation: permutations[l], into: previous)
            current = UnsafePointer(previous)
        }
        return current
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

    @inline(__always)
    private static func subtract(_ b: UnsafeMutablePointer<Scalar>, _ s: UnsafePointer<Scalar>, _ n: Int) {
        for i in 0..<n { b[i] -= s[i] }
    }

    /// (a, b) = P x, row by row: part position j takes x[permutation[j]].
    private func gather(_ x: UnsafePointer<Scalar>, rows: Int, permutation p: [Int],
                        a: UnsafeMutablePointer<Scalar>, b: UnsafeMutablePointer<Scalar>) {
        let w = width, na = firstPart, nb = secondPart
        p.withUnsafeBufferPointer { p in
            for r in 0..<rows {
                let src = x + r * w, da = a + r * na, db = b + r * nb
                for j in 0..<na { da[j] = src[p[j]] }
                for j in 0..<nb { db[j] = src[p[na + j]] }
            }
        }
    }

    /// x = P^T (a, b): the inverse of `gather`.
    private func scatter(a: UnsafePointer<Scalar>, b: UnsafePointer<Scalar>, rows: Int, permutation p: [Int],
                         into x: UnsafeMutablePointer<Scalar>) {
        let w = width, na = firstPart, nb = secondPart
        p.withUnsafeBufferPointer { p in
            for r in 0..<rows {
                let dst = x + r * w, sa = a + r * na, sb = b + r * nb
                for j in 0..<na { dst[p[j]] = sa[j] }
                for j in 0..<nb { dst[p[na + j]] = sb[j] }
            }
        }
    }

    /// Rows [a | b].
    private func join(a: UnsafePointer<Scalar>, b: UnsafePointer<Scalar>, rows: Int, into y: UnsafeMutablePointer<Scalar>) {
        let w = width, na = firstPart, nb = secondPart
        for r in 0..<rows {
            (y + r * w).update(from: a + r * na, count: na)
            (y + r * w + na).update(from: b + r * nb, count: nb)
        }
    }

    /// Rows [a | b] split into their parts.
    private func split(_ y: UnsafePointer<Scalar>, rows: Int, a: UnsafeMutablePointer<Scalar>, b: UnsafeMutablePointer<Scalar>) {
        let w = width, na = firstPart, nb = secondPart
        for r in 0..<rows {
            (a + r * na).update(from: y + r * w, count: na)
            (b + r * nb).update(from: y + r * w + na, count: nb)
        }
    }
}
