import Dispatch
import Foundation

/// The logistic-probe configuration of `mi bench` (`probe-logistic`): the
/// raw-pixel baseline of 001 sec. 3, `LogisticProbe` with its default
/// options (scikit-learn's objective with C = 1, fitted to its tolerance)
/// on the 392 raw pixels of Fashion-MNIST top or bottom halves, all 60,000
/// training images, scored on the 10,000 test images. One fit per half,
/// timed from the features in memory to the fitted probe (loading the
/// files and scoring the test split are not timed).
public enum ProbeBenchmark {
    /// One timed fit.
    public struct Run: Sendable {
        /// "top" or "bottom".
        public var half: String
        public var trainRows: Int, features: Int
        /// Wall-clock seconds of the fit.
        public var seconds: Double
        /// CPU seconds the process spent during the fit, on all threads.
        public var cpuSeconds: Double
        /// The machine's 1-minute load average, the larger of before and after.
        public var loadAverage: Double
        public var iterations: Int
        /// Objective evaluations (iterations plus extra line-search steps).
        public var evaluations: Int
        public var testAccuracy: Double, trainAccuracy: Double
        /// C sum CE + ||W||^2 / 2 at the fit (scikit-learn's scale).
        public var loss: Double
        /// The largest gradient component of the objective divided by C n.
        public var gradientNorm: Double
        public var stop: ProbeStop
    }

    public enum Half: String, Sendable, CaseIterable {
        case top, bottom
    }

    /// Fits the probe on the raw pixels of `half` and scores it, or returns
    /// nil when Fashion-MNIST is not installed.
    public static func logistic(_ half: Half, options: LogisticProbeOptions = LogisticProbeOptions()) throws -> Run? {
        guard FashionMNIST.isInstalled(split: .train), FashionMNIST.isInstalled(split: .test) else { return nil }
        let train = try FashionMNIST(split: .train), test = try FashionMNIST(split: .test)
        let a = train.images.halves(.topBottom, as: Float.self), b = test.images.halves(.topBottom, as: Float.self)
        let trainX = half == .top ? a.first : a.second, testX = half == .top ? b.first : b.second
        let trainY = train.labels.map(Int.init), testY = test.labels.map(Int.init)
        let loadBefore = Benchmark.loadAverage(), cpuBefore = Benchmark.processCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        let probe = try LogisticProbe(fitting: trainX, labels: trainY, classes: 10, options: options)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = Benchmark.processCPUSeconds() - cpuBefore
        let load = Swift.max(loadBefore, Benchmark.loadAverage())
        return Run(half: half.rawValue, trainRows: trainX.rows, features: trainX.cols, seconds: seconds,
                   cpuSeconds: cpu, loadAverage: load, iterations: probe.iterations, evaluations: probe.evaluations,
                   testAccuracy: try probe.accuracy(testX, labels: testY), trainAccuracy: probe.trainAccuracy,
                   loss: probe.loss, gradientNorm: probe.gradientNorm, stop: probe.stop)
    }
}

extension Benchmark {
    /// CPU seconds this process has used, on all its threads.
    public static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The machine's 1-minute load average (runnable threads), or -1 when unknown.
    public static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
              let first = text.split(separator: " ").first, let value = Double(first) else { return -1 }
        return value
    }
}
