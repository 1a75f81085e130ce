/// The element types the .npy loader reads.
public enum NPYDType: String, Sendable, Equatable {
    /// Little-endian IEEE 754 single precision, `<f4`.
    case float32 = "<f4"
    /// Little-endian IEEE 754 double precision, `<f8`.
    case float64 = "<f8"

    /// Bytes per element.
    public var size: Int { self == .float32 ? 4 : 8 }
}

/// The validated preamble of a .npy file (NumPy format versions 1.0, 2.0 and
/// 3.0, as described in `numpy.lib.format`):
///
///     bytes 0-5   magic "\x93NUMPY"
///     bytes 6-7   version major, minor (1.0, 2.0 or 3.0)
///     bytes 8-9   header length, little-endian uint16 (version 1.0)
///     bytes 8-11  header length, little-endian uint32 (versions 2.0 and 3.0)
///     then        the header: a Python dict literal, padded with spaces and
///                 ended by '\n'; Latin-1 in 1.0/2.0, UTF-8 in 3.0
///     then        the data, shape.product * itemsize bytes
///
/// The dict must have exactly the keys 'descr', 'fortran_order' and 'shape'.
struct NPYHeader {
    var version: (major: UInt8, minor: UInt8)
    var dtype: NPYDType
    var shape: [Int]
    /// Byte offset where the data starts.
    var dataOffset: Int

    /// The shape as NumPy prints it: `(3, 2)`, `(5,)`.
    static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// Reads and checks the preamble of `bytes`.
    init(bytes: [UInt8], file: String) throws(DataFileError) {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10 else {
            throw DataFileError(file: file, "the file is too short to be a .npy file: \(bytes.count) byte"
                                + "\(bytes.count == 1 ? "" : "s"), expected at least 10")
        }
        guard Array(bytes[0..<6]) == magic else {
            let hex = bytes[0..<6].map(Quote.hex).joined(separator: " ")
            let zip = bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
                ? " (this looks like a .npz zip archive; extract the .npy arrays from it first)" : ""
            throw DataFileError(file: file, .byte(0), "expected the .npy magic string \\x93NUMPY "
                                + "(93 4e 55 4d 50 59), found \(hex)\(zip)")
        }
        let major = bytes[6], minor = bytes[7]
        guard (1...3).contains(major) && minor == 0 else {
            throw DataFileError(file: file, .byte(6), "unsupported .npy format version \(major).\(minor); "
                                + "expected 1.0, 2.0 or 3.0")
        }
        version = (major, minor)
        let headerStart: Int, headerLength: Int
        if major == 1 {
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        } else {
            guard bytes.count >= 12 else {
                throw DataFileError(file: file, "the file is too short for a version \(major).0 .npy "
                                    + "preamble: \(bytes.count) bytes, expected at least 12")
            }
            headerStart = 12
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        }
        guard headerLength <= bytes.count - headerStart else {
            throw DataFileError(file: file, .byte(8), "the header length \(headerLength) runs past the end "
                                + "of the file: \(bytes.count - headerStart) bytes follow the preamble")
        }
        dataOffset = headerStart + headerLength
        if major == 3 && String(validating: bytes[headerStart..<dataOffset], as: UTF8.self) == nil {
            throw DataFileError(file: file, .byte(headerStart), "a version 3.0 header must be UTF-8 text")
        }

        var parser = PythonLiteralParser(bytes: bytes, start: headerStart, end: dataOffset, file: file)
        let literal = try parser.parseAll()
        guard case .dict(let entries) = literal.kind else {
            throw DataFileError(file: file, .byte(literal.offset), "expected the header to be a dictionary, "
                                + "found \(literal.typeName)")
        }
        let expected = ["descr", "fortran_order", "shape"]
        for e in entries where !expected.contains(e.key) {
            throw DataFileError(file: file, .headerField(e.key), "unexpected key; expected only 'descr', "
                                + "'fortran_order' and 'shape'")
        }
        func field(_ key: String) throws(DataFileError) -> PythonLiteral {
            guard let v = entries.first(where: { $0.key == key })?.value else {
                throw DataFileError(file: file, .headerField(key), "missing from the header dictionary")
            }
            return v
        }
        dtype = try Self.dtype(try field("descr"), file: file)
        let order = try field("fortran_order")
        switch order.kind {
        case .bool(false): break
        case .bool(true):
            throw DataFileError(file: file, .headerField("fortran_order"), "Fortran-order (column-major) "
                                + "arrays are not supported; expected False (save np.ascontiguousarray(a))")
        default:
            throw DataFileError(file: file, .headerField("fortran_order"), "expected True or False, "
                                + "found \(order.repr)")
        }
        shape = try Self.shape(try field("shape"), file: file)
    }

    private static func dtype(_ v: PythonLiteral, file: String) throws(DataFileError) -> NPYDType {
        let hint = "expected float32 '<f4' or float64 '<f8' (convert with a.astype('<f8'))"
        guard case .string(let descr) = v.kind else {
            if case .list = v.kind {
                throw DataFileError(file: file, .headerField("descr"), "structured dtype \(v.repr) is not "
                                    + "supported; \(hint)")
            }
            throw DataFileError(file: file, .headerField("descr"), "unsupported dtype \(v.repr); \(hint)")
        }
        if let t = NPYDType(rawValue: descr) { return t }
        if descr == ">f4" || descr == ">f8" {
            throw DataFileError(file: file, .headerField("descr"), "big-endian dtype '\(descr)' is not "
                                + "supported; \(hint)")
        }
        throw DataFileError(file: file, .headerField("descr"), "unsupported dtype '\(descr)'; \(hint)")
    }

    private static func shape(_ v: PythonLiteral, file: String) throws(DataFileError) -> [Int] {
        let wanted = "expected (n,) or (n, d) with one sample per row"
        guard case .tuple(let items) = v.kind else {
            throw DataFileError(file: file, .headerField("shape"), "expected a tuple of integers, found \(v.repr)")
        }
        var dims: [Int] = []
        for item in items {
            guard case .int(let n) = item.kind, n >= 0 else {
                throw DataFileError(file: file, .headerField("shape"), "expected non-negative integers, "
                                    + "found \(v.repr)")
            }
            dims.append(n)
        }
        if dims.isEmpty {
            throw DataFileError(file: file, .headerField("shape"), "0-d (scalar) arrays are not supported; \(wanted)")
        }
        if dims.count > 2 {
            throw DataFileError(file: file, .headerField("shape"), "\(dims.count)-d arrays such as "
                                + "\(describe(dims)) are not supported; \(wanted) (reshape with a.reshape(n, -1))")
        }
        return dims
    }
}
