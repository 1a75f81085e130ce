import Testing
@testable import MIEngine

/// Image halves as view pairs: shapes, pixels and labels as the images
/// hold them, coupled noise (one vector on both halves, fresh per draw,
/// seeded), and the errors of views that cannot be built.
@Suite struct ImageHalfViewsTests {
    /// n images of height x width whose pixel (r, c) of image i is (i * 31 + r * 7 + c * 3) % 256.
    static func set(_ n: Int, height: Int = 6, width: Int = 4, name: String = "toy(train)") -> FashionMNIST {
        var pixels: [UInt8] = []
        for i in 0..<n { for r in 0..<height { for c in 0..<width { pixels.append(UInt8((i * 31 + r * 7 + c * 3) % 256)) } } }
        let images = ImageSet(count: n, height: height, width: width, pixels: pixels)!
        return try! FashionMNIST(images: images, imagesFile: "images", labels: (0..<n).map { UInt8($0 % 10) },
                                 labelsFile: "labels", name: name)
    }

    @Test(arguments: ImageHalves.allCases)
    func halvesHoldThePixels(_ halves: ImageHalves) throws {
        let train = Self.set(12), test = Self.set(5, name: "toy(test)")
        let views = try ImageHalfViews(train: train, test: test, halves: halves)
        #expect(views.shape1 == (halves == .topBottom ? ViewShape(height: 3, width: 4) : ViewShape(height: 6, width: 2)))
        #expect(views.shape1.size + views.shape2.size == 24)
        #expect(views.count(.train) == 12 && views.count(.test) == 5)
        #expect(views.labels(.test) == [0, 1, 2, 3, 4])
        #expect(views.name == "toy \(halves.rawValue) halves")
        var rng = RNG(seed: 1)
        let (x1, x2) = views.views(.train, items: [7, 2, 7], rng: &rng)
        let (top, bottom) = train.images.halves(halves, as: Float.self)
        for (r, item) in [7, 2, 7].enumerated() {
            #expect(x1.row(r) == top.row(item))
            #expect(x2.row(r) == bottom.row(item))
        }
        var fresh = RNG(seed: 1)
        #expect(rng.next() == fresh.next(), "noiseless views draw nothing")
    }

    /// 001 sec. 3.1's noise on either cut: pixel j of x1 and pixel j of x2
    /// (the same place in each half) get the same draw.
    @Test(arguments: ImageHalves.allCases)
    func coupledNoise(_ halves: ImageHalves) throws {
        let sigma = 0.05
        let views = try ImageHalfViews(train: Self.set(40, height: 8, width: 8), test: Self.set(3, height: 8, width: 8),
                                       halves: halves, noise: sigma)
        #expect(views.name == "toy \(halves.rawValue) halves, noise=0.05")
        #expect(views.shape1 == views.shape2 && views.shape1.size == 32)
        let clean = try ImageHalfViews(train: Self.set(40, height: 8, width: 8), test: Self.set(3, height: 8, width: 8),
                                       halves: halves)
        let items = Array(0..<40)
        var rng = RNG(seed: 9)
        let noisy = views.views(.train, items: items, rng: &rng, parallelism: .allCores)
        let plain = clean.views(.train, items: items, rng: &rng)
        var e1: [Double] = [], e2: [Double] = []
        for i in 0..<noisy.x1.count {
            e1.append(Double(noisy.x1.storage[i] - plain.x1.storage[i]))
            e2.append(Double(noisy.x2.storage[i] - plain.x2.storage[i]))
        }
        // The same vector on both halves (up to the rounding of each sum).
        #expect(zip(e1, e2).allSatisfy { abs($0 - $1) < 1e-6 })
        // N(0, sigma^2): 1280 draws, mean within 4 SE, sd within 10%.
        #expect(abs(Statistics.mean(e1)) < 4 * sigma / Double(e1.count).squareRoot())
        #expect(abs(Statistics.standardDeviation(e1) / sigma - 1) < 0.1)
        // Fresh per draw; the same generator state gives the same bits, on one core or all.
        var again = RNG(seed: 9)
        #expect(views.views(.train, items: items, rng: &again, parallelism: .serial).x1 == noisy.x1)
        #expect(views.views(.train, items: items, rng: &again).x1 != noisy.x1)
        // Per sample: the same item twice in a batch gets two noise vectors.
        var twice = RNG(seed: 2)
        let pair = views.views(.train, items: [3, 3], rng: &twice)
        #expect(pair.x1.row(0) != pair.x1.row(1))
    }

    @Test func errors() {
        func failure(_ train: FashionMNIST, _ test: FashionMNIST, halves: ImageHalves = .topBottom,
                     noise: Double = 0) -> String? {
            do { _ = try ImageHalfViews(train: train, test: test, halves: halves, noise: noise) } catch {
                return error.description
            }
            return nil
        }
        #expect(failure(Self.set(2), Self.set(2, width: 5)) == "the training images are 6x4 but the test images are 6x5")
        #expect(failure(Self.set(2), Self.set(2), noise: -1) == "noise must be a standard deviation of 0 or more, got -1.0")
        #expect(failure(Self.set(2, height: 5), Self.set(2, height: 5), noise: 0.1)
            == "coupled noise adds the same vector to both halves, but they have different shapes 1x2x4 and 1x3x4")
        #expect(failure(Self.set(2, height: 5), Self.set(2, height: 5)) == nil)
        #expect(failure(Self.set(2, width: 5), Self.set(2, width: 5), halves: .leftRight, noise: 0.1)
            == "coupled noise adds the same vector to both halves, but they have different shapes 1x6x2 and 1x6x3")
        #expect(failure(Self.set(2, width: 5), Self.set(2, width: 5), halves: .leftRight) == nil)
        #expect(failure(Self.set(2, width: 1), Self.set(2, width: 1), halves: .leftRight)
            == "an image of 6x1 pixels cannot be cut into left/right halves")
        #expect(failure(Self.set(2, height: 1), Self.set(2, height: 1))
            == "an image of 1x4 pixels cannot be cut into top/bottom halves")
    }

    /// The installed Fashion-MNIST: 1 x 14 x 28 halves (1 x 28 x 14 side by
    /// side), the official 60,000 / 10,000 split, four files stamped.
    @Test(.enabled(if: FashionMNIST.isInstalled(split: .test)))
    func fashionMNIST() throws {
        let views = try ImageHalfViews.fashionMNIST(halves: .leftRight, noise: 0.05, trainLimit: 100)
        #expect(views.shape1 == ViewShape(channels: 1, height: 28, width: 14) && views.shape1.description == "1x28x14")
        #expect(views.count(.train) == 100 && views.count(.test) == 10_000)
        #expect(views.files.count == 4 && views.files.allSatisfy { $0.size > 0 })
        #expect(views.name == "fashion-mnist left/right halves, noise=0.05")
        #expect(Set(views.labels(.test)) == Set(0..<10))
        let top = try ImageHalfViews.fashionMNIST(trainLimit: 10, testLimit: 10)
        #expect(top.shape1 == ViewShape(height: 14, width: 28) && top.shape2.size == 392)
    }
}
