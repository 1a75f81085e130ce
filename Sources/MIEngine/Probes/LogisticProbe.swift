/// Options of the logistic-regression probe. The defaults are scikit-learn's
/// `LogisticRegression(C=1.0, solver='lbfgs')` (multinomial for more than
/// two classes, `tol=1e-4`), except that it runs to convergence: up to
/// 1000 iterations where scikit-learn stops at 100.
public struct LogisticProbeOptions: Sendable, Equatable {
    /// The inverse regularisation strength: the objective is
    /// C sum_i CE_i + ||W||^2 / 2 (the intercept is not penalised).
    public var c: Double
    /// Stop once the largest gradient component of the objective divided by
    /// C n (scikit-learn's units) is at most this.
    public var tolerance: Double
    public var maxIterations: Int
    /// L-BFGS history length (SciPy's default 10).
    public var memory: Int
    /// Standardise features on the training statistics first
    /// (`FeatureScaling`); scikit-learn does not by default.
    public var standardize: Bool
    /// Let L-BFGS search in centred, whitened variables
    /// (`LogisticPreconditioner`). The objective, its minimiser and the
    /// stopping test (in the model's units) are the same either way; only
    /// the path differs, in far fewer iterations on correlated or unevenly
    /// scaled features (raw Fashion-MNIST pixels: about a quarter).
    public var precondition: Bool
    /// Whether the objective's chunks run on all cores (the same bits either way).
    public var parallelism: Parallelism

    public init(c: Double = 1, tolerance: Double = 1e-4, maxIterations: Int = 1000, memory: Int = 10,
                standardize: Bool = false, precondition: Bool = true, parallelism: Parallelism = .allCores) {
        self.c = c
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.memory = memory
        self.standardize = standardize
        self.precondition = precondition
        self.parallelism = parallelism
    }

    func validate() throws(ProbeError) {
        if !(c > 0 && c.isFinite) { throw .invalidOption(name: "C", value: "\(c)", expected: "positive and finite") }
        if !(tolerance >= 0 && tolerance.isFinite) {
            throw .invalidOption(name: "tolerance", value: "\(tolerance)", expected: "finite and not negative")
        }
        if maxIterations < 1 { throw .invalidOption(name: "maxIterations", value: "\(maxIterations)", expected: "at least 1") }
        if memory < 1 { throw .invalidOption(name: "memory", value: "\(memory)", expected: "at least 1") }
    }
}

/// How a probe's fit ended.
public enum ProbeStop: String, Sendable, Equatable {
    /// The gradient fell to the tolerance (converged).
    case gradient
    /// An iteration improved the objective by a relative 64 machine
    /// epsilons or less (converged, as scikit-learn counts it).
    case decrease
    /// The iteration or epoch limit was reached first.
    case iterations
    /// The line search found no lower objective: rounding in the
    /// objective is as large as what is left to gain (as good as converged
    /// in that precision).
    case lineSearch
    /// The held-out score stopped improving (the MLP probe's early stopping).
    case earlyStopping

    /// Whether the fit reached its stopping test rather than a limit.
    public var converged: Bool { self != .iterations }
}

/// A probe's accuracy on held-out data and how its fit went.
public struct ProbeReport: Sendable, Equatable {
    /// Fraction of test rows classified correctly.
    public var testAccuracy: Double
    /// Fraction of training rows classified correctly.
    public var trainAccuracy: Double
    /// L-BFGS iterations (logistic probe) or epochs (MLP probe).
    public var iterations: Int
    /// The final training objective: C sum CE + ||W||^2 / 2 (logistic
    /// probe) or the mean cross-entropy of the kept parameters on the
    /// training part (MLP probe).
    public var loss: Double
    public var stop: ProbeStop
    /// The fitted probe's mean softmax cross-entropy on the test rows (nats):
    /// the "loss of a linear classifier" on frozen features that 001 Fig. 1c
    /// plots. NaN when not measured.
    public var testLoss: Double

    public init(testAccuracy: Double, trainAccuracy: Double, iterations: Int, loss: Double, stop: ProbeStop,
                testLoss: Double = .nan) {
        self.testAccuracy = testAccuracy
        self.trainAccuracy = trainAccuracy
        self.iterations = iterations
        self.loss = loss
        self.stop = stop
        self.testLoss = testLoss
    }
}

