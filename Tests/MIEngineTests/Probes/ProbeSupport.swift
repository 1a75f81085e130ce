import Foundation
import Testing
@testable import MIEngine

/// Small labelled data for the probes' tests.
enum ProbeData {
    /// `n` rows of `d` features in `classes` Gaussian clusters (unit
    /// variance, centres 1.5 apart per class along a seeded direction),
    /// labels cycling 0, 1, ..., classes - 1.
    static func clusters<T: MIScalar>(n: Int, d: Int, classes: Int, seed: UInt64,
                                      as _: T.Type = Double.self) -> (x: Matrix<T>, y: [Int]) {
        var rng = RNG(seed: seed, stream: 4)
        let centres = (0..<classes).map { _ in (0..<d).map { _ in 1.5 * rng.normal() } }
        var x = Matrix<T>(rows: n, cols: d)
        var y = [Int]()
        for i in 0..<n {
            let label = i % classes
            y.append(label)
            for j in 0..<d { x[i, j] = T(centres[label][j] + rng.normal()) }
        }
        return (x, y)
    }

    /// The deterministic data of scripts/compare/probe_reference.py:
    /// x_ij = sin(0.37 i + 1.3 j) + 0.8 cos(1.7 y_i + 0.9 j), y_i = (i * 7) mod 3.
    static func reference(n: Int = 150, d: Int = 4) -> (x: Matrix<Double>, y: [Int]) {
        var x = Matrix<Double>(rows: n, cols: d)
        let y = (0..<n).map { ($0 * 7) % 3 }
        for i in 0..<n {
            for j in 0..<d {
                x[i, j] = sin(0.37 * Double(i) + 1.3 * Double(j)) + 0.8 * cos(1.7 * Double(y[i]) + 0.9 * Double(j))
            }
        }
        return (x, y)
    }

    /// The Fashion-MNIST halves of both official splits with their labels,
    /// or nil when the dataset is not installed.
    static func fashionHalves<T: MIScalar>(_ which: Half, as _: T.Type = Float.self,
                                           trainLimit: Int? = nil, testLimit: Int? = nil)
        throws -> (train: Matrix<T>, trainLabels: [Int], test: Matrix<T>, testLabels: [Int])? {
        guard FashionMNIST.isInstalled(split: .train), FashionMNIST.isInstalled(split: .test) else { return nil }
        let train = try FashionMNIST(split: .train, limit: trainLimit)
        let test = try FashionMNIST(split: .test, limit: testLimit)
        let a = train.images.halves(.topBottom, as: T.self), b = test.images.halves(.topBottom, as: T.self)
        return (which == .top ? a.first : a.second, train.labels.map(Int.init),
                which == .top ? b.first : b.second, test.labels.map(Int.init))
    }

    enum Half: String, CaseIterable { case top, bottom }
}
