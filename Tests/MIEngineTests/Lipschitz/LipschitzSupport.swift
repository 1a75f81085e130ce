import MIEngine

/// The critics the Lipschitz tests run over, small and in Double.
enum LipschitzKind: String, CaseIterable, Sendable {
    case separable, concat, concat1, bilinear

    static let dimX = 3, dimY = 2

    func make(_ act: Activation, rng: inout RNG) -> any LipschitzCritic<Double> {
        let (dx, dy) = (Self.dimX, Self.dimY)
        let critic: any LipschitzCritic<Double>
        switch self {
        case .separable:
            critic = SeparableCritic<Double>(dimX: dx, dimY: dy, shape: NetworkShape(hidden: [5, 4], activation: act),
                                             embedding: 3, rng: &rng)
        case .concat:
            critic = ConcatCritic<Double>(dimX: dx, dimY: dy, shape: NetworkShape(hidden: [5, 4, 3], activation: act),
                                          rng: &rng)
        case .concat1:
            critic = ConcatCritic<Double>(dimX: dx, dimY: dy, shape: NetworkShape(hidden: [6], activation: act), rng: &rng)
        case .bilinear:
            critic = BilinearCritic<Double>(dimX: dx, dimY: dy, rng: &rng)
        }
        // Random biases (and a nudge to every weight) so no unit sits at a ReLU kink.
        for store in critic.stores { for i in 0..<store.count { store.values[i] += 0.1 * rng.normal() } }
        return critic
    }
}

func randomMatrix(_ rows: Int, _ cols: Int, rng: inout RNG, scale: Double = 1) -> Matrix<Double> {
    Matrix(rows: rows, cols: cols, storage: rng.normals(rows * cols).map { scale * $0 })
}

/// The gradient of `loss` with respect to every value in `store`, by central differences.
func storeGradientFD<T>(_ store: ParameterStore<Double>, step: Double = 1e-6, _ loss: () -> T) -> [Double]
where T: BinaryFloatingPoint {
    FiniteDifference.gradient(store.snapshot, step: step) { v in
        let saved = store.snapshot
        store.load(v)
        defer { store.load(saved) }
        return Double(loss())
    }
}