/// Multinomial logistic regression on frozen features, the linear probe of
/// representation learning (001 sec. 3: a linear classifier on g1(x_top)),
/// fitted to convergence by L-BFGS with a strong-Wolfe line search, by
/// default in whitened variables (`LogisticPreconditioner`).
///
/// The objective is scikit-learn's (`LogisticObjective`), so a fit matches
/// `LogisticRegression(C=c, solver='lbfgs')` run to the same tolerance.
/// Products are sgemm or dgemm in the features' precision T; the loss, the
/// gradient's sums and the optimiser run in Double. Same data, same bits,
/// on any number of cores.
///
///     let probe = try LogisticProbe(fitting: trainX, labels: trainY)
///     let accuracy = try probe.accuracy(testX, labels: testY)
public struct LogisticProbe<T: MIScalar>: Sendable {
    public let classes: Int
    /// Features per row the probe was fitted on.
    public let featureCount: Int
    /// Weights, features x classes (on standardised features when `scaling` is set).
    public let weights: Matrix<Double>
    public let intercept: [Double]
    /// The standardisation applied before the linear map, if any.
    public let scaling: FeatureScaling?
    public let iterations: Int
    /// Objective evaluations (iterations plus extra line-search steps).
    public let evaluations: Int
    /// The objective at the fit: C sum_i CE_i + ||W||^2 / 2.
    public let loss: Double
    /// The largest gradient component of the objective divided by C n.
    public let gradientNorm: Double
    public let stop: ProbeStop
    /// Fraction of the training rows classified correctly.
    public let trainAccuracy: Double
    public let parallelism: Parallelism
    /// `weights` in T, for predictions.
    private let weightsT: Matrix<T>

    /// Fits the probe to `features` (rows x features) and `labels` in
    /// 0..<classes (`classes` nil: one more than the largest label).
    public init(fitting features: Matrix<T>, labels: [Int], classes: Int? = nil,
                options: LogisticProbeOptions = LogisticProbeOptions()) throws(ProbeError) {
        try options.validate()
        let k = try ProbeInput.classes(classes, labels: labels)
        try ProbeInput.check(features, labels: labels, classes: k, role: "training features")
        let scaling = options.standardize ? FeatureScaling(fitting: features) : nil
        let x = scaling?.apply(features) ?? features
        let objective = LogisticObjective(features: x, labels: labels, classes: k, c: options.c,
                                          parallelism: options.parallelism)
        let solver = LBFGS(memory: options.memory, maxIterations: options.maxIterations,
                           gradientTolerance: options.tolerance)
        let zero = [Double](repeating: 0, count: objective.parameterCount)
        let fit: LBFGS.Result
        let theta: [Double], gradient: [Double]
        if options.precondition {
            // Search in whitened variables u; W = 0, b = 0 is u = 0.
            let map = LogisticPreconditioner(fitting: x, classes: k, c: options.c, parallelism: options.parallelism)
            var model = zero, modelGradient = zero
            fit = solver.minimize(from: zero, gradientNorm: { LBFGS.maxNorm(map.modelGradient($0)) }) { u, g in
                map.model(u, into: &model)
                let value = objective.evaluate(model, gradient: &modelGradient)
                map.searchGradient(modelGradient, into: &g)
                return value
            }
            map.model(fit.x, into: &model)
            theta = model
            gradient = map.modelGradient(fit.gradient)
        } else {
            fit = solver.minimize(from: zero) { theta, g in objective.evaluate(theta, gradient: &g) }
            theta = fit.x
            gradient = fit.gradient
        }
        let d = x.cols
        self.classes = k
        featureCount = d
        weights = Matrix(rows: d, cols: k, storage: Array(theta[0..<(d * k)]))
        intercept = Array(theta[(d * k)...])
        let weightsT = weights.converted(to: T.self)
        self.weightsT = weightsT
        self.scaling = scaling
        iterations = fit.iterations
        evaluations = fit.evaluations
        loss = objective.unscaled(fit.value)
        gradientNorm = LBFGS.maxNorm(gradient)
        stop = switch fit.stop {
        case .gradient: .gradient
        case .decrease: .decrease
        case .iterations: .iterations
        case .lineSearch: .lineSearch
        }
        parallelism = options.parallelism
        let predictions = LinearScores.argmax(x, weights: weightsT, intercept: intercept.map { T($0) },
                                              parallelism: options.parallelism)
        trainAccuracy = Self.accuracy(predictions: predictions, labels: labels)
    }

    public var converged: Bool { stop.converged }

    /// The class of each row of `features` (the first of equal scores).
    public func predict(_ features: Matrix<T>) throws(ProbeError) -> [Int] {
        try ProbeInput.checkWidth(features, expected: featureCount, role: "features")
        try ProbeInput.checkFinite(features, role: "features")
        return predictScaled(scaling?.apply(features) ?? features)
    }

    /// The fraction of rows of `features` whose predicted class is the label.
    public func accuracy(_ features: Matrix<T>, labels: [Int]) throws(ProbeError) -> Double {
        try ProbeInput.checkWidth(features, expected: featureCount, role: "test features")
        try ProbeInput.check(features, labels: labels, classes: classes, role: "test features")
        return Self.accuracy(predictions: predictScaled(scaling?.apply(features) ?? features), labels: labels)
    }

