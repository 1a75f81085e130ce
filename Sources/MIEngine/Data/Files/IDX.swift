/// An array of unsigned bytes read from an IDX file.
public struct IDXArray: Sendable, Equatable {
    /// The dimensions, outermost first (e.g. `[60000, 28, 28]`).
    public var shape: [Int]
    /// The elements in row-major order.
    public var bytes: [UInt8]
}

/// Reads IDX files, the format of MNIST and Fashion-MNIST, optionally
/// gzip-compressed (detected from the gzip magic number, not the name):
///
///     bytes 0-1   zero
///     byte  2     element type (0x08 = unsigned byte; the only one read here)
///     byte  3     number of dimensions d (at least 1)
///     bytes 4...  d sizes, big-endian uint32
///     then        the elements, row-major
///
/// Byte offsets in errors count bytes of the decompressed IDX data.
public enum IDX {
    /// The names of IDX element types, for messages.
    private static let typeNames: [UInt8: String] = [
        0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64",
    ]

    /// Reads the IDX file at `path` (gzip or plain).
    public static func read(_ path: String) throws(DataFileError) -> IDXArray {
        try readStamped(path).array
    }

    /// The array in the file at `path` and the stamp of what was read (the
    /// file as stored: compressed bytes for a .gz file).
    static func readStamped(_ path: String) throws(DataFileError) -> (array: IDXArray, stamp: DataFileStamp) {
        let contents = try FileBytes.readStamped(path)
        return (try parse(contents.bytes, file: path), contents.stamp)
    }

    /// Reads IDX bytes (gzip or plain) held in memory; `file` names them in errors.
    public static func parse(_ raw: [UInt8], file: String) throws(DataFileError) -> IDXArray {
        let bytes = Gzip.isCompressed(raw) ? try Gzip.decompress(raw, file: file) : raw
        if bytes.isEmpty { throw DataFileError(file: file, "the file is empty; expected an IDX header") }
        guard bytes.count >= 4 else {
            throw DataFileError(file: file, "the file is too short for an IDX header: \(bytes.count) bytes, "
                                + "expected at least 4")
        }
        guard bytes[0] == 0 && bytes[1] == 0 && bytes[3] >= 1 else {
            let hex = bytes[0..<4].map(Quote.hex).joined(separator: " ")
            throw DataFileError(file: file, .byte(0), "expected an IDX magic number 00 00 <type> <dimensions> "
                                + "(e.g. 00 00 08 03 for images), found \(hex)")
        }
        guard bytes[2] == 0x08 else {
            let name = typeNames[bytes[2]].map { " (\($0))" } ?? ""
            throw DataFileError(file: file, .byte(2), "unsupported IDX element type 0x\(Quote.hex(bytes[2]))"
                                + "\(name); expected 0x08 (unsigned byte)")
        }
        let dims = Int(bytes[3])
        let dataOffset = 4 + 4 * dims
        guard bytes.count >= dataOffset else {
            throw DataFileError(file: file, .byte(4), "the header is truncated: \(dims) dimension sizes need "
                                + "\(4 * dims) bytes, found \(bytes.count - 4)")
        }
        var shape: [Int] = []
        var count = 1
        for d in 0..<dims {
            let at = 4 + 4 * d
            let size = (0..<4).reduce(0) { $0 << 8 | Int(bytes[at + $1]) }
            shape.append(size)
            let (c, overflow) = count.multipliedReportingOverflow(by: size)
            if overflow { throw DataFileError(file: file, .byte(at), "the dimensions are too large") }
            count = c
        }
        let available = bytes.count - dataOffset
        let dimsText = shape.map(String.init).joined(separator: " x ")
        if available < count {
            throw DataFileError(file: file, .byte(dataOffset), "the data is truncated: dimensions \(dimsText) "
                                + "need \(count) bytes after the header, found \(available)")
        }
        if available > count {
            throw DataFileError(file: file, .byte(dataOffset + count), "expected the end of the file after "
                                + "the \(count) bytes of dimensions \(dimsText), found \(available - count) more bytes")
        }
        return IDXArray(shape: shape, bytes: Array(bytes[dataOffset...]))
    }

    /// Reads a file of 8-bit grayscale images (a 3-d IDX array: count x height x width).
    public static func readImages(_ path: String) throws(DataFileError) -> ImageSet {
        try images(read(path), file: path)
    }

    /// Reads a file of 8-bit labels (a 1-d IDX array).
    public static func readLabels(_ path: String) throws(DataFileError) -> [UInt8] {
        try labels(read(path), file: path)
    }

