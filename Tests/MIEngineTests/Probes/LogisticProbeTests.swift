import Foundation
import Testing
@testable import MIEngine

/// The logistic-regression probe: its objective's gradient, its agreement
/// with scikit-learn, determinism and the errors callers can reach.
@Suite struct LogisticProbeTests {
    /// dF/dtheta of the objective (weights and intercept) against central
    /// differences in Double, at a point away from the optimum, with the
    /// rows split over several chunks and sub-blocks.
    @Test(arguments: [1.0, 0.1])
    func objectiveGradientMatchesFiniteDifferences(c: Double) {
        let (x, y) = ProbeData.clusters(n: 300, d: 7, classes: 4, seed: 2)
        let objective = LogisticObjective(features: x, labels: y, classes: 4, c: c, parallelism: .allCores,
                                          blockRows: 16)
        #expect(objective.chunks == 5)
        var rng = RNG(seed: 5)
        let theta = (0..<objective.parameterCount).map { _ in 0.5 * rng.normal() }
        var analytic = [Double](repeating: 0, count: theta.count)
        _ = objective.evaluate(theta, gradient: &analytic)
        var scratch = analytic
        let fd = FiniteDifference.gradient(theta, step: 1e-6) { objective.evaluate($0, gradient: &scratch) }
        let error = FiniteDifference.relativeError(analytic, fd)
        #expect(error < gradientTolerance, "relative error \(error)")
        print("logistic objective gradient check, C = \(c): relative error \(error)")
    }

    /// The objective's value against a direct evaluation, row by row.
    @Test func objectiveValueIsTheRegularisedCrossEntropy() {
        let (x, y) = ProbeData.clusters(n: 50, d: 3, classes: 3, seed: 1)
        let objective = LogisticObjective(features: x, labels: y, classes: 3, c: 0.5, parallelism: .serial)
        var rng = RNG(seed: 8)
        let theta = (0..<objective.parameterCount).map { _ in rng.normal() }
        var g = theta
        let value = objective.unscaled(objective.evaluate(theta, gradient: &g))
        var ce = 0.0
        for i in 0..<50 {
            let z = (0..<3).map { c in theta[9 + c] + (0..<3).reduce(0.0) { $0 + x[i, $1] * theta[$1 * 3 + c] } }
            ce += LogDomain.logSumExp(z) - z[y[i]]
        }
        let penalty = theta[0..<9].reduce(0.0) { $0 + $1 * $1 } / 2
        #expect(abs(value - (0.5 * ce + penalty)) < 1e-10 * value)
    }

    /// Fitted to a tight tolerance, the probe finds scikit-learn's optimum
    /// (scripts/compare/probe_reference.py, scikit-learn 1.9.1, tol 1e-12).
    @Test(arguments: [
        (1.0, 45.59153731658987,
         [2.8248657474515815, -2.2044909943377897, -0.6203747531137918,
          -0.3237606659628011, -1.636572559626639, 1.9603332255894403,
          2.100618775037946, -1.2742875548328103, -0.8263312202051348,
          0.044302115044124256, -2.515222375894511, 2.470920260850387],
         [0.3574987944389383, -0.7541801714702971, 0.39668137703135753]),
        (0.05, 5.478437385365164,
         [0.6543221778951088, -0.36653572377453253, -0.2877864541205765,
          0.33532688748881195, -0.4876757079468553, 0.15234882045804324,
          0.2514400917538553, -0.4915135086210222, 0.240073416867167,
          -0.17004100109966533, -0.4433992200148893, 0.6134402211145544],
         [0.05956204189845591, -0.1137966955734924, 0.05423465367503655]),
    ])
    func matchesScikitLearnsOptimum(c: Double, objective: Double, weights: [Double], intercept: [Double]) throws {
        let (x, y) = ProbeData.reference()
        let probe = try LogisticProbe(fitting: x, labels: y,
                                      options: LogisticProbeOptions(c: c, tolerance: 1e-10))
        #expect(probe.converged)
        #expect(abs(probe.loss - objective) < 1e-9 * objective, "objective \(probe.loss), scikit-learn \(objective)")
        #expect(FiniteDifference.relativeError(probe.weights.storage, weights) < 1e-6)
        #expect(FiniteDifference.relativeError(probe.intercept, intercept) < 1e-6)
    }

    /// Float features give the Double fit's optimum to Float precision.
    @Test func floatFeaturesReachTheSameOptimum() throws {
        let (x, y) = ProbeData.clusters(n: 400, d: 6, classes: 3, seed: 3)
        let double = try LogisticProbe(fitting: x, labels: y)
        let float = try LogisticProbe(fitting: x.converted(to: Float.self), labels: y)
        #expect(double.converged && float.converged)
        #expect(abs(float.loss - double.loss) < 1e-4 * double.loss)
        #expect(float.trainAccuracy == double.trainAccuracy)
    }

    /// Same data, same bits, on one core or all of them (and a second fit).
    @Test func sameBitsOnAnyNumberOfCores() throws {
        let (x, y) = ProbeData.clusters(n: 5000, d: 40, classes: 5, seed: 4, as: Float.self)
        func fit(_ p: Parallelism) throws -> LogisticProbe<Float> {
            try LogisticProbe(fitting: x, labels: y, options: LogisticProbeOptions(parallelism: p))
        }
        let a = try fit(.allCores), b = try fit(.serial), c = try fit(.allCores)
        #expect(a.weights == b.weights && a.intercept == b.intercept && a.loss == b.loss)
        #expect(a.iterations == b.iterations && a.evaluations == b.evaluations)
        #expect(a.weights == c.weights && a.loss == c.loss)
    }

