import RealModule

/// Grids of interpolation weights alpha for I_alpha (004 eq. 11).
public enum AlphaGrid {
    /// `count` values of alpha evenly spaced in logit(alpha) from `low` to
    /// `high` (both in (0, 1)): dense near 0 (NWJ-like) and near 1
    /// (NCE-like), where the bound changes fastest. The default spans
    /// 0.001 ... 0.999 in 13 steps, symmetric about 0.5.
    public static func logit(low: Double = 0.001, high: Double = 0.999, count: Int = 13) -> [Double] {
        precondition(low > 0 && high < 1 && low < high, "need 0 < low < high < 1")
        precondition(count >= 2, "a grid needs at least 2 points")
        let a = Double.log(low / (1 - low)), b = Double.log(high / (1 - high))
        return (0..<count).map { i in
            let t = a + (b - a) * Double(i) / Double(count - 1)
            return 1 / (1 + Double.exp(-t))
        }
    }
}

/// The alpha with the smallest encoder-gradient MSE for each (MI, K): the
/// data behind 004 Figure 4 (right). All alphas of a cell see the same
/// batches (common random numbers), so the comparison is paired.
public struct BestAlphaSearch: Sendable {
    public var mis: [Double]
    public var batchSizes: [Int]
    public var alphas: [Double]
    public var batches: Int
    public var dim: Int
    public var seed: UInt64

    public init(mis: [Double], batchSizes: [Int], alphas: [Double] = AlphaGrid.logit(), batches: Int = 200,
                dim: Int = 20, seed: UInt64 = 0) {
        precondition(!alphas.isEmpty && alphas.allSatisfy { $0 >= 0 && $0 <= 1 }, "alphas must lie in [0, 1]")
        self.mis = mis
        self.batchSizes = batchSizes
        self.alphas = alphas
        self.batches = batches
        self.dim = dim
        self.seed = seed
    }

    /// The gradient sweep over I_alpha for every alpha of the grid.
    public var sweep: GradientAccuracySweep {
        GradientAccuracySweep(mis: mis, batchSizes: batchSizes, bounds: alphas.map { Interpolated(alpha: $0) },
                              batches: batches, dim: dim, seed: seed)
    }

    public func run(control: AnalysisControl = AnalysisControl()) -> BestAlphaReport {
        BestAlphaReport(alphas: alphas, gradients: sweep.run(control: control))
    }
}

/// The best alpha of each (MI, K) cell with the whole MSE curve over alpha.
public struct BestAlphaReport: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public var mi: Double
        public var batch: Int
        /// The alpha with the smallest gradient MSE.
        public var alpha: Double
        public var mse: Double
        /// (alpha, gradient MSE, its standard error) for every alpha, in grid order.
        public var curve: [(alpha: Double, mse: Double, standardError: Double)]

        public static func == (a: Cell, b: Cell) -> Bool {
            a.mi == b.mi && a.batch == b.batch && a.alpha == b.alpha && a.mse == b.mse
                && a.curve.elementsEqual(b.curve) { $0 == $1 }
        }
    }

    /// One cell per (MI, K) that finished, ordered by batch size then MI.
    public var cells: [Cell]
    /// The underlying per-alpha gradient statistics.
    public var gradients: GradientAccuracyReport
    public var interrupted: Bool { gradients.interrupted }

    init(alphas: [Double], gradients: GradientAccuracyReport) {
        self.gradients = gradients
        var keys: [(mi: Double, batch: Int)] = []
        for r in gradients.rows where !keys.contains(where: { $0.mi == r.mi && $0.batch == r.batch }) {
            keys.append((r.mi, r.batch))
        }
        keys.sort { ($0.batch, $0.mi) < ($1.batch, $1.mi) }
        cells = keys.map { key in
            // A cell's rows come in grid order (the sweep keeps the order of its
            // bounds); matched by position, since two alphas may print alike.
            let rows = gradients.rows.filter { $0.mi == key.mi && $0.batch == key.batch }
            let curve = zip(alphas, rows).map { a, r in (alpha: a, mse: r.mse, standardError: r.mseStandardError) }
            // Ties go to the first alpha in grid order.
            let best = curve.min { $0.mse < $1.mse }!
            return Cell(mi: key.mi, batch: key.batch, alpha: best.alpha, mse: best.mse, curve: curve)
        }
    }

    /// The cell at (`mi`, `batch`), if it was computed.
    public func cell(mi: Double, batch: Int) -> Cell? {
        cells.first { $0.mi == mi && $0.batch == batch }
    }
}