    /// The images of a 3-d array read from `file`.
    public static func images(_ array: IDXArray, file: String) throws(DataFileError) -> ImageSet {
        guard array.shape.count == 3 else {
            throw DataFileError(file: file, .byte(3), "expected 3 dimensions (images x rows x columns), "
                                + "found \(array.shape.count)")
        }
        if array.shape[1].multipliedReportingOverflow(by: array.shape[2]).overflow {
            throw DataFileError(file: file, .byte(8), "the image size \(array.shape[1]) x \(array.shape[2]) is too large")
        }
        return ImageSet(uncheckedCount: array.shape[0], height: array.shape[1], width: array.shape[2], pixels: array.bytes)
    }

    /// The labels of a 1-d array read from `file`.
    public static func labels(_ array: IDXArray, file: String) throws(DataFileError) -> [UInt8] {
        guard array.shape.count == 1 else {
            throw DataFileError(file: file, .byte(3), "expected 1 dimension (labels), found \(array.shape.count)")
        }
        return array.bytes
    }
}

/// How an image is cut into two views for representation learning (paper 001
/// section 3: the top half of a digit is one view, the bottom half the other).
public enum ImageHalves: String, Sendable, CaseIterable {
    /// Rows `0..<height/2` and the rest.
    case topBottom = "top/bottom"
    /// Columns `0..<width/2` and the rest.
    case leftRight = "left/right"
}

/// 8-bit grayscale images of one size, stored as bytes (row-major pixels,
/// image after image), with conversions to [0, 1]-scaled matrices.
public struct ImageSet: Sendable, Equatable {
    public let count: Int
    public let height: Int
    public let width: Int
    /// `count * height * width` pixels, 0 (black) to 255.
    public let pixels: [UInt8]

    /// Images over existing pixels; nil unless `pixels.count == count * height * width`.
    public init?(count: Int, height: Int, width: Int, pixels: [UInt8]) {
        guard count >= 0, height >= 0, width >= 0 else { return nil }
        let (area, o1) = height.multipliedReportingOverflow(by: width)
        let (total, o2) = area.multipliedReportingOverflow(by: count)
        guard !o1 && !o2 && pixels.count == total else { return nil }
        self.count = count
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// Pixels per image.
    public var pixelsPerImage: Int { height * width }

    /// The first `n` images (all of them if `n >= count`).
    public func prefix(_ n: Int) -> ImageSet {
        let k = max(0, min(n, count))
        return ImageSet(uncheckedCount: k, height: height, width: width,
                        pixels: Array(pixels.prefix(k * pixelsPerImage)))
    }

    /// One image per row, `height * width` columns, pixel values divided by 255.
    public func matrix<T: MIScalar>(_ type: T.Type = Double.self) -> Matrix<T> {
        let table: [T] = Self.scaleTable()
        return Matrix(rows: count, cols: pixelsPerImage, storage: pixels.map { table[Int($0)] })
    }

    /// The two halves of every image as matrices scaled to [0, 1], one image
    /// per row, pixels in row-major order within each half. With an odd height
    /// (width) the second half gets the extra row (column).
    ///
    ///     let (top, bottom) = images.halves(.topBottom)   // 28x28 -> 392 + 392 columns
    public func halves<T: MIScalar>(_ split: ImageHalves, as type: T.Type = Double.self)
        -> (first: Matrix<T>, second: Matrix<T>) {
        let cut = split == .topBottom ? height / 2 : width / 2
        let firstCols = split == .topBottom ? cut * width : height * cut
        let secondCols = pixelsPerImage - firstCols
        let table: [T] = Self.scaleTable()
        var first = [T](), second = [T]()
        first.reserveCapacity(count * firstCols)
        second.reserveCapacity(count * secondCols)
        for n in 0..<count {
            let base = n * pixelsPerImage
            for r in 0..<height {
                for c in 0..<width {
                    let v = table[Int(pixels[base + r * width + c])]
                    if (split == .topBottom ? r : c) < cut { first.append(v) } else { second.append(v) }
                }
            }
        }
        return (Matrix(rows: count, cols: firstCols, storage: first),
                Matrix(rows: count, cols: secondCols, storage: second))
    }

    /// Pixel value p maps to entry p: p / 255 rounded once to T.
    static func scaleTable<T: MIScalar>() -> [T] { (0..<256).map { T(Double($0) / 255) } }

    /// Images whose sizes the caller has already checked.
    init(uncheckedCount count: Int, height: Int, width: Int, pixels: [UInt8]) {
        self.count = count
        self.height = height
        self.width = width
        self.pixels = pixels
    }
}
