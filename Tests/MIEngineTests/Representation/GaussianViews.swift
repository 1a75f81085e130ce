import Foundation
@testable import MIEngine

/// View pairs with a closed-form MI for the trainer's tests: x1 ~ N(0, I_d)
/// and x2 = rho x1 + sqrt(1 - rho^2) e coordinate-wise, so
/// I(x1; x2) = -d/2 log(1 - rho^2). A fixed set of items per split (drawn
/// at construction); labels are the sign pattern of x1's first coordinate.
struct GaussianViews: ViewPairs {
    let dim: Int
    let rho: Double
    let trainCount: Int, testCount: Int
    private let train: (x1: [Float], x2: [Float]), test: (x1: [Float], x2: [Float])

    init(dim: Int, mi: Double, train: Int, test: Int, seed: UInt64) {
        self.dim = dim
        let rho = (1 - Foundation.exp(-2 * mi / Double(dim))).squareRoot()
        self.rho = rho
        trainCount = train
        testCount = test
        var rng = RNG(seed: seed, stream: 11)
        func draw(_ n: Int) -> (x1: [Float], x2: [Float]) {
            var a = [Float](), b = [Float]()
            for _ in 0..<(n * dim) {
                let x = rng.normal(), e = rng.normal()
                a.append(Float(x))
                b.append(Float(rho * x + (1 - rho * rho).squareRoot() * e))
            }
            return (a, b)
        }
        let trainDraw = draw(train), testDraw = draw(test)
        self.train = trainDraw
        self.test = testDraw
    }

    var mi: Double { -Double(dim) / 2 * Foundation.log(1 - rho * rho) }
    var name: String { "gaussian views(dim=\(dim), mi=\(mi))" }
    var shape1: ViewShape { ViewShape(height: 1, width: dim) }
    var shape2: ViewShape { ViewShape(height: 1, width: dim) }
    var labelSlots: Int { 1 }
    var classes: Int { 2 }
    var files: [DataFileStamp] { [] }
    func count(_ split: ViewSplit) -> Int { split == .train ? trainCount : testCount }

    func labels(_ split: ViewSplit) -> [Int] {
        let x = split == .train ? train.x1 : test.x1
        return (0..<count(split)).map { x[$0 * dim] > 0 ? 1 : 0 }
    }

    func fill(_ split: ViewSplit, items: [Int], x1: UnsafeMutablePointer<Float>, x2: UnsafeMutablePointer<Float>,
              rng: inout RNG, parallelism: Parallelism) {
        let data = split == .train ? train : test
        for (r, i) in items.enumerated() {
            for j in 0..<dim {
                x1[r * dim + j] = data.x1[i * dim + j]
                x2[r * dim + j] = data.x2[i * dim + j]
            }
        }
    }
}
