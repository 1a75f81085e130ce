#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28x28 grayscale images of
/// clothing in 10 classes, 60000 for training and 10000 for testing, as
/// installed by Debian's `dataset-fashion-mnist` package:
///
///     /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
///
/// Files without the `.gz` suffix (already decompressed) are read too.
///
///     let train = try FashionMNIST(split: .train, limit: 10_000)
///     let data = try train.dataset(halves: .topBottom, evalFraction: 0.2, seed: 1)
public struct FashionMNIST: Sendable {
    /// Where Debian installs the files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    /// The class names, indexed by label.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// The published training (60000 images) or test (10000 images) part.
    public enum Split: String, Sendable, CaseIterable {
        case train
        case test

        /// The file name prefix: `train` or `t10k`.
        public var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// The images, in file order.
    public let images: ImageSet
    /// The class of each image, 0-9 (see `classNames`).
    public let labels: [UInt8]
    /// A short description, e.g. `fashion-mnist(train)`.
    public let name: String
    /// The image and label files read (empty when built from arrays in memory).
    public let files: [DataFileStamp]

    /// Whether the images and labels of `split` exist in `directory`.
    public static func isInstalled(split: Split = .train, directory: String = defaultDirectory) -> Bool {
        path(split, "images-idx3", in: directory) != nil && path(split, "labels-idx1", in: directory) != nil
    }

    /// Loads `split` from `directory`, keeping only the first `limit` images
    /// (all of them when nil; 60000 training images as Double halves take
    /// about 380 MB).
    public init(split: Split = .train, directory: String = defaultDirectory, limit: Int? = nil) throws(DataFileError) {
        let imagesPath = try Self.require(split, "images-idx3", in: directory)
        let labelsPath = try Self.require(split, "labels-idx1", in: directory)
        let images = try IDX.readStamped(imagesPath), labels = try IDX.readStamped(labelsPath)
        try self.init(images: IDX.images(images.array, file: imagesPath), imagesFile: imagesPath,
                      labels: IDX.labels(labels.array, file: labelsPath), labelsFile: labelsPath,
                      name: "fashion-mnist(\(split.rawValue))", limit: limit, files: [images.stamp, labels.stamp])
    }

    /// Images and labels already read (from any IDX files in the Fashion-MNIST
    /// layout); checks that there is one label 0-9 per image.
    public init(images: ImageSet, imagesFile: String, labels: [UInt8], labelsFile: String,
                name: String = "fashion-mnist", limit: Int? = nil, files: [DataFileStamp] = []) throws(DataFileError) {
        guard labels.count == images.count else {
            throw DataFileError(file: labelsFile, .byte(4), "expected \(images.count) labels, one per image "
                                + "in \(imagesFile), found \(labels.count)")
        }
        let headerSize = 8  // 1-d IDX: magic + one size
        if let bad = labels.firstIndex(where: { $0 > 9 }) {
            throw DataFileError(file: labelsFile, .byte(headerSize + bad), "expected a class label 0-9, "
                                + "found \(labels[bad]) (label of image \(bad))")
        }
        if let limit, limit < 0 {
            throw DataFileError(file: imagesFile, "limit must not be negative, found \(limit)")
        }
        let n = limit.map { min($0, images.count) } ?? images.count
        self.images = images.prefix(n)
        self.labels = Array(labels.prefix(n))
        self.name = name
        self.files = files
    }

    /// The images as rows scaled to [0, 1] (784 columns).
    public func imageMatrix<T: MIScalar>(_ type: T.Type = Double.self) -> Matrix<T> {
        images.matrix(type)
    }

    /// The labels as an n x 10 one-hot matrix (for linear probes).
    public func oneHotLabels<T: MIScalar>(_ type: T.Type = Double.self) -> Matrix<T> {
        var m = Matrix<T>(rows: labels.count, cols: 10)
        for (i, l) in labels.enumerated() { m[i, Int(l)] = 1 }
        return m
    }

    /// Two halves of each image as x/y pairs (paper 001 section 3: the two
    /// views whose MI the encoders maximise), split after a seeded shuffle
    /// like any `FixedDataset`.
    public func dataset(halves: ImageHalves = .topBottom, evalFraction: Double = 0.2,
                        seed: UInt64 = 0) throws(DataFileError) -> FixedDataset {
        let (x, y) = images.halves(halves, as: Double.self)
        let pairs = LoadedPairs(x: x, y: y, xNames: (0..<x.cols).map { "x\($0)" },
                                yNames: (0..<y.cols).map { "y\($0)" }, source: name, files: files)
        return try FixedDataset(pairs: pairs, name: "\(name) \(halves.rawValue) n=\(images.count)",
                                evalFraction: evalFraction, seed: seed)
    }

    /// The existing file for `split` and `kind`, preferring the compressed one.
    static func path(_ split: Split, _ kind: String, in directory: String) -> String? {
        let base = "\(directory)/\(split.filePrefix)-\(kind)-ubyte"
        return [base + ".gz", base].first { access($0, R_OK) == 0 }
    }

    private static func require(_ split: Split, _ kind: String, in directory: String) throws(DataFileError) -> String {
        if let p = path(split, kind, in: directory) { return p }
        let hint = directory == defaultDirectory ? " (install Debian's dataset-fashion-mnist package)" : ""
        throw DataFileError(file: "\(directory)/\(split.filePrefix)-\(kind)-ubyte.gz",
                            "cannot find a readable file here, with or without the .gz suffix\(hint)")
    }
}
