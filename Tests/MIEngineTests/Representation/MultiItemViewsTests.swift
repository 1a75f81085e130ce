import Testing
@testable import MIEngine

/// Multi-item view pairs (000 sec. 5.2): every y item is an image of the
/// next class, read back from the pixels; the dataset is fixed by the seed
/// pair by pair; the two layouts hold the same items; the probe reads one
/// class per slot and reports their mean; the errors of pairs that cannot
/// be drawn.
@Suite struct MultiItemViewsTests {
    /// n images of height x width whose pixel (r, c) of image i is
    /// (offset + i * 31 + r * 7 + c * 3) % 256, labelled i % 10: every image
    /// of one set differs from every other (i < 256), and from every image of
    /// a set with an offset 128 apart (i < 128).
    static func set(_ n: Int, offset: Int = 0, height: Int = 3, width: Int = 4, name: String = "toy(train)",
                    labels: ((Int) -> UInt8)? = nil) -> FashionMNIST {
        var pixels: [UInt8] = []
        for i in 0..<n {
            for r in 0..<height { for c in 0..<width { pixels.append(UInt8((offset + i * 31 + r * 7 + c * 3) % 256)) } }
        }
        let images = ImageSet(count: n, height: height, width: width, pixels: pixels)!
        return try! FashionMNIST(images: images, imagesFile: "images", labels: (0..<n).map { labels?($0) ?? UInt8($0 % 10) },
                                 labelsFile: "labels", name: name)
    }

    static let train = set(60), test = set(30, offset: 128, name: "toy(test)")

    static func views(items: Int = 3, layout: ItemLayout = .spatial, trainPairs: Int = 200, testPairs: Int = 50,
                      seed: UInt64 = 7, parallelism: Parallelism = .allCores) throws -> MultiItemViews {
        try MultiItemViews(train: train, test: test, items: items, layout: layout, trainPairs: trainPairs,
                           testPairs: testPairs, seed: seed, parallelism: parallelism)
    }

    /// The image of `set` whose pixels, scaled to [0, 1], are `values` (nil: none).
    static func image(in set: FashionMNIST, matching values: [Float]) -> Int? {
        let m = set.images.matrix(Float.self)
        return (0..<m.rows).first { m.row($0) == values }
    }

    /// Slot j of row r of a spatial view of 3 x 4 items: image row i is columns 4 j ..< 4 (j + 1) of view row i.
    static func spatialSlot(_ x: Matrix<Float>, row r: Int, slot j: Int, items n: Int) -> [Float] {
        (0..<3).flatMap { i in (0..<4).map { c in x[r, i * 4 * n + j * 4 + c] } }
    }

    /// Each slot of x holds an image of its label's class, and the same slot
    /// of y an image of the next class, from the pair's own split: found by
    /// their pixels among the split's images.
    @Test(arguments: ViewSplit.allCases)
    func ySlotsHoldTheNextClass(_ split: ViewSplit) throws {
        let n = 3, views = try Self.views(items: n)
        let images = split == .train ? Self.train : Self.test
        let count = views.count(split)
        #expect(count == (split == .train ? 200 : 50))
        let labels = views.labels(split)
        #expect(labels.count == count * n)
        var rng = RNG(seed: 1)
        let (x1, x2) = views.views(split, items: Array(0..<count), rng: &rng)
        for pair in 0..<count {
            let chosen = views.images(split, pair: pair)
            for j in 0..<n {
                let a = try #require(Self.image(in: images, matching: Self.spatialSlot(x1, row: pair, slot: j, items: n)))
                let b = try #require(Self.image(in: images, matching: Self.spatialSlot(x2, row: pair, slot: j, items: n)))
                #expect(a == chosen.x[j] && b == chosen.y[j])
                #expect(Int(images.labels[a]) == labels[pair * n + j])
                #expect(Int(images.labels[b]) == (labels[pair * n + j] + 1) % 10)
            }
        }
        // Classes drawn uniformly: 600 train labels, 60 expected per class, sd 7.3.
        if split == .train {
            let counts = (0..<10).map { c in labels.filter { $0 == c }.count }
            #expect(counts.allSatisfy { abs($0 - 60) < 30 }, "\(counts)")
            // Every image of a class is drawn, not one per class (6 images each).
            #expect(Set(labels.indices.map { views.images(.train, pair: $0 / n).x[$0 % n] }).count == 60)
        }
        var fresh = RNG(seed: 1)
        #expect(rng.next() == fresh.next(), "filling draws nothing")
    }

