import Testing
@testable import MIEngine

/// IDX files (plain and gzip) written by the tests, image halves, and the
/// Fashion-MNIST layout on small synthetic files.
@Suite struct IDXTests {
    /// Three 4x3 images with pixel = 20 * image + row * 3 + column (row-major).
    static let pixels: [UInt8] = (0..<3).flatMap { n in (0..<12).map { UInt8(20 * n + $0) } }
    static let imagesFile = IDXWriter.file(shape: [3, 4, 3], data: pixels)
    static let labelsFile = IDXWriter.file(shape: [3], data: [7, 0, 9])

    @Test(arguments: [false, true])
    func imagesAndLabelsRoundTrip(compressed: Bool) throws {
        let dir = try TemporaryDirectory()
        let wrap: ([UInt8]) -> [UInt8] = { compressed ? Gzip.compress($0) : $0 }
        let ip = try dir.write("images", wrap(Self.imagesFile))
        let lp = try dir.write("labels", wrap(Self.labelsFile))
        let images = try IDX.readImages(ip)
        #expect(images.count == 3 && images.height == 4 && images.width == 3)
        #expect(images.pixels == Self.pixels)
        #expect(try IDX.readLabels(lp) == [7, 0, 9])
        let m = images.matrix(Float.self)
        #expect(m.rows == 3 && m.cols == 12)
        #expect(m.storage == Self.pixels.map { Float(Double($0) / 255) })
    }

    @Test func halvesSplitRowsOrColumns() {
        let images = ImageSet(count: 2, height: 3, width: 2, pixels: [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15])!
        let s = 1.0 / 255
        let (top, bottom) = images.halves(.topBottom)
        // Odd height: the first half gets 1 row, the second 2.
        #expect(top == Matrix([[0, 1 * s], [10 * s, 11 * s]]))
        #expect(bottom == Matrix([[2 * s, 3 * s, 4 * s, 5 * s], [12 * s, 13 * s, 14 * s, 15 * s]]))
        let (left, right) = images.halves(.leftRight)
        #expect(left == Matrix([[0, 2 * s, 4 * s], [10 * s, 12 * s, 14 * s]]))
        #expect(right == Matrix([[1 * s, 3 * s, 5 * s], [11 * s, 13 * s, 15 * s]]))
        #expect(images.matrix()[1, 5] == 15.0 / 255)
        #expect(ImageSet(count: 2, height: 3, width: 2, pixels: [1, 2]) == nil)
    }

