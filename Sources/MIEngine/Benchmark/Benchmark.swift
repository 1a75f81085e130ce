import CBLAS
import Dispatch
import Foundation

/// Measurements of the machine and of training throughput, for `mi bench`.
public enum Benchmark {
    /// The machine's sgemm rate in GFLOP/s: the best of `repetitions` square
    /// products of size `n`, with OpenBLAS threaded over every core.
    public static func sgemmPeak(n: Int = 2048, repetitions: Int = 7) -> Double {
        let a = [Float](repeating: 0.5, count: n * n), b = a
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity
        BLAS.withThreads(Parallel.cores) {
            for _ in 0..<repetitions {
                let t = seconds {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                                a, Int32(n), b, Int32(n), 0, &c, Int32(n))
                }
                best = min(best, t)
            }
        }
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// Timing of repeated training runs of one estimator.
    public struct Throughput: Sendable {
        /// Steps per timed run.
        public var steps: Int
        /// Seconds per step of each timed run.
        public var stepSeconds: [Double]
        /// FLOPs of one training step.
        public var flopsPerStep: Double

        /// The median seconds per step.
        public var medianStep: Double { stepSeconds.sorted()[stepSeconds.count / 2] }
        public var bestStep: Double { stepSeconds.min() ?? .nan }
        public var stepsPerSecond: Double { 1 / medianStep }
    }

    /// Trains `estimator` on fresh batches of `data`: `warmup` steps, then
    /// `repeats` timed runs of `steps` steps each.
    public static func throughput(of estimator: any Estimator, on data: any DataSource, batch: Int,
                                  steps: Int, repeats: Int = 5, warmup: Int = 10,
                                  learningRate: Double = 5e-4) -> Throughput {
        let optimiser = Adam(stores: estimator.stores, learningRate: learningRate, parallelism: estimator.parallelism)
        var dataRNG = RNG(seed: 1, stream: 2), sampleRNG = RNG(seed: 1, stream: 3)
        var step = 0
        func train(_ n: Int) {
            for _ in 0..<n {
                let b = data.sample(batch: batch, step: step, rng: &dataRNG, parallelism: estimator.parallelism)
                _ = estimator.run(b, step: step, rng: &sampleRNG, train: true)
                optimiser.step()
                step += 1
            }
        }
        train(warmup)
        let times = (0..<repeats).map { _ in seconds { train(steps) } / Double(steps) }
        return Throughput(steps: steps, stepSeconds: times, flopsPerStep: estimator.flopsPerStep(batch: batch))
    }

    /// The process's peak resident set size in MiB.
    ///
    /// Read from `VmHWM` in /proc/self/status, the high-water mark of this
    /// process image. Linux carries `ru_maxrss` over `execve`, so a child
    /// spawned by `mi bench` would report its parent's peak from getrusage.
    public static func peakResidentMiB() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kib = Double(line.split(separator: " ").dropFirst().first ?? "") {
            return kib / 1024
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024   // KiB on Linux
    }

    /// Wall-clock seconds taken by `body`.
    public static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
