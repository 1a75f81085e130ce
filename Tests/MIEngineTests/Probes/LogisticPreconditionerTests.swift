import Testing
@testable import MIEngine

/// The logistic probe's change of variables (`LogisticPreconditioner`):
/// its maps invert each other, its gradient is the chain rule's, its factor
/// is the covariance's, and searching through it reaches the same optimum
/// in fewer iterations.
@Suite struct LogisticPreconditionerTests {
    /// Correlated features on very different scales (as raw pixels are):
    /// clusters mixed by a fixed matrix, column j scaled by 10^(-j/2),
    /// shifted off the origin.
    static func skewed(n: Int, d: Int, classes: Int, seed: UInt64) -> (x: Matrix<Double>, y: [Int]) {
        let (base, y) = ProbeData.clusters(n: n, d: d, classes: classes, seed: seed)
        var rng = RNG(seed: seed &+ 100)
        let mix = (0..<(d * d)).map { i in (i % (d + 1) == 0 ? 1 : 0) + 0.6 * rng.normal() }
        var x = Matrix<Double>(rows: n, cols: d)
        for r in 0..<n {
            for j in 0..<d {
                var s = 0.0
                for i in 0..<d { s += base[r, i] * mix[i * d + j] }
                x[r, j] = 3 + s * Double.pow(10, -Double(j) / 2)
            }
        }
        return (x, y)
    }

    /// search(model(u)) = u and modelGradient(searchGradient(g)) = g, dense and diagonal.
    @Test(arguments: [true, false])
    func mapsInvertEachOther(dense: Bool) {
        let (x, _) = Self.skewed(n: 200, d: 6, classes: 3, seed: 1)
        let map = LogisticPreconditioner(fitting: x, classes: 3, c: 0.5, parallelism: .serial, dense: dense)
        #expect(map.dense == dense)
        var rng = RNG(seed: 2)
        let u = (0..<map.parameterCount).map { _ in rng.normal() }
        var theta = u
        map.model(u, into: &theta)
        #expect(FiniteDifference.relativeError(map.search(theta), u) < 1e-12)
        let g = (0..<map.parameterCount).map { _ in rng.normal() }
        var gu = g
        map.searchGradient(g, into: &gu)
        #expect(FiniteDifference.relativeError(map.modelGradient(gu), g) < 1e-12)
    }

    /// d/du F(model(u)) against central differences in Double: the chain
    /// rule the search uses, with the rows over several chunks.
    @Test(arguments: [true, false])
    func searchGradientMatchesFiniteDifferences(dense: Bool) {
        let (x, y) = Self.skewed(n: 300, d: 7, classes: 4, seed: 3)
        let objective = LogisticObjective(features: x, labels: y, classes: 4, c: 1, parallelism: .allCores,
                                          blockRows: 16)
        let map = LogisticPreconditioner(fitting: x, classes: 4, c: 1, parallelism: .allCores, dense: dense)
        var theta = [Double](repeating: 0, count: map.parameterCount), g = theta
        func f(_ u: [Double], _ gu: inout [Double]) -> Double {
            map.model(u, into: &theta)
            let value = objective.evaluate(theta, gradient: &g)
            map.searchGradient(g, into: &gu)
            return value
        }
        var rng = RNG(seed: 4)
        // A point away from the optimum, at the scale of the whitened weights.
        let u = (0..<map.parameterCount).map { _ in 0.5 * rng.normal() }
        var analytic = u, scratch = u
        _ = f(u, &analytic)
        let fd = FiniteDifference.gradient(u, step: 1e-6) { f($0, &scratch) }
        let error = FiniteDifference.relativeError(analytic, fd)
        #expect(error < gradientTolerance, "relative error \(error)")
    }

    /// L L^T is the rows' covariance plus k / (C n) on the diagonal.
    @Test func factorIsTheCovarianceOfTheFeatures() {
        let (x, _) = Self.skewed(n: 700, d: 5, classes: 3, seed: 5)
        let c = 0.25, k = 3, n = 700, d = 5
        let map = LogisticPreconditioner(fitting: x, classes: k, c: c, parallelism: .allCores)
        let l = try! #require(map.lower)
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n { for j in 0..<d { mean[j] += x[r, j] / Double(n) } }
        var worst = 0.0
        for i in 0..<d {
            for j in 0..<d {
                var s = 0.0
                for r in 0..<n { s += (x[r, i] - mean[i]) * (x[r, j] - mean[j]) }
                let expected = s / Double(n) + (i == j ? Double(k) / (c * Double(n)) : 0)
                var product = 0.0
                for p in 0..<d { product += l[i * d + p] * l[j * d + p] }
                worst = Swift.max(worst, abs(product - expected) / (abs(expected) + 1e-300))
                if j > i { #expect(l[i * d + j] == 0) }
            }
        }
        #expect(worst < 1e-10, "relative error \(worst)")
        #expect(FiniteDifference.relativeError(map.mean, mean) < 1e-14)
    }

    /// Beyond `covarianceRows` rows the covariance comes from rows evenly
    /// spaced over all of them: here the second half's first column is
    /// three times as wide, so the first rows alone would give variance 1
    /// where all give (1 + 9) / 2 = 5.
    @Test func covarianceFromEvenlySpacedRows() {
        let n = LogisticPreconditioner.covarianceRows * 2 + 37, d = 3
        var rng = RNG(seed: 6)
        var x = Matrix<Float>(rows: n, cols: d)
        for r in 0..<n {
            let a = (r < n / 2 ? 1 : 3) * rng.normal(), b = rng.normal()
            x[r, 0] = Float(a); x[r, 1] = Float(0.5 * a + b); x[r, 2] = Float(0.1 * b + 2)
        }
        let mean = LogisticPreconditioner.columnMeans(x)
        let s = LogisticPreconditioner.covariance(x, mean: mean, parallelism: .allCores)
        let expected: [Double] = [5, 2.5, 0, 2.5, 2.25, 0.1, 0, 0.1, 0.01]
        for i in 0..<(d * d) {
            #expect(abs(s[i] - expected[i]) < 0.02 + 0.05 * abs(expected[i]), "entry \(i): \(s[i]), expected \(expected[i])")
        }
        #expect(s == LogisticPreconditioner.covariance(x, mean: mean, parallelism: .serial))
    }

    /// Searching in whitened variables finds the plain search's optimum, in
    /// fewer iterations, and stops by the same test in the model's units.
    @Test func reachesThePlainOptimumInFewerIterations() throws {
        let (x, y) = Self.skewed(n: 1500, d: 12, classes: 4, seed: 7)
        func fit(_ precondition: Bool) throws -> LogisticProbe<Double> {
            try LogisticProbe(fitting: x, labels: y,
                              options: LogisticProbeOptions(tolerance: 1e-9, maxIterations: 20_000,
                                                            precondition: precondition))
        }
        let whitened = try fit(true), plain = try fit(false)
        #expect(whitened.converged && plain.converged)
        #expect(abs(whitened.loss - plain.loss) < 1e-9 * plain.loss, "\(whitened.loss) vs \(plain.loss)")
        #expect(FiniteDifference.relativeError(whitened.weights.storage, plain.weights.storage) < 1e-4)
        #expect(whitened.stop != .gradient || whitened.gradientNorm <= 1e-9)
        #expect(whitened.iterations * 3 < plain.iterations,
                "whitened \(whitened.iterations) iterations, plain \(plain.iterations)")
        print("preconditioned fit: \(whitened.iterations) iterations, plain \(plain.iterations)")
    }
}
