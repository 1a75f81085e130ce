/// How the items of a multi-item view are arranged (000 sec. 5.2).
public enum ItemLayout: String, Sendable, Codable, CaseIterable {
    /// Side by side in one row: a view of 1 x h x (w n), item j in columns
    /// j w ..< (j + 1) w (000's SpatialMultiOmniglot, on a 1 x n grid).
    case spatial
    /// Along the channel axis: a view of n x h x w, item j in channel j
    /// (000's StackedMultiOmniglot).
    case stacked
}

/// Pairs of multi-item images whose items are related by class, built from
/// labelled images as 000 sec. 5.2 builds SpatialMultiOmniglot and
/// StackedMultiOmniglot from Omniglot: x holds n items of classes
/// c_1..c_n, and y the items of the *next* classes, (c_j + 1) mod 10,
/// drawn as other images. The latent variable is the class sequence z.
///
/// Pair k of a split is drawn from its own generator, derived from
/// (`seed`, split, k) alone, so a pair is the same whatever else is
/// drawn (the first 100 pairs of a dataset of 50,000 are the dataset of
/// 100): classes c_j uniform on 0..<10; x's slot j a uniformly chosen
/// image of class c_j; y's slot j a uniformly chosen image of class
/// c_j + 1 mod 10 (so never x's image). Training pairs use only the
/// training images and test pairs only the test images. The dataset is
/// kept as image indices (8n bytes a pair); `fill` assembles the pixels,
/// scaled to [0, 1], and draws nothing from its generator. The labels,
/// `items` per pair, are x's classes c_1..c_n, so a probe reads one class
/// per slot and reports the slots' mean accuracy (000 sec. 5.1).
///
/// The MI: x and y are independent given z, and y's classes are z shifted
/// by one. If each item's class were a function of its image (as an
/// Omniglot character's is, nearly), z would be a function of x and of y,
/// and I(x; y) = H(z) = n log 10 nats: 000's sum_i log l_i with every
/// l_i = 10. Fashion-MNIST's classes overlap (shirts, T-shirts, pullovers
/// and coats are confused: a linear probe on the raw pixels of a whole
/// image reaches about 84%, a good ConvNet about 93%), so z is not quite
/// a function of the images and the true I(x; y) lies below n log 10,
/// by an amount no closed form gives. The exponential of the MI passes
/// the training-set size at n = 5 for 50,000 pairs (10^5 > 5 x 10^4,
/// while 10^4 < 5 x 10^4): the regime in which 000 sec. 5.3 finds
/// CPC's representations break down (there at 3 characters, 137,280 >
/// 50,000).
///
///     let views = try MultiItemViews.fashionMNIST(items: 3, layout: .spatial)
///     views.shape1   // 1x28x84
public struct MultiItemViews: ViewPairs {
    /// The most items a view holds.
    public static let maxItems = 16
    /// Classes of the item images (Fashion-MNIST's 10).
    public static let itemClasses = 10

    /// Items per view, n.
    public let items: Int
    public let layout: ItemLayout
    /// Seeds which classes and images every pair holds.
    public let seed: UInt64
    public let name: String
    public let shape1: ViewShape
    public let shape2: ViewShape
    public let files: [DataFileStamp]
    public var labelSlots: Int { items }
    public var classes: Int { Self.itemClasses }
    private let height: Int, width: Int
    private let train: Part, test: Part

    /// One split: its images (bytes 0-255, shared with the loaded set,
    /// not copied) and labels, and for each pair the image index of
    /// every slot of x and of y (pair after pair, `items` each).
    private struct Part: Sendable {
        var pixels: [UInt8], imageLabels: [UInt8], x: [Int32], y: [Int32], count: Int
    }

    /// Pairs of the images already loaded (`FashionMNIST(split: .train)` and
    /// `(split: .test)`, or any two labelled sets of one image size that
    /// hold every class 0-9): `trainPairs` from the training images and
    /// `testPairs` from the test images. The pairs are drawn on all cores
    /// when `parallelism` allows, with the same bits either way.
    public init(train: FashionMNIST, test: FashionMNIST, items: Int, layout: ItemLayout = .spatial,
                trainPairs: Int = 50_000, testPairs: Int = 10_000, seed: UInt64 = 0,
                parallelism: Parallelism = .allCores) throws(RepresentationError) {
        guard (1...Self.maxItems).contains(items) else {
            throw .invalidOption(name: "items", value: "\(items)", expected: "between 1 and \(Self.maxItems)")
        }
        guard trainPairs >= 1 else {
            throw .invalidOption(name: "the training pairs", value: "\(trainPairs)", expected: "at least 1")
        }
        guard testPairs >= 1 else {
            throw .invalidOption(name: "the test pairs", value: "\(testPairs)", expected: "at least 1")
        }
        let (h, w) = (train.images.height, train.images.width)
        guard test.images.height == h && test.images.width == w else {
            throw .mismatchedImages(train: "\(h)x\(w)", test: "\(test.images.height)x\(test.images.width)")
        }
        guard h >= 1 && w >= 1 else { throw .emptyImages(height: h, width: w) }
        self.items = items
        self.layout = layout
        self.seed = seed
        height = h
        width = w
        let shape = layout == .spatial ? ViewShape(height: h, width: w * items)
            : ViewShape(channels: items, height: h, width: w)
        shape1 = shape
        shape2 = shape
        self.train = try Self.part(train, split: .train, pairs: trainPairs, items: items, seed: seed,
                                   parallelism: parallelism)
        self.test = try Self.part(test, split: .test, pairs: testPairs, items: items, seed: seed,
                                  parallelism: parallelism)
        let base = train.name.hasSuffix("(train)") ? String(train.name.dropLast("(train)".count)) : train.name
        name = "\(base) \(items) item\(items == 1 ? "" : "s") \(layout.rawValue), y the next classes"
        files = train.files + test.files
    }