    /// The accuracy on `features` and the mean softmax cross-entropy of
    /// x W + b to the labels (nats), from one pass over the rows.
    public func score(_ features: Matrix<T>, labels: [Int]) throws(ProbeError) -> (accuracy: Double, loss: Double) {
        try ProbeInput.checkWidth(features, expected: featureCount, role: "test features")
        try ProbeInput.check(features, labels: labels, classes: classes, role: "test features")
        let scored = LinearScores.score(scaling?.apply(features) ?? features, weights: weightsT,
                                        intercept: intercept.map { T($0) }, labels: labels, parallelism: parallelism)
        return (Self.accuracy(predictions: scored.predictions, labels: labels), scored.loss / Double(labels.count))
    }

    /// Fits on the training part and reports the accuracy and loss on the test part.
    public static func evaluate(train: Matrix<T>, trainLabels: [Int], test: Matrix<T>, testLabels: [Int],
                                classes: Int? = nil,
                                options: LogisticProbeOptions = LogisticProbeOptions()) throws(ProbeError) -> ProbeReport {
        let probe = try LogisticProbe(fitting: train, labels: trainLabels, classes: classes, options: options)
        let test = try probe.score(test, labels: testLabels)
        return ProbeReport(testAccuracy: test.accuracy, trainAccuracy: probe.trainAccuracy, iterations: probe.iterations,
                           loss: probe.loss, stop: probe.stop, testLoss: test.loss)
    }

    /// Predictions for features already standardised (when the probe standardises).
    private func predictScaled(_ x: Matrix<T>) -> [Int] {
        LinearScores.argmax(x, weights: weightsT, intercept: intercept.map { T($0) }, parallelism: parallelism)
    }

    static func accuracy(predictions: [Int], labels: [Int]) -> Double {
        var right = 0
        for i in labels.indices where predictions[i] == labels[i] { right += 1 }
        return Double(right) / Double(labels.count)
    }
}

/// The class scores x W + b of many rows, in fixed blocks of rows.
enum LinearScores {
    static let blockRows = 512

    /// argmax_c (x W + b)_c for each row.
    static func argmax<T: MIScalar>(_ x: Matrix<T>, weights: Matrix<T>, intercept: [T],
                                    parallelism: Parallelism) -> [Int] {
        scores(x, weights: weights, intercept: intercept, labels: nil, parallelism: parallelism).predictions
    }

    /// argmax_c (x W + b)_c for each row, and the rows' summed softmax
    /// cross-entropy to `labels`: each block's sum in row order, the
    /// blocks' sums added in block order (the same bits on any core count).
    static func score<T: MIScalar>(_ x: Matrix<T>, weights: Matrix<T>, intercept: [T], labels: [Int],
                                   parallelism: Parallelism) -> (predictions: [Int], loss: Double) {
        scores(x, weights: weights, intercept: intercept, labels: labels, parallelism: parallelism)
    }

    private static func scores<T: MIScalar>(_ x: Matrix<T>, weights: Matrix<T>, intercept: [T], labels: [Int]?,
                                            parallelism: Parallelism) -> (predictions: [Int], loss: Double) {
        let n = x.rows, d = x.cols, k = weights.cols
        var out = [Int](repeating: 0, count: n)
        let blocks = (n + blockRows - 1) / blockRows
        var losses = [Double](repeating: 0, count: Swift.max(blocks, 1))
        let scratch = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(blocks * blockRows * k, 1))
        defer { scratch.deallocate() }
        let zs = SharedPointer(scratch)
        let y = labels ?? []
        x.storage.withUnsafeBufferPointer { xp in
            weights.storage.withUnsafeBufferPointer { wp in
                intercept.withUnsafeBufferPointer { bp in
                    out.withUnsafeMutableBufferPointer { op in
                        losses.withUnsafeMutableBufferPointer { lp in
                            y.withUnsafeBufferPointer { yp in
                                let xs = SharedPointer(UnsafeMutablePointer(mutating: xp.baseAddress!))
                                let ws = SharedPointer(UnsafeMutablePointer(mutating: wp.baseAddress!))
                                let bs = SharedPointer(UnsafeMutablePointer(mutating: bp.baseAddress!))
                                let os = SharedPointer(op.baseAddress!)
                                let ls = SharedPointer(lp.baseAddress!)
                                let ys = labels == nil ? nil : yp.baseAddress.map { SharedPointer(UnsafeMutablePointer(mutating: $0)) }
                                parallelism.forEach(blocks) { b in
                                    let start = b * blockRows, rows = Swift.min(blockRows, n - start)
                                    let z = zs.base + b * blockRows * k
                                    T.gemm(transA: false, transB: false, m: rows, n: k, k: d, alpha: 1,
                                           a: xs.base + start * d, lda: d, b: ws.base, ldb: k, beta: 0, c: z, ldc: k)
                                    for r in 0..<rows { RowKernels.addTo(z + r * k, bs.base, k) }
                                    SoftmaxRows.argmax(z, rows: rows, classes: k, into: os.base + start)
                                    if let ys {
                                        ls.base[b] = SoftmaxRows.loss(z, rows: rows, classes: k, labels: ys.base + start)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (out, losses.reduce(0, +))
    }
}
