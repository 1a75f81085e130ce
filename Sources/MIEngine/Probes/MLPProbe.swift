/// A multilayer perceptron on frozen features, the non-linear probe of
/// representation learning (002 sec. 5: two hidden layers of 300 ReLU
/// units and a softmax over the classes), trained by Adam to convergence
/// in the sense of early stopping:
///
/// - a seeded tenth of the training rows (`validationFraction`) is held
///   out; the network trains on the rest, in epochs of a seeded shuffle,
///   one Adam step per minibatch on its mean cross-entropy;
/// - after every epoch the held-out accuracy (or, by `monitor`, the mean
///   cross-entropy) is measured; the weights with the best one so far are
///   kept;
/// - training stops once `patience` epochs in a row have not improved it
///   by more than `tolerance` on the best so far (scikit-learn's rule),
///   or after `maxEpochs` epochs, and the kept weights are the probe.
///
/// Weights start Glorot-uniform from the seed (the engine's `MLP`), so
/// the same features, labels and options give the same probe bit for bit,
/// on one core or all.
///
///     let probe = try MLPProbe(fitting: trainX, labels: trainY, classes: 10)
///     let accuracy = try probe.accuracy(testX, labels: testY)
public final class MLPProbe<T: MIScalar> {
    public let classes: Int
    /// Features per row the probe was fitted on.
    public let featureCount: Int
    public let options: MLPProbeOptions
    /// The standardisation applied before the network, if any.
    public let scaling: FeatureScaling?
    /// Epochs trained.
    public let epochs: Int
    /// The epoch (1-based) whose weights were kept (`epochs` when nothing is held out).
    public let bestEpoch: Int
    /// The mean held-out cross-entropy after each epoch (empty when nothing is held out).
    public let validationLosses: [Double]
    /// The held-out accuracy after each epoch (empty when nothing is held out).
    public let validationAccuracies: [Double]
    /// The kept weights' mean cross-entropy on the rows trained on.
    public let loss: Double
    /// The kept weights' accuracy on the held-out rows (nil when none).
    public let validationAccuracy: Double?
    /// The kept weights' accuracy on every training row given (trained on and held out).
    public let trainAccuracy: Double
    public let stop: ProbeStop
    private let classifier: SoftmaxNetwork<T>

    /// The network (its weights are the kept ones).
    public var network: MLP<T> { classifier.network }

    /// Fits the probe to `features` (rows x features) and `labels` in
    /// 0..<classes (`classes` nil: one more than the largest label).
    public init(fitting features: Matrix<T>, labels: [Int], classes: Int? = nil,
                options: MLPProbeOptions = MLPProbeOptions()) throws(ProbeError) {
        try options.validate()
        let k = try ProbeInput.classes(classes, labels: labels)
        try ProbeInput.check(features, labels: labels, classes: k, role: "training features")
        let n = features.rows, held = options.validationRows(n)
        if n - held < 1 {
            throw .tooFewRows(role: "training features", rows: n, minimum: 2,
                              reason: "one to train on and one held out to stop on")
        }
        let scaling = options.standardize ? FeatureScaling(fitting: features) : nil
        let x = scaling?.apply(features) ?? features
        var splitRNG = RNG(seed: options.seed, stream: 1)
        let order = splitRNG.permutation(n)
        let fitRows = Array(order[0..<(n - held)]), heldRows = Array(order[(n - held)...])
        let fit = (x: x.gatherRows(fitRows), y: fitRows.map { labels[$0] })
        let validation = (x: x.gatherRows(heldRows), y: heldRows.map { labels[$0] })

        var initRNG = RNG(seed: options.seed, stream: 0)
        let network = MLP<T>(sizes: [x.cols] + options.hidden + [k], activation: options.activation,
                             parallelism: options.parallelism, rng: &initRNG)
        let classifier = SoftmaxNetwork(network)
        let trained = Self.train(classifier, fit: fit, validation: validation, options: options)

        let fitScore = classifier.score(fit.x, labels: fit.y)
        let heldScore = held > 0 ? classifier.score(validation.x, labels: validation.y) : (loss: 0, correct: 0)
        self.classes = k
        featureCount = features.cols
        self.options = options
        self.scaling = scaling
        epochs = trained.epochs
        bestEpoch = trained.bestEpoch
        validationLosses = trained.validationLosses
        validationAccuracies = trained.validationAccuracies
        loss = fitScore.loss / Double(fit.y.count)
        validationAccuracy = held > 0 ? Double(heldScore.correct) / Double(held) : nil
        trainAccuracy = Double(fitScore.correct + heldScore.correct) / Double(n)
        stop = trained.stop
        self.classifier = classifier
    }

    public var converged: Bool { stop.converged }

