/// Whole images as both views, x1 = x2 = the image, on the published train
/// and test splits, with the images' class labels for probes: what an
/// autoencoder reads. 002 sec. 5.1's V-InfoMax objective (eq. 15) trains
/// an encoder e to reconstruct x from e(x); `ReconstructionTrainer`
/// reconstructs x2 from g1(x1), which on these views is the image itself.
///
/// A view source of its own rather than a third way of cutting
/// `ImageHalfViews`: halves are two disjoint parts of an image, and "no
/// cut" would make its `halves`, its shapes and its coupled noise (one
/// vector added to both halves, to give the data full support) mean
/// something else. Here nothing is cut and no noise is added; filling a
/// batch draws nothing from its generator.
///
///     let views = try WholeImageViews.fashionMNIST(trainLimit: 200, testLimit: 100)
///     views.shape1   // 1x28x28, as views.shape2
public struct WholeImageViews: ViewPairs {
    public let name: String
    public let shape1: ViewShape
    public var shape2: ViewShape { shape1 }
    public let files: [DataFileStamp]
    public var labelSlots: Int { 1 }
    public var classes: Int { 10 }
    private let train: Part, test: Part

    /// One split's images as bytes (0-255, image after image) and labels.
    private struct Part: Sendable {
        var pixels: [UInt8], labels: [Int], count: Int
    }

    /// Views of images already loaded (`FashionMNIST(split: .train)` and
    /// `(split: .test)`, or any two labelled sets of one image size).
    public init(train: FashionMNIST, test: FashionMNIST) throws(RepresentationError) {
        let (h, w) = (train.images.height, train.images.width)
        guard test.images.height == h && test.images.width == w else {
            throw .mismatchedImages(train: "\(h)x\(w)", test: "\(test.images.height)x\(test.images.width)")
        }
        guard h >= 1 && w >= 1 else {
            throw .invalidOption(name: "the images", value: "\(h)x\(w) pixels", expected: "at least 1x1 pixels")
        }
        shape1 = ViewShape(height: h, width: w)
        self.train = Part(pixels: train.images.pixels, labels: train.labels.map(Int.init), count: train.images.count)
        self.test = Part(pixels: test.images.pixels, labels: test.labels.map(Int.init), count: test.images.count)
        let base = train.name.hasSuffix("(train)") ? String(train.name.dropLast("(train)".count)) : train.name
        name = "\(base) whole images"
        files = train.files + test.files
    }

    /// Fashion-MNIST's official split from `directory` (Debian's
    /// `dataset-fashion-mnist`), optionally only the first `trainLimit` and
    /// `testLimit` images. Throws `DataFileError` for the files.
    public static func fashionMNIST(directory: String = FashionMNIST.defaultDirectory, trainLimit: Int? = nil,
                                    testLimit: Int? = nil) throws -> WholeImageViews {
        try WholeImageViews(train: FashionMNIST(split: .train, directory: directory, limit: trainLimit),
                            test: FashionMNIST(split: .test, directory: directory, limit: testLimit))
    }

    private func part(_ split: ViewSplit) -> Part { split == .train ? train : test }

    public func count(_ split: ViewSplit) -> Int { part(split).count }

    public func labels(_ split: ViewSplit) -> [Int] { part(split).labels }

    /// Items per parallel piece of a fill.
    private static let itemsPerChunk = 64
    /// Pixel value p maps to entry p: p / 255 rounded once to Float.
    private static let scale: [Float] = ImageSet.scaleTable()

    /// Writes each item's pixels, scaled to [0, 1], to its row of both
    /// `x1` and `x2`; `rng` is not drawn from.
    public func fill(_ split: ViewSplit, items: [Int], x1: UnsafeMutablePointer<Float>, x2: UnsafeMutablePointer<Float>,
                     rng: inout RNG, parallelism: Parallelism) {
        let data = part(split)
        for i in items { precondition(i >= 0 && i < data.count, "item \(i) is not in 0..<\(data.count) of \(split)") }
        let n = shape1.size
        let out = (SharedPointer(x1), SharedPointer(x2))
        data.pixels.withUnsafeBufferPointer { p in
            Self.scale.withUnsafeBufferPointer { table in
                let src = UncheckedBox((p.baseAddress!, table.baseAddress!))
                parallelism.forEachChunk(items.count, chunk: Self.itemsPerChunk) { range in
                    let (p, table) = src.value
                    for r in range {
                        let a = out.0.base + r * n, b = out.1.base + r * n, image = p + items[r] * n
                        for j in 0..<n { a[j] = table[Int(image[j])] }
                        b.update(from: a, count: n)
                    }
                }
            }
        }
    }
}
