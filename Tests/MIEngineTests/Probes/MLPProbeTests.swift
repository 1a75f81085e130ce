import Testing
@testable import MIEngine

/// The MLP probe: its minibatch gradient, early stopping, determinism and
/// the errors callers can reach.
@Suite struct MLPProbeTests {
    /// The gradient of a minibatch's mean cross-entropy against central
    /// differences in Double, for every parameter of a small network.
    @Test(arguments: [Activation.relu, .tanh])
    func minibatchGradientMatchesFiniteDifferences(_ activation: Activation) {
        let (x, y) = ProbeData.clusters(n: 9, d: 5, classes: 4, seed: 11)
        var rng = RNG(seed: 12)
        let network = MLP<Double>(sizes: [5, 7, 6, 4], activation: activation, rng: &rng)
        let classifier = SoftmaxNetwork(network)
        func loss() -> Double {
            x.storage.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { classifier.lossAndGradient(xp.baseAddress!, labels: $0.baseAddress!, rows: 9) }
            }
        }
        let value = loss()
        let analytic = Array(network.store.grads.prefix(network.store.count))
        // lossAndGradient overwrites the gradient: a second call gives the same one.
        _ = loss()
        #expect(Array(network.store.grads.prefix(network.store.count)) == analytic)
        let error = storeGradientErrors([network.store], loss: loss)[0]
        #expect(error < gradientTolerance, "relative error \(error)")
        let (total, _) = classifier.score(x, labels: y)
        #expect(abs(total / 9 - value) < 1e-12)
    }

    /// Trained on separable clusters the probe classifies held-out rows,
    /// stops early, and keeps the epoch with the best held-out score.
    @Test(arguments: EarlyStoppingScore.allCases)
    func separatesClustersAndStopsEarly(_ monitor: EarlyStoppingScore) throws {
        let all = ProbeData.clusters(n: 900, d: 10, classes: 3, seed: 13, as: Float.self)
        let train = (x: all.x.gatherRows(Array(0..<600)), y: Array(all.y[0..<600]))
        let test = (x: all.x.gatherRows(Array(600..<900)), y: Array(all.y[600...]))
        let options = MLPProbeOptions(hidden: [20, 20], batch: 32, patience: 5, monitor: monitor)
        let probe = try MLPProbe(fitting: train.x, labels: train.y, options: options)
        #expect(probe.stop == .earlyStopping && probe.converged)
        #expect(probe.validationLosses.count == probe.epochs && probe.validationAccuracies.count == probe.epochs)
        #expect(probe.epochs < options.maxEpochs)
        let losses = probe.validationLosses, accuracies = probe.validationAccuracies
        let best = monitor == .crossEntropy
            ? losses.indices.min { losses[$0] < losses[$1] }!
            : accuracies.firstIndex(of: accuracies.max()!)!
        #expect(probe.bestEpoch == best + 1)
        #expect(probe.epochs >= probe.bestEpoch + options.patience - 1, "stopped at \(probe.epochs), best \(probe.bestEpoch)")
        // The kept weights are the best epoch's: their held-out accuracy is that epoch's.
        #expect(probe.validationAccuracy == accuracies[best])
        #expect(probe.trainAccuracy > 0.95, "train accuracy \(probe.trainAccuracy)")
        #expect(try probe.accuracy(test.x, labels: test.y) > 0.9)
    }

    /// Clusters that no linear map separates (XOR of two signs) need the
    /// hidden layer: the MLP probe beats the logistic probe.
    @Test func learnsWhatALinearProbeCannot() throws {
        var rng = RNG(seed: 15)
        func xor(_ n: Int) -> (x: Matrix<Float>, y: [Int]) {
            var x = Matrix<Float>(rows: n, cols: 2)
            var y = [Int]()
            for i in 0..<n {
                let a = rng.uniform() * 2 - 1, b = rng.uniform() * 2 - 1
                x[i, 0] = Float(a)
                x[i, 1] = Float(b)
                y.append((a > 0) == (b > 0) ? 0 : 1)
            }
            return (x, y)
        }
        let train = xor(1000), test = xor(500)
        let mlp = try MLPProbe.evaluate(train: train.x, trainLabels: train.y, test: test.x, testLabels: test.y,
                                        options: MLPProbeOptions(hidden: [16, 16], batch: 50))
        let linear = try LogisticProbe.evaluate(train: train.x, trainLabels: train.y, test: test.x, testLabels: test.y)
        #expect(mlp.testAccuracy > 0.9, "MLP probe \(mlp.testAccuracy)")
        #expect(linear.testAccuracy < 0.7, "logistic probe \(linear.testAccuracy)")
    }

    /// Same data and seed, same bits, on one core or all of them; another
    /// seed gives another probe.
    @Test func sameBitsOnAnyNumberOfCores() throws {
        let (x, y) = ProbeData.clusters(n: 3000, d: 40, classes: 5, seed: 16, as: Float.self)
        func fit(_ p: Parallelism, seed: UInt64 = 1) throws -> MLPProbe<Float> {
            try MLPProbe(fitting: x, labels: y,
                         options: MLPProbeOptions(hidden: [64, 64], maxEpochs: 6, seed: seed, parallelism: p))
        }
        let a = try fit(.allCores), b = try fit(.serial), c = try fit(.allCores)
        #expect(a.network.store.snapshot == b.network.store.snapshot)
        #expect(a.validationLosses == b.validationLosses && a.loss == b.loss && a.bestEpoch == b.bestEpoch)
        #expect(a.network.store.snapshot == c.network.store.snapshot)
        #expect(a.stop == .iterations && !a.converged && a.epochs == 6)
        let other = try fit(.allCores, seed: 2)
        #expect(other.network.store.snapshot != a.network.store.snapshot)
    }

    /// Nothing held out: every epoch runs and the last weights are kept.
    @Test func withoutValidationTrainsEveryEpoch() throws {
        let (x, y) = ProbeData.clusters(n: 200, d: 6, classes: 3, seed: 17, as: Float.self)
        let probe = try MLPProbe(fitting: x, labels: y,
                                 options: MLPProbeOptions(hidden: [8], maxEpochs: 4, validationFraction: 0))
        #expect(probe.epochs == 4 && probe.bestEpoch == 4 && probe.stop == .iterations)
        #expect(probe.validationLosses.isEmpty && probe.validationAccuracy == nil)
    }

    /// Standardising equals fitting on features standardised beforehand.
    @Test func standardisingIsFittingOnStandardisedFeatures() throws {
        var (x, y) = ProbeData.clusters(n: 200, d: 4, classes: 3, seed: 18, as: Float.self)
        for i in 0..<x.rows { x[i, 2] = 100 * x[i, 2] + 5 }
        let options = MLPProbeOptions(hidden: [8], maxEpochs: 5)
        let scaled = try MLPProbe(fitting: x, labels: y, options: { var o = options; o.standardize = true; return o }())
        let manual = try MLPProbe(fitting: FeatureScaling(fitting: x).apply(x), labels: y, options: options)
        #expect(scaled.network.store.snapshot == manual.network.store.snapshot)
        #expect(try scaled.predict(x) == manual.predict(FeatureScaling(fitting: x).apply(x)))
    }

    @Test func errorsNameTheProblem() {
        let x = Matrix<Double>([[0, 1], [1, 0], [1, 1]])
        func message(_ body: () throws(ProbeError) -> Void) -> String {
            do { try body(); return "no error" } catch { return error.description }
        }
        func fit(_ x: Matrix<Double>, _ y: [Int], _ o: MLPProbeOptions = MLPProbeOptions(hidden: [4])) -> String {
            message { () throws(ProbeError) in _ = try MLPProbe(fitting: x, labels: y, options: o) }
        }
        #expect(fit(x, [0, 1]) == "the training features have 3 rows but 2 labels were given; expected one label per row")
        #expect(fit(x, [0, 0, 0]) == "a probe needs at least 2 classes, the labels hold 1")
        #expect(message { () throws(ProbeError) in _ = try MLPProbe(fitting: Matrix<Double>([[1, 2]]), labels: [1], classes: 2) }
                == "the training features have 1 row; the probe needs at least 2 (one to train on and one held out to stop on)")
        #expect(fit(x, [0, 1, 1], MLPProbeOptions(hidden: [4, 0]))
                == "a hidden layer's size must be at least 1, got 0")
        #expect(fit(x, [0, 1, 1], MLPProbeOptions(learningRate: 0)) == "the learning rate must be positive and finite, got 0.0")
        #expect(fit(x, [0, 1, 1], MLPProbeOptions(batch: 0)) == "the batch must be at least 1, got 0")
        #expect(fit(x, [0, 1, 1], MLPProbeOptions(validationFraction: 1)) == "the validation fraction must be in [0, 1), got 1.0")
        #expect(fit(x, [0, 1, 1], MLPProbeOptions(patience: 0)) == "patience must be at least 1, got 0")
        #expect(fit(x, [0, 1, 1], MLPProbeOptions(maxEpochs: 0)) == "maxEpochs must be at least 1, got 0")
        var bad = x
        bad[2, 0] = .infinity
        #expect(fit(bad, [0, 1, 1]) == "the training features hold a non-finite value at row 2, column 0")
        #expect(message { () throws(ProbeError) in
            let probe = try MLPProbe(fitting: x, labels: [0, 1, 1], options: MLPProbeOptions(hidden: [4], maxEpochs: 2))
            _ = try probe.accuracy(Matrix<Double>([[1, 2, 3]]), labels: [0])
        } == "the test features have 3 columns; the probe was fitted on 2")
    }
}