    /// The class of each row of `features` (the first of equal scores).
    public func predict(_ features: Matrix<T>) throws(ProbeError) -> [Int] {
        try ProbeInput.checkWidth(features, expected: featureCount, role: "features")
        try ProbeInput.checkFinite(features, role: "features")
        return classifier.predict(scaling?.apply(features) ?? features)
    }

    /// The fraction of rows of `features` whose predicted class is the label.
    public func accuracy(_ features: Matrix<T>, labels: [Int]) throws(ProbeError) -> Double {
        try ProbeInput.checkWidth(features, expected: featureCount, role: "test features")
        try ProbeInput.check(features, labels: labels, classes: classes, role: "test features")
        let score = classifier.score(scaling?.apply(features) ?? features, labels: labels)
        return Double(score.correct) / Double(labels.count)
    }

    /// The accuracy on `features` and the mean softmax cross-entropy to the labels (nats).
    public func score(_ features: Matrix<T>, labels: [Int]) throws(ProbeError) -> (accuracy: Double, loss: Double) {
        try ProbeInput.checkWidth(features, expected: featureCount, role: "test features")
        try ProbeInput.check(features, labels: labels, classes: classes, role: "test features")
        let score = classifier.score(scaling?.apply(features) ?? features, labels: labels)
        return (Double(score.correct) / Double(labels.count), score.loss / Double(labels.count))
    }

    /// Fits on the training part and reports the accuracy and loss on the test part.
    public static func evaluate(train: Matrix<T>, trainLabels: [Int], test: Matrix<T>, testLabels: [Int],
                                classes: Int? = nil,
                                options: MLPProbeOptions = MLPProbeOptions()) throws(ProbeError) -> ProbeReport {
        let probe = try MLPProbe(fitting: train, labels: trainLabels, classes: classes, options: options)
        let test = try probe.score(test, labels: testLabels)
        return ProbeReport(testAccuracy: test.accuracy, trainAccuracy: probe.trainAccuracy, iterations: probe.epochs,
                           loss: probe.loss, stop: probe.stop, testLoss: test.loss)
    }

    private struct Training {
        var epochs = 0, bestEpoch = 0
        var validationLosses: [Double] = [], validationAccuracies: [Double] = []
        var stop = ProbeStop.iterations
    }

    /// The epochs of Adam with early stopping; leaves the kept weights in the network.
    private static func train(_ classifier: SoftmaxNetwork<T>, fit: (x: Matrix<T>, y: [Int]),
                              validation: (x: Matrix<T>, y: [Int]), options o: MLPProbeOptions) -> Training {
        let network = classifier.network
        let optimiser = Adam(stores: [network.store], learningRate: o.learningRate, weightDecay: o.weightDecay,
                             parallelism: o.parallelism)
        var orderRNG = RNG(seed: o.seed, stream: 2)
        let n = fit.y.count, d = fit.x.cols, b = Swift.min(o.batch, n)
        let batchX = UnsafeMutablePointer<T>.allocate(capacity: b * d)
        let batchY = UnsafeMutablePointer<Int>.allocate(capacity: b)
        defer {
            batchX.deallocate()
            batchY.deallocate()
        }
        var t = Training()
        var best = Double.infinity, stale = 0
        var kept: [T] = []
        fit.x.storage.withUnsafeBufferPointer { xp in
            for epoch in 1...o.maxEpochs {
                let order = orderRNG.permutation(n)
                for start in stride(from: 0, to: n, by: b) {
                    let rows = Swift.min(b, n - start)
                    for r in 0..<rows {
                        let i = order[start + r]
                        (batchX + r * d).update(from: xp.baseAddress! + i * d, count: d)
                        batchY[r] = fit.y[i]
                    }
                    _ = classifier.lossAndGradient(batchX, labels: batchY, rows: rows)
                    optimiser.step()
                }
                t.epochs = epoch
                guard !validation.y.isEmpty else { continue }
                let score = classifier.score(validation.x, labels: validation.y)
                let held = Double(validation.y.count)
                t.validationLosses.append(score.loss / held)
                t.validationAccuracies.append(Double(score.correct) / held)
                // Lower is better: the cross-entropy, or minus the accuracy.
                let value = o.monitor == .crossEntropy ? score.loss / held : -Double(score.correct) / held
                // scikit-learn's rule: an epoch counts as stale unless it beats the
                // best by more than the tolerance (NaN counts as stale); the best
                // weights are kept whatever the margin.
                stale = value <= best - o.tolerance ? 0 : stale + 1
                if value < best {
                    best = value
                    t.bestEpoch = epoch
                    kept = network.store.snapshot
                }
                if stale >= o.patience {
                    t.stop = .earlyStopping
                    break
                }
            }
        }
        if validation.y.isEmpty {
            t.bestEpoch = t.epochs
        } else if !kept.isEmpty {
            network.store.load(kept)
        }
        return t
    }
}
