/// The two halves of each image as the views x1, x2 (001 sec. 3: the top
/// half of a digit is X(1), the bottom half X(2)), on the published train
/// and test splits, with the images' class labels for probes.
///
/// With `noise` = sigma > 0 both halves are corrupted in a *coupled* way
/// (001 sec. 3.1): the same vector e ~ N(0, sigma^2 I), drawn afresh for
/// every sample each time a batch is filled, is added to both, so that the
/// data's support is the whole input space and an encoder that is not
/// invertible loses information about the shared noise (the paper uses
/// sigma = 0.05 against a pixel standard deviation of 0.3). The halves must
/// then have the same size. Pixels are scaled to [0, 1] before the noise.
///
///     let views = try ImageHalfViews.fashionMNIST(halves: .topBottom, noise: 0.05)
///     views.shape1   // 1x14x28
public struct ImageHalfViews: ViewPairs {
    public let halves: ImageHalves
    /// The standard deviation of the coupled noise (0: none).
    public let noise: Double
    public let name: String
    public let shape1: ViewShape
    public let shape2: ViewShape
    public let files: [DataFileStamp]
    public var labelSlots: Int { 1 }
    public var classes: Int { 10 }
    private let train: Part, test: Part

    /// One split's halves as bytes (0-255, one row of pixels per image) and labels.
    private struct Part: Sendable {
        var first: [UInt8], second: [UInt8], labels: [Int], count: Int
    }

    /// Views of images already loaded (`FashionMNIST(split: .train)` and
    /// `(split: .test)`, or any two labelled sets of one image size).
    public init(train: FashionMNIST, test: FashionMNIST, halves: ImageHalves = .topBottom,
                noise: Double = 0) throws(RepresentationError) {
        let (h, w) = (train.images.height, train.images.width)
        guard test.images.height == h && test.images.width == w else {
            throw .mismatchedImages(train: "\(h)x\(w)", test: "\(test.images.height)x\(test.images.width)")
        }
        guard (halves == .topBottom ? h : w) >= 2 && (halves == .topBottom ? w : h) >= 1 else {
            throw .imageTooSmall(height: h, width: w, halves: halves)
        }
        guard noise.isFinite && noise >= 0 else { throw .invalidNoise(noise) }
        let (s1, s2) = Self.shapes(height: h, width: w, halves: halves)
        if noise > 0 && s1.size != s2.size { throw .unequalHalvesForNoise(s1, s2) }
        self.halves = halves
        self.noise = noise
        shape1 = s1
        shape2 = s2
        self.train = Self.part(train, halves)
        self.test = Self.part(test, halves)
        let base = train.name.hasSuffix("(train)") ? String(train.name.dropLast("(train)".count)) : train.name
        name = "\(base) \(halves.rawValue) halves" + (noise > 0 ? ", noise=\(noise)" : "")
        files = train.files + test.files
    }

    /// Fashion-MNIST's official split from `directory` (Debian's
    /// `dataset-fashion-mnist`), optionally only the first `trainLimit` and
    /// `testLimit` images. Throws `DataFileError` for the files and
    /// `RepresentationError` for the noise.
    public static func fashionMNIST(halves: ImageHalves = .topBottom, noise: Double = 0,
                                    directory: String = FashionMNIST.defaultDirectory,
                                    trainLimit: Int? = nil, testLimit: Int? = nil) throws -> ImageHalfViews {
        try ImageHalfViews(train: FashionMNIST(split: .train, directory: directory, limit: trainLimit),
                           test: FashionMNIST(split: .test, directory: directory, limit: testLimit),
                           halves: halves, noise: noise)
    }

    /// The shapes of the two halves of a height x width image (the second
    /// takes the extra row or column of an odd size; the cut side at least 2).
    public static func shapes(height: Int, width: Int, halves: ImageHalves) -> (ViewShape, ViewShape) {
        switch halves {
        case .topBottom:
            return (ViewShape(height: height / 2, width: width), ViewShape(height: height - height / 2, width: width))
        case .leftRight:
            return (ViewShape(height: height, width: width / 2), ViewShape(height: height, width: width - width / 2))
        }
    }