    @Test func fashionMNISTLayoutInATemporaryDirectory() throws {
        let dir = try TemporaryDirectory()
        try dir.write("t10k-images-idx3-ubyte.gz", Gzip.compress(Self.imagesFile))
        try dir.write("t10k-labels-idx1-ubyte", Self.labelsFile)  // an uncompressed file is found too
        #expect(FashionMNIST.isInstalled(split: .test, directory: dir.path))
        #expect(!FashionMNIST.isInstalled(split: .train, directory: dir.path))
        let f = try FashionMNIST(split: .test, directory: dir.path)
        #expect(f.labels == [7, 0, 9])
        #expect(f.oneHotLabels()[0, 7] == 1 && f.oneHotLabels()[2, 9] == 1)
        let limited = try FashionMNIST(split: .test, directory: dir.path, limit: 2)
        #expect(limited.images.count == 2 && limited.labels == [7, 0])
        let data = try f.dataset(halves: .topBottom, evalFraction: 0.34, seed: 2)
        #expect(data.dimX == 6 && data.dimY == 6)
        #expect(data.evalIndices.count == 1 && data.trainIndices.count == 2)
        #expect(data.x.row(1) == (20..<26).map { Double($0) / 255 })
        #expect(data.y.row(1) == (26..<32).map { Double($0) / 255 })
        let missing = dir.path + "/train-images-idx3-ubyte.gz"
        #expect(errorText { () throws(DataFileError) in _ = try FashionMNIST(split: .train, directory: dir.path) }
                == "\(missing): cannot find a readable file here, with or without the .gz suffix")
    }

    /// The error text of parsing `bytes` as `f.idx`.
    func idxError(_ bytes: [UInt8]) -> String? {
        errorText { () throws(DataFileError) in _ = try IDX.parse(bytes, file: "f.idx") }
    }

    @Test func malformedIDX() {
        #expect(idxError(NPYWriter.file([1], shape: [1]))
                == "f.idx: byte 0: expected an IDX magic number 00 00 <type> <dimensions> (e.g. 00 00 08 03 for images), found 93 4e 55 4d")
        #expect(idxError(IDXWriter.file(type: 0x0D, shape: [1], data: [0, 0, 0, 0]))
                == "f.idx: byte 2: unsupported IDX element type 0x0d (float32); expected 0x08 (unsigned byte)")
        #expect(idxError(Array(Self.imagesFile.dropLast(5)))
                == "f.idx: byte 16: the data is truncated: dimensions 3 x 4 x 3 need 36 bytes after the header, found 31")
        #expect(idxError(Self.imagesFile + [1, 2])
                == "f.idx: byte 52: expected the end of the file after the 36 bytes of dimensions 3 x 4 x 3, found 2 more bytes")
        #expect(idxError(Array(Self.imagesFile.prefix(10)))
                == "f.idx: byte 4: the header is truncated: 3 dimension sizes need 12 bytes, found 6")
        #expect(idxError([]) == "f.idx: the file is empty; expected an IDX header")
        #expect(idxError([0, 0]) == "f.idx: the file is too short for an IDX header: 2 bytes, expected at least 4")
    }

    @Test func malformedGzip() {
        let gz = Gzip.compress(Self.imagesFile)
        #expect(idxError(Array(gz.dropLast(12)))?.hasPrefix("f.idx: the gzip data is truncated: the compressed stream ends after ") == true)
        var corrupt = gz
        corrupt[12] ^= 0xFF
        corrupt[13] ^= 0xFF
        let message = idxError(corrupt) ?? ""
        #expect(message.hasPrefix("f.idx: corrupt gzip data (zlib: ") || message.hasPrefix("f.idx: the gzip data"),
                "\(message)")
        // A truncated IDX inside a valid gzip stream is reported like a plain one.
        #expect(idxError(Gzip.compress(Array(Self.imagesFile.dropLast(5))))
                == "f.idx: byte 16: the data is truncated: dimensions 3 x 4 x 3 need 36 bytes after the header, found 31")
        // Two gzip members decompress one after the other, as gunzip does.
        let half = Self.imagesFile.count / 2
        let twoMembers = Gzip.compress(Array(Self.imagesFile[..<half])) + Gzip.compress(Array(Self.imagesFile[half...]))
        #expect((try? IDX.parse(twoMembers, file: "f.idx").bytes) == Self.pixels)
        #expect(idxError(gz + [0, 0, 0])
                == "f.idx: unexpected 3 bytes after the end of the gzip data (compressed byte \(gz.count))")
    }

    @Test func labelChecks() throws {
        let images = try IDX.images(IDX.parse(Self.imagesFile, file: "i.idx"), file: "i.idx")
        #expect(errorText { () throws(DataFileError) in
            _ = try FashionMNIST(images: images, imagesFile: "i.idx", labels: [1, 2], labelsFile: "l.idx")
        } == "l.idx: byte 4: expected 3 labels, one per image in i.idx, found 2")
        #expect(errorText { () throws(DataFileError) in
            _ = try FashionMNIST(images: images, imagesFile: "i.idx", labels: [1, 12, 2], labelsFile: "l.idx")
        } == "l.idx: byte 9: expected a class label 0-9, found 12 (label of image 1)")
        #expect(errorText { () throws(DataFileError) in
            _ = try IDX.images(IDX.parse(Self.labelsFile, file: "l.idx"), file: "l.idx")
        } == "l.idx: byte 3: expected 3 dimensions (images x rows x columns), found 1")
    }
}

/// The real files from Debian's dataset-fashion-mnist, when installed.
@Suite(.enabled(if: FashionMNIST.isInstalled(split: .train) && FashionMNIST.isInstalled(split: .test),
                "needs Debian's dataset-fashion-mnist in /usr/share/datasets/fashion-mnist (apt install dataset-fashion-mnist)"))
struct FashionMNISTFilesTests {
    @Test func testSplitHasTenThousandLabelledImages() throws {
        let test = try FashionMNIST(split: .test)
        #expect(test.images.count == 10_000 && test.images.height == 28 && test.images.width == 28)
        #expect(test.labels.count == 10_000)
        // The test set is balanced: 1000 images per class.
        var counts = [Int](repeating: 0, count: 10)
        for l in test.labels { counts[Int(l)] += 1 }
        #expect(counts == [Int](repeating: 1000, count: 10))
        #expect(test.images.pixels.contains(255) && test.images.pixels.contains(0))
    }

    @Test func trainSplitHalvesFormADataset() throws {
        let train = try FashionMNIST(split: .train, limit: 500)
        #expect(train.images.count == 500 && train.labels.count == 500)
        let data = try train.dataset(halves: .leftRight, evalFraction: 0.2, seed: 1)
        #expect(data.dimX == 392 && data.dimY == 392 && data.count == 500)
        #expect(data.x.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
        var rng = RNG(seed: 9)
        let batch = data.sample(batch: 64, step: 0, rng: &rng)
        #expect(batch.size == 64)
    }
}