    /// The probe separates well-separated clusters and reports on held-out rows.
    @Test func separatesClustersAndReports() throws {
        let train = ProbeData.clusters(n: 600, d: 10, classes: 3, seed: 6)
        let test = ProbeData.clusters(n: 300, d: 10, classes: 3, seed: 6)
        let report = try LogisticProbe.evaluate(train: train.x, trainLabels: train.y, test: test.x, testLabels: test.y)
        #expect(report.trainAccuracy > 0.95 && report.testAccuracy > 0.9)
        #expect(report.stop.converged && report.iterations > 0 && report.loss > 0)
    }

    /// The reported test loss is the mean softmax cross-entropy of x W + b,
    /// summed here directly in Double; several blocks of rows give the same
    /// bits on one core or all.
    @Test func testLossIsTheMeanCrossEntropy() throws {
        let train = ProbeData.clusters(n: 600, d: 10, classes: 3, seed: 6)
        let test = ProbeData.clusters(n: 1300, d: 10, classes: 3, seed: 8)
        let probe = try LogisticProbe(fitting: train.x, labels: train.y)
        var total = 0.0
        for i in 0..<test.x.rows {
            let z = (0..<3).map { c in probe.intercept[c] + (0..<10).reduce(0.0) { $0 + test.x[i, $1] * probe.weights[$1, c] } }
            let m = z.max()!
            total += m + log(z.reduce(0.0) { $0 + exp($1 - m) }) - z[test.y[i]]
        }
        let scored = try probe.score(test.x, labels: test.y)
        #expect(abs(scored.loss - total / Double(test.x.rows)) < 1e-9)
        #expect(scored.accuracy == (try probe.accuracy(test.x, labels: test.y)))
        let serial = try LogisticProbe(fitting: train.x, labels: train.y, options: LogisticProbeOptions(parallelism: .serial))
        #expect(try serial.score(test.x, labels: test.y) == scored)
        let report = try LogisticProbe.evaluate(train: train.x, trainLabels: train.y, test: test.x, testLabels: test.y)
        #expect(report.testLoss == scored.loss)
    }

    /// Standardising equals fitting on features standardised beforehand.
    @Test func standardisingIsFittingOnStandardisedFeatures() throws {
        var (x, y) = ProbeData.clusters(n: 200, d: 4, classes: 3, seed: 7)
        for i in 0..<x.rows { x[i, 2] = 100 * x[i, 2] + 5; x[i, 3] = 1 }  // a wide column and a constant one
        let scaled = try LogisticProbe(fitting: x, labels: y, options: LogisticProbeOptions(standardize: true))
        let scaling = FeatureScaling(fitting: x)
        #expect(scaling.scale[3] == 1 && scaling.mean[3] == 1)
        let manual = try LogisticProbe(fitting: scaling.apply(x), labels: y)
        #expect(scaled.weights == manual.weights && scaled.loss == manual.loss)
        #expect(try scaled.predict(x) == manual.predict(scaling.apply(x)))
    }

    @Test func errorsNameTheProblem() {
        let x = Matrix<Double>([[0, 1], [1, 0], [1, 1]])
        func message(_ body: () throws(ProbeError) -> Void) -> String {
            do { try body(); return "no error" } catch { return error.description }
        }
        #expect(message { () throws(ProbeError) in _ = try LogisticProbe(fitting: x, labels: [0, 1]) }
                == "the training features have 3 rows but 2 labels were given; expected one label per row")
        #expect(message { () throws(ProbeError) in _ = try LogisticProbe(fitting: x, labels: [0, 1, -1]) }
                == "label -1 of row 2 of the training features is outside 0..<2 (the probe has 2 classes)")
        #expect(message { () throws(ProbeError) in _ = try LogisticProbe(fitting: x, labels: [0, 0, 0]) }
                == "a probe needs at least 2 classes, the labels hold 1")
        #expect(message { () throws(ProbeError) in _ = try LogisticProbe(fitting: x, labels: [0, 1, 3], classes: 3) }
                == "label 3 of row 2 of the training features is outside 0..<3 (the probe has 3 classes)")
        #expect(message { () throws(ProbeError) in _ = try LogisticProbe(fitting: Matrix<Double>(rows: 0, cols: 2), labels: []) }
                == "a probe needs at least 2 classes, the labels hold 0")
        #expect(message { () throws(ProbeError) in _ = try LogisticProbe(fitting: Matrix<Double>(rows: 0, cols: 2), labels: [], classes: 2) }
                == "the training features have no rows")
        var bad = x
        bad[1, 1] = .nan
        #expect(message { () throws(ProbeError) in _ = try LogisticProbe(fitting: bad, labels: [0, 1, 1]) }
                == "the training features hold a non-finite value at row 1, column 1")
        #expect(message { () throws(ProbeError) in _ = try LogisticProbe(fitting: x, labels: [0, 1, 1], options: LogisticProbeOptions(c: 0)) }
                == "C must be positive and finite, got 0.0")
        #expect(message { () throws(ProbeError) in
            let probe = try LogisticProbe(fitting: x, labels: [0, 1, 1])
            _ = try probe.accuracy(Matrix<Double>([[1, 2, 3]]), labels: [0])
        } == "the test features have 3 columns; the probe was fitted on 2")
        #expect(message { () throws(ProbeError) in
            let probe = try LogisticProbe(fitting: x, labels: [0, 1, 1])
            _ = try probe.accuracy(x, labels: [0, 1, 2])
        } == "label 2 of row 2 of the test features is outside 0..<2 (the probe has 2 classes)")
    }
}
