/// A 1-d or 2-d float array read from a .npy file, as a matrix with one
/// sample per row (a 1-d array of n values is an n x 1 matrix).
public struct NPYArray: Sendable, Equatable {
    /// The shape stored in the file: `[n]` or `[n, d]`.
    public var shape: [Int]
    /// The element type stored in the file (values are widened to Double).
    public var dtype: NPYDType
    /// The values, row-major.
    public var matrix: Matrix<Double>
}

/// Reads NumPy .npy files (format versions 1.0, 2.0, 3.0) of little-endian
/// float32 or float64 in C order, with shape (n,) or (n, d). Everything else
/// (other dtypes, big-endian, Fortran order, 3-d arrays, pickled objects) is
/// rejected with a `DataFileError` naming the header field at fault; data of
/// the wrong length and NaN or infinite values are reported by byte offset.
///
/// In NumPy:
///
///     np.save("x.npy", x.astype(np.float64))          # x.shape == (n, dx)
public enum NPY {
    /// Reads the .npy file at `path`.
    public static func read(_ path: String) throws(DataFileError) -> NPYArray {
        try readStamped(path).array
    }

    /// The array in the file at `path` and the stamp of what was read.
    static func readStamped(_ path: String) throws(DataFileError) -> (array: NPYArray, stamp: DataFileStamp) {
        let contents = try FileBytes.readStamped(path)
        return (try parse(contents.bytes, file: path), contents.stamp)
    }

    /// Reads .npy bytes held in memory; `file` names them in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws(DataFileError) -> NPYArray {
        let header = try NPYHeader(bytes: bytes, file: file)
        let rows = header.shape[0]
        let cols = header.shape.count == 2 ? header.shape[1] : 1
        let (count, o1) = rows.multipliedReportingOverflow(by: cols)
        let (length, o2) = count.multipliedReportingOverflow(by: header.dtype.size)
        let shapeText = NPYHeader.describe(header.shape)
        let typeName = header.dtype == .float32 ? "float32" : "float64"
        if o1 || o2 {
            throw DataFileError(file: file, .headerField("shape"), "the shape \(shapeText) is too large")
        }
        let available = bytes.count - header.dataOffset
        if available < length {
            throw DataFileError(file: file, .byte(header.dataOffset), "the data is truncated: shape "
                                + "\(shapeText) of \(typeName) needs \(length) bytes after the header, "
                                + "found \(available)")
        }
        if available > length {
            throw DataFileError(file: file, .byte(header.dataOffset + length), "expected the end of the "
                                + "file after the \(length) bytes of shape \(shapeText) of \(typeName), "
                                + "found \(available - length) more bytes")
        }
        var values = [Double](repeating: 0, count: count)
        var bad: Int?
        bytes.withUnsafeBytes { raw in
            let base = header.dataOffset
            values.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    let v: Double
                    switch header.dtype {
                    case .float32:
                        v = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(
                            fromByteOffset: base + 4 * i, as: UInt32.self))))
                    case .float64:
                        v = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(
                            fromByteOffset: base + 8 * i, as: UInt64.self)))
                    }
                    if !v.isFinite && bad == nil { bad = i }
                    out[i] = v
                }
            }
        }
        if let i = bad {
            let index = header.shape.count == 2 ? "[\(i / cols), \(i % cols)]" : "[\(i)]"
            throw DataFileError(file: file, .byte(header.dataOffset + i * header.dtype.size),
                                "expected a finite number, found \(values[i]) at index \(index)")
        }
        return NPYArray(shape: header.shape, dtype: header.dtype,
                        matrix: Matrix(rows: rows, cols: cols, storage: values))
    }

    /// Pairs from two files: row i of `x` goes with row i of `y`. The files
    /// must have the same number of rows.
    public static func readPairs(x xPath: String, y yPath: String) throws(DataFileError) -> LoadedPairs {
        let x = try readStamped(xPath)
        let y = try readStamped(yPath)
        var loaded = try pairs(x: x.array, xFile: xPath, y: y.array, yFile: yPath)
        loaded.files = [x.stamp, y.stamp]
        return loaded
    }

    /// Pairs from two in-memory arrays read from `xFile` and `yFile`.
    static func pairs(x: NPYArray, xFile: String, y: NPYArray, yFile: String) throws(DataFileError) -> LoadedPairs {
        for (array, file) in [(x, xFile), (y, yFile)] where array.matrix.cols == 0 {
            throw DataFileError(file: file, .headerField("shape"), "expected at least one column, found "
                                + "shape \(NPYHeader.describe(array.shape))")
        }
        guard x.matrix.rows == y.matrix.rows else {
            throw DataFileError(file: yFile, .headerField("shape"), "expected \(x.matrix.rows) rows to match "
                                + "\(xFile) (shape \(NPYHeader.describe(x.shape))), found \(y.matrix.rows) "
                                + "(shape \(NPYHeader.describe(y.shape)))")
        }
        return LoadedPairs(x: x.matrix, y: y.matrix,
                           xNames: (0..<x.matrix.cols).map(String.init),
                           yNames: (0..<y.matrix.cols).map(String.init),
                           source: "\(xFile), \(yFile)")
    }

    /// Pairs from one file whose columns are split into x and y, chosen by
    /// 0-based index (`.index`, `.indexRange`); name selectors are errors.
    public static func readPairs(path: String, x: [ColumnSelector], y: [ColumnSelector]) throws(DataFileError) -> LoadedPairs {
        let (array, stamp) = try readStamped(path)
        var loaded = try split(array, file: path, x: x, y: y)
        loaded.files = [stamp]
        return loaded
    }

    /// The x and y columns of an in-memory array read from `file`.
    public static func split(_ array: NPYArray, file: String, x: [ColumnSelector],
                             y: [ColumnSelector]) throws(DataFileError) -> LoadedPairs {
        let m = array.matrix
        let resolver = ColumnResolver(file: file, location: .file, names: nil, columnCount: m.cols)
        let (xs, ys) = try resolver.resolve(x: x, y: y)
        return LoadedPairs(x: m.gatherColumns(xs), y: m.gatherColumns(ys),
                           xNames: xs.map(String.init), yNames: ys.map(String.init), source: file)
    }
}

extension Matrix {
    /// The columns at `indices`, in that order (indices already checked).
    func gatherColumns(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: rows, cols: indices.count)
        for i in 0..<rows {
            for (jj, j) in indices.enumerated() { out.storage[i * indices.count + jj] = storage[i * cols + j] }
        }
        return out
    }
}