    /// The seed fixes the dataset, pair by pair: the same seed gives the
    /// same bits (drawn on one core or all), another seed other pairs, and
    /// a smaller dataset is the first pairs of a larger one.
    @Test func seedFixesEveryPair() throws {
        let a = try Self.views(), b = try Self.views(parallelism: .serial)
        let other = try Self.views(seed: 8)
        let larger = try Self.views(trainPairs: 1000, testPairs: 80)
        for split in ViewSplit.allCases {
            #expect(a.labels(split) == b.labels(split))
            #expect(a.labels(split) != other.labels(split))
            #expect(Array(larger.labels(split).prefix(a.labels(split).count)) == a.labels(split))
            for pair in [0, 1, 49] {
                #expect(a.images(split, pair: pair) == b.images(split, pair: pair))
                #expect(a.images(split, pair: pair) == larger.images(split, pair: pair))
            }
            var r1 = RNG(seed: 0), r2 = RNG(seed: 0)
            #expect(a.views(split, items: Array(0..<50), rng: &r1).x1 == b.views(split, items: Array(0..<50), rng: &r2).x1)
        }
        // The train and test pairs are drawn from different streams.
        #expect(Array(a.labels(.train).prefix(150)) != a.labels(.test))
    }

    /// A pair's views are the same filled alone or in a batch, in any
    /// order, on one core or all.
    @Test(arguments: ItemLayout.allCases)
    func fillIsPerPair(_ layout: ItemLayout) throws {
        let views = try Self.views(items: 5, layout: layout)
        let items = (0..<120).map { ($0 * 37) % 200 }
        var rng = RNG(seed: 3)
        let serial = views.views(.train, items: items, rng: &rng, parallelism: .serial)
        let parallel = views.views(.train, items: items, rng: &rng, parallelism: .allCores)
        #expect(serial.x1 == parallel.x1 && serial.x2 == parallel.x2)
        for r in [0, 7, 119] {
            let alone = views.views(.train, items: [items[r]], rng: &rng)
            #expect(alone.x1.row(0) == serial.x1.row(r) && alone.x2.row(0) == serial.x2.row(r))
        }
        #expect(serial.x1 != serial.x2)
        #expect(serial.x1.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    /// Stacked and spatial views of one seed hold the same items: plane j
    /// of a stacked view is columns 4 j ..< 4 (j + 1) of the spatial one.
    @Test func layoutsHoldTheSameItems() throws {
        let n = 4
        let spatial = try Self.views(items: n, layout: .spatial), stacked = try Self.views(items: n, layout: .stacked)
        #expect(spatial.shape1 == ViewShape(channels: 1, height: 3, width: 16) && spatial.shape2 == spatial.shape1)
        #expect(stacked.shape1 == ViewShape(channels: 4, height: 3, width: 4) && stacked.shape2 == stacked.shape1)
        #expect(spatial.name == "toy 4 items spatial, y the next classes")
        #expect(stacked.name == "toy 4 items stacked, y the next classes")
        #expect(spatial.labels(.test) == stacked.labels(.test) && spatial.labelSlots == 4 && stacked.classes == 10)
        var rng = RNG(seed: 0)
        let a = spatial.views(.test, items: Array(0..<50), rng: &rng), b = stacked.views(.test, items: Array(0..<50), rng: &rng)
        for (x, y) in [(a.x1, b.x1), (a.x2, b.x2)] {
            for r in 0..<50 {
                for j in 0..<n {
                    let plane = Array(y.row(r)[(j * 12)..<((j + 1) * 12)])
                    #expect(plane == Self.spatialSlot(x, row: r, slot: j, items: n))
                }
            }
        }
        // One item: both layouts are the image itself.
        let one = try Self.views(items: 1), oneStacked = try Self.views(items: 1, layout: .stacked)
        #expect(one.shape1 == oneStacked.shape1 && one.shape1 == ViewShape(height: 3, width: 4))
        #expect(one.views(.train, seed: 0).x1 == oneStacked.views(.train, seed: 0).x1)
        #expect(one.name == "toy 1 item spatial, y the next classes")
    }

    /// The probe reads one class per slot, and "probe" is the slots' mean,
    /// in two cases whose answers are known: items that show their class
    /// (every slot read exactly), and items that all look alike, where each
    /// slot's probe can only predict the class most frequent in its
    /// training labels, and scores that class's share of its test labels.
    @Test func probeIsTheMeanOverSlots() throws {
        let n = 3
        // One-hot images: class c lights pixel c (of 12).
        func oneHot(_ count: Int, name: String) -> FashionMNIST {
            let pixels = (0..<count).flatMap { i in (0..<12).map { UInt8($0 == i % 10 ? 255 : 0) } }
            return try! FashionMNIST(images: ImageSet(count: count, height: 3, width: 4, pixels: pixels)!, imagesFile: "i",
                                     labels: (0..<count).map { UInt8($0 % 10) }, labelsFile: "l", name: name)
        }
        let readable = try MultiItemViews(train: oneHot(40, name: "a"), test: oneHot(20, name: "b"), items: n,
                                          trainPairs: 300, testPairs: 100, seed: 2)
        let options = RepresentationProbeOptions(probe: .logistic, seed: 1)
        let read = try RepresentationProbes.rawPixels(views: readable, options: options)
        #expect(read["probe"] == 1 && read["probe_train"] == 1)

        // Blank images: nothing to read.
        func blank(_ count: Int, name: String) -> FashionMNIST {
            try! FashionMNIST(images: ImageSet(count: count, height: 3, width: 4, pixels: [UInt8](repeating: 9, count: count * 12))!,
                              imagesFile: "i", labels: (0..<count).map { UInt8($0 % 10) }, labelsFile: "l", name: name)
        }
        let blind = try MultiItemViews(train: blank(40, name: "a"), test: blank(20, name: "b"), items: n,
                                       trainPairs: 300, testPairs: 100, seed: 2)
        let fixture = try ProbeFixture(views: blind, options: options)
        let trainLabels = blind.labels(.train), testLabels = blind.labels(.test)
        var expected: [Double] = []
        for j in 0..<n {
            let slotTrain = stride(from: j, to: trainLabels.count, by: n).map { trainLabels[$0] }
            let slotTest = stride(from: j, to: testLabels.count, by: n).map { testLabels[$0] }
            #expect(fixture.trainLabels[j] == slotTrain && fixture.testLabels[j] == slotTest)
            let counts = (0..<10).map { c in slotTrain.filter { $0 == c }.count }
            let top = counts.max()!
            try #require(counts.filter { $0 == top }.count == 1, "slot \(j): a tie for the most frequent class")
            let majority = counts.firstIndex(of: top)!
            expected.append(Double(slotTest.filter { $0 == majority }.count) / Double(slotTest.count))
        }
        #expect(Set(expected).count > 1, "the slots' answers differ: \(expected)")
        let blindMetrics = try RepresentationProbes.rawPixels(views: blind, options: options)
        let mean = expected.reduce(0, +) / Double(n)
        #expect(abs(blindMetrics["probe"]! - mean) < 1e-12, "\(blindMetrics) vs \(expected)")
    }

    @Test func errors() {
        func failure(_ train: FashionMNIST = Self.train, _ test: FashionMNIST = Self.test, items: Int = 2,
                     trainPairs: Int = 10, testPairs: Int = 10) -> String? {
            do {
                _ = try MultiItemViews(train: train, test: test, items: items, trainPairs: trainPairs, testPairs: testPairs)
            } catch { return error.description }
            return nil
        }
        #expect(failure() == nil)
        #expect(failure(items: 0) == "items must be between 1 and 16, got 0")
        #expect(failure(items: 17) == "items must be between 1 and 16, got 17")
        #expect(failure(trainPairs: 0) == "the training pairs must be at least 1, got 0")
        #expect(failure(testPairs: -1) == "the test pairs must be at least 1, got -1")
        #expect(failure(Self.train, Self.set(30, width: 5)) == "the training images are 3x4 but the test images are 3x5")
        #expect(failure(Self.train, Self.set(7, name: "toy(test)"))
            == "the 7 test images hold none of class 7, and every class needs an image in each split to draw items")
        #expect(failure(Self.set(20, labels: { UInt8($0 % 9) }))
            == "the 20 train images hold none of class 9, and every class needs an image in each split to draw items")
        #expect(failure(Self.set(20, height: 0, width: 0), Self.set(20, height: 0, width: 0))
            == "images of 0x0 pixels hold nothing to draw items from")
    }

    /// The installed Fashion-MNIST: 1 x 28 x 56 views of two items, four
    /// files stamped; each slot's pixels are its image's bytes scaled, of
    /// the right classes.
    @Test(.enabled(if: FashionMNIST.isInstalled(split: .test)))
    func fashionMNIST() throws {
        let views = try MultiItemViews.fashionMNIST(items: 2, trainPairs: 40, testPairs: 20, seed: 3,
                                                    trainImages: 2000, testImages: 500)
        #expect(views.shape1 == ViewShape(channels: 1, height: 28, width: 56) && views.shape1.description == "1x28x56")
        #expect(views.count(.train) == 40 && views.count(.test) == 20)
        #expect(views.files.count == 4 && views.files.allSatisfy { $0.size > 0 })
        #expect(views.name == "fashion-mnist 2 items spatial, y the next classes")
        let images = try FashionMNIST(split: .test, limit: 500)
        var rng = RNG(seed: 0)
        let (x1, x2) = views.views(.test, items: Array(0..<20), rng: &rng)
        let labels = views.labels(.test)
        for pair in 0..<20 {
            let chosen = views.images(.test, pair: pair)
            for j in 0..<2 {
                #expect(Int(images.labels[chosen.x[j]]) == labels[pair * 2 + j])
                #expect(Int(images.labels[chosen.y[j]]) == (labels[pair * 2 + j] + 1) % 10)
                for (x, image) in [(x1, chosen.x[j]), (x2, chosen.y[j])] {
                    let bytes = (0..<28).flatMap { i in (0..<28).map { c in UInt8((x[pair, i * 56 + j * 28 + c] * 255).rounded()) } }
                    #expect(bytes == Array(images.images.pixels[(image * 784)..<((image + 1) * 784)]))
                }
            }
        }
    }
}