    /// Pairs from Fashion-MNIST's official split in `directory` (Debian's
    /// `dataset-fashion-mnist`), optionally only the first `trainImages`
    /// and `testImages` images. Throws `DataFileError` for the files and
    /// `RepresentationError` for the settings.
    public static func fashionMNIST(items: Int, layout: ItemLayout = .spatial, trainPairs: Int = 50_000,
                                    testPairs: Int = 10_000, seed: UInt64 = 0,
                                    directory: String = FashionMNIST.defaultDirectory,
                                    trainImages: Int? = nil, testImages: Int? = nil) throws -> MultiItemViews {
        try MultiItemViews(train: FashionMNIST(split: .train, directory: directory, limit: trainImages),
                           test: FashionMNIST(split: .test, directory: directory, limit: testImages),
                           items: items, layout: layout, trainPairs: trainPairs, testPairs: testPairs, seed: seed)
    }

    /// Pairs per parallel piece when drawing the dataset.
    private static let pairsPerChunk = 256

    /// Draws `pairs` pairs of n items from one split's images.
    private static func part(_ set: FashionMNIST, split: ViewSplit, pairs: Int, items n: Int, seed: UInt64,
                             parallelism: Parallelism) throws(RepresentationError) -> Part {
        // The images of each class, in file order.
        var byClass = [[Int32]](repeating: [], count: itemClasses)
        for (i, label) in set.labels.enumerated() { byClass[Int(label)].append(Int32(i)) }
        if let empty = byClass.firstIndex(where: \.isEmpty) {
            throw .missingClass(split: split, label: empty, images: set.images.count)
        }
        var x = [Int32](repeating: 0, count: pairs * n), y = [Int32](repeating: 0, count: pairs * n)
        // Pair k's generator: a per-split base number from the seed (the
        // SplitMix64 inside `RNG` mixes it) with k as the stream, so no pair
        // depends on any other draw.
        var base = RNG(seed: seed, stream: split == .train ? 1 : 2)
        let splitBase = base.next()
        x.withUnsafeMutableBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                let out = (SharedPointer(xb.baseAddress!), SharedPointer(yb.baseAddress!))
                let lists = byClass
                parallelism.forEachChunk(pairs, chunk: pairsPerChunk) { range in
                    for k in range {
                        var rng = RNG(seed: splitBase, stream: UInt64(k))
                        for j in 0..<n {
                            let c = rng.int(below: itemClasses), next = (c + 1) % itemClasses
                            let first = lists[c], second = lists[next]
                            out.0.base[k * n + j] = first[rng.int(below: first.count)]
                            out.1.base[k * n + j] = second[rng.int(below: second.count)]
                        }
                    }
                }
            }
        }
        return Part(pixels: set.images.pixels, imageLabels: set.labels, x: x, y: y, count: pairs)
    }

    private func part(_ split: ViewSplit) -> Part { split == .train ? train : test }

    public func count(_ split: ViewSplit) -> Int { part(split).count }

    /// x's classes c_1..c_n of every pair, pair after pair.
    public func labels(_ split: ViewSplit) -> [Int] {
        let p = part(split)
        return p.x.map { Int(p.imageLabels[Int($0)]) }
    }

    /// The images (indices into `split`'s image file, in file order) in the
    /// slots of x and of y of pair `pair`.
    public func images(_ split: ViewSplit, pair: Int) -> (x: [Int], y: [Int]) {
        let p = part(split)
        precondition(pair >= 0 && pair < p.count, "pair \(pair) is not in 0..<\(p.count) of \(split)")
        let slots = (pair * items)..<((pair + 1) * items)
        return (p.x[slots].map(Int.init), p.y[slots].map(Int.init))
    }

    /// Items per parallel piece of a fill.
    private static let itemsPerChunk = 16
    /// Pixel value p maps to entry p: p / 255 rounded once to Float.
    private static let scale: [Float] = ImageSet.scaleTable()

    public func fill(_ split: ViewSplit, items pairs: [Int], x1: UnsafeMutablePointer<Float>,
                     x2: UnsafeMutablePointer<Float>, rng: inout RNG, parallelism: Parallelism) {
        let data = part(split)
        for i in pairs { precondition(i >= 0 && i < data.count, "item \(i) is not in 0..<\(data.count) of \(split)") }
        let n = items, size = shape1.size, (h, w) = (height, width)
        let spatial = layout == .spatial
        let out = (SharedPointer(x1), SharedPointer(x2))
        data.pixels.withUnsafeBufferPointer { pixels in
            data.x.withUnsafeBufferPointer { xs in
                data.y.withUnsafeBufferPointer { ys in
                    Self.scale.withUnsafeBufferPointer { table in
                        let src = UncheckedBox((pixels.baseAddress!, xs.baseAddress!, ys.baseAddress!, table.baseAddress!))
                        parallelism.forEachChunk(pairs.count, chunk: Self.itemsPerChunk) { range in
                            let (pixels, xs, ys, table) = src.value
                            for r in range {
                                let pair = pairs[r]
                                for (indices, view) in [(xs, out.0.base), (ys, out.1.base)] {
                                    let row = view + r * size
                                    for j in 0..<n {
                                        let image = pixels + Int(indices[pair * n + j]) * h * w
                                        // Spatial: image row i goes to columns j w ..< (j + 1) w of view row i;
                                        // stacked: the image is plane j.
                                        let (origin, stride) = spatial ? (row + j * w, w * n) : (row + j * h * w, w)
                                        for i in 0..<h {
                                            let from = image + i * w, to = origin + i * stride
                                            for c in 0..<w { to[c] = table[Int(from[c])] }
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
}