    private static func part(_ set: FashionMNIST, _ halves: ImageHalves) -> Part {
        let images = set.images, h = images.height, w = images.width, n = images.count
        let cut = halves == .topBottom ? h / 2 : w / 2
        let firstSize = halves == .topBottom ? cut * w : h * cut
        var first = [UInt8](), second = [UInt8]()
        first.reserveCapacity(n * firstSize)
        second.reserveCapacity(n * (h * w - firstSize))
        images.pixels.withUnsafeBufferPointer { p in
            for i in 0..<n {
                let image = p.baseAddress! + i * h * w
                switch halves {
                case .topBottom:
                    first.append(contentsOf: UnsafeBufferPointer(start: image, count: cut * w))
                    second.append(contentsOf: UnsafeBufferPointer(start: image + cut * w, count: (h - cut) * w))
                case .leftRight:
                    for r in 0..<h {
                        first.append(contentsOf: UnsafeBufferPointer(start: image + r * w, count: cut))
                        second.append(contentsOf: UnsafeBufferPointer(start: image + r * w + cut, count: w - cut))
                    }
                }
            }
        }
        return Part(first: first, second: second, labels: set.labels.map(Int.init), count: n)
    }

    private func part(_ split: ViewSplit) -> Part { split == .train ? train : test }

    public func count(_ split: ViewSplit) -> Int { part(split).count }

    public func labels(_ split: ViewSplit) -> [Int] { part(split).labels }

    /// Items per parallel piece of a fill.
    private static let itemsPerChunk = 64
    /// Pixel value p maps to entry p: p / 255 rounded once to Float.
    private static let scale: [Float] = ImageSet.scaleTable()

    public func fill(_ split: ViewSplit, items: [Int], x1: UnsafeMutablePointer<Float>, x2: UnsafeMutablePointer<Float>,
                     rng: inout RNG, parallelism: Parallelism) {
        let data = part(split)
        for i in items { precondition(i >= 0 && i < data.count, "item \(i) is not in 0..<\(data.count) of \(split)") }
        let n1 = shape1.size, n2 = shape2.size, k = items.count
        // The coupled noise: one N(0, 1) vector per sample, in item order.
        var z = [Double]()
        if noise > 0 {
            let pairs = (k * n1 + 1) / 2
            z = [Double](repeating: 0, count: 2 * pairs)
            z.withUnsafeMutableBufferPointer { zp in
                rng.normalPairs(pairs, into: zp.baseAddress!, zp.baseAddress! + pairs, parallelism: parallelism)
            }
        }
        let sigma = noise
        let out = (SharedPointer(x1), SharedPointer(x2))
        data.first.withUnsafeBufferPointer { f in
            data.second.withUnsafeBufferPointer { s in
                z.withUnsafeBufferPointer { zb in
                    Self.scale.withUnsafeBufferPointer { table in
                        // (An empty array's base address need not be nil: test sigma.)
                        let z = sigma > 0 ? zb.baseAddress : nil
                        let src = UncheckedBox((f.baseAddress!, s.baseAddress!, z, table.baseAddress!))
                        parallelism.forEachChunk(k, chunk: Self.itemsPerChunk) { range in
                            let (f, s, z, table) = src.value
                            for r in range {
                                let a = out.0.base + r * n1, b = out.1.base + r * n2, item = items[r]
                                for j in 0..<n1 { a[j] = table[Int(f[item * n1 + j])] }
                                for j in 0..<n2 { b[j] = table[Int(s[item * n2 + j])] }
                                if let z {
                                    for j in 0..<n1 {
                                        let e = Float(sigma * z[r * n1 + j])
                                        a[j] += e
                                        b[j] += e
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
