import Testing
@testable import MIEngine

/// NumPy .npy files: exact round trips and strict header checks.
@Suite struct NPYTests {
    static let values: [Double] = [0.1, -2.5, 3 * .leastNonzeroMagnitude, 3.4028234663852886e38, -0.0, 42]

    @Test(arguments: [UInt8(1), 2, 3])
    func float64RoundTripIsExact(version: UInt8) throws {
        let a = try NPY.parse(NPYWriter.file(Self.values, shape: [3, 2], version: version), file: "a.npy")
        #expect(a.shape == [3, 2])
        #expect(a.dtype == .float64)
        #expect(a.matrix == Matrix(rows: 3, cols: 2, storage: Self.values))
    }

    @Test(arguments: [UInt8(1), 2])
    func float32RoundTripIsExact(version: UInt8) throws {
        let floats: [Float] = [0.1, -2.5, .leastNormalMagnitude / 4, .greatestFiniteMagnitude, -0.0, 42]
        let bytes = NPYWriter.file(header: NPYWriter.dict(descr: "<f4", shape: [2, 3]), version: version,
                                   data: NPYWriter.float32(floats))
        let a = try NPY.parse(bytes, file: "a.npy")
        #expect(a.dtype == .float32)
        #expect(a.matrix == Matrix(rows: 2, cols: 3, storage: floats.map(Double.init)))
    }

    @Test func oneDimensionalArrayIsOneColumn() throws {
        let a = try NPY.parse(NPYWriter.file([1, 2, 3], shape: [3]), file: "v.npy")
        #expect(a.matrix == Matrix([[1], [2], [3]]))
        // A header as old NumPy wrote it: 16-byte alignment, Python 2 longs, no trailing comma.
        let old = NPYWriter.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 1L)}",
                                 data: NPYWriter.float64([5, 6]))
        #expect(try NPY.parse(old, file: "old.npy").matrix == Matrix([[5], [6]]))
    }

    @Test func twoFilesAndOneFileSplitIntoPairs() throws {
        let dir = try TemporaryDirectory()
        let xPath = try dir.write("x.npy", NPYWriter.file([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], shape: [5, 2]))
        let yPath = try dir.write("y.npy", NPYWriter.file([-1, -2, -3, -4, -5], shape: [5], float32: true, version: 2))
        let pairs = try NPY.readPairs(x: xPath, y: yPath)
        #expect(pairs.x == Matrix([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]))
        #expect(pairs.y == Matrix([[-1], [-2], [-3], [-4], [-5]]))
        let data = try FixedDataset(npyX: xPath, npyY: yPath, evalFraction: 0.2, seed: 4)
        #expect(data.count == 5 && data.dimX == 2 && data.dimY == 1)

        let joint = try dir.write("xy.npy", NPYWriter.file((0..<12).map(Double.init), shape: [3, 4]))
        let split = try NPY.readPairs(path: joint, x: [.indexRange(from: 0, through: 1)], y: [3])
        #expect(split.x == Matrix([[0, 1], [4, 5], [8, 9]]))
        #expect(split.y == Matrix([[3], [7], [11]]))
        #expect(split.xNames == ["0", "1"] && split.yNames == ["3"])
    }

    /// The error text of parsing `bytes` as `x.npy`.
    func npyError(_ bytes: [UInt8]) -> String? {
        errorText { () throws(DataFileError) in _ = try NPY.parse(bytes, file: "x.npy") }
    }

    func header(_ dict: String, version: UInt8 = 1, data: [UInt8] = []) -> [UInt8] {
        NPYWriter.file(header: dict, version: version, data: data)
    }

    @Test func wrongMagicAndVersion() {
        #expect(npyError(utf8("x,y\n1,2\n3,4\n"))
                == "x.npy: byte 0: expected the .npy magic string \\x93NUMPY (93 4e 55 4d 50 59), found 78 2c 79 0a 31 2c")
        #expect(npyError([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 0, 0])
                == "x.npy: byte 0: expected the .npy magic string \\x93NUMPY (93 4e 55 4d 50 59), found 50 4b 03 04 14 00 "
                + "(this looks like a .npz zip archive; extract the .npy arrays from it first)")
        var v4 = NPYWriter.file([1], shape: [1])
        v4[6] = 4
        #expect(npyError(v4) == "x.npy: byte 6: unsupported .npy format version 4.0; expected 1.0, 2.0 or 3.0")
        #expect(npyError([0x93, 0x4E, 0x55]) == "x.npy: the file is too short to be a .npy file: 3 bytes, expected at least 10")
    }

    @Test func unsupportedDtypes() {
        let hint = "expected float32 '<f4' or float64 '<f8' (convert with a.astype('<f8'))"
        #expect(npyError(header(NPYWriter.dict(descr: "<i4", shape: [1]), data: [0, 0, 0, 0]))
                == "x.npy: header field 'descr': unsupported dtype '<i4'; \(hint)")
        #expect(npyError(header(NPYWriter.dict(descr: ">f8", shape: [1]), data: [UInt8](repeating: 0, count: 8)))
                == "x.npy: header field 'descr': big-endian dtype '>f8' is not supported; \(hint)")
        #expect(npyError(header("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }"))
                == "x.npy: header field 'descr': structured dtype [('a', '<f8')] is not supported; \(hint)")
    }

    @Test func fortranOrderAndShapes() {
        #expect(npyError(header(NPYWriter.dict(fortran: true, shape: [2, 2])))
                == "x.npy: header field 'fortran_order': Fortran-order (column-major) arrays are not supported; "
                + "expected False (save np.ascontiguousarray(a))")
        #expect(npyError(header(NPYWriter.dict(shape: [2, 3, 4])))
                == "x.npy: header field 'shape': 3-d arrays such as (2, 3, 4) are not supported; expected (n,) or (n, d) "
                + "with one sample per row (reshape with a.reshape(n, -1))")
        #expect(npyError(header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }"))
                == "x.npy: header field 'shape': 0-d (scalar) arrays are not supported; expected (n,) or (n, d) with one sample per row")
        #expect(npyError(header("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }"))
                == "x.npy: header field 'shape': expected non-negative integers, found (-1, 2)")
    }

    @Test func headerDictionaryIsCheckedStrictly() {
        #expect(npyError(header("{'descr': '<f8', 'shape': (1,), }"))
                == "x.npy: header field 'fortran_order': missing from the header dictionary")
        #expect(npyError(header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}"))
                == "x.npy: header field 'extra': unexpected key; expected only 'descr', 'fortran_order' and 'shape'")
        #expect(npyError(header("{'descr': '<f8', 'descr': '<f8'}"))
                == "x.npy: byte 27: malformed .npy header: the key 'descr' appears twice")
        #expect(npyError(header("{'descr': '<f8', 'fortran_order': False 'shape': (1,)}"))
                == "x.npy: byte 50: malformed .npy header: expected ',' or '}', found \"'\"")
        #expect(npyError(header("['descr']"))
                == "x.npy: byte 10: expected the header to be a dictionary, found a list")
        var long = NPYWriter.file([1], shape: [1])
        long[8] = 0xFF
        #expect(npyError(long) == "x.npy: byte 8: the header length 255 runs past the end of the file: 126 bytes follow the preamble")
    }

    @Test func dataLengthAndValues() {
        let dict = NPYWriter.dict(shape: [3, 2])
        #expect(npyError(header(dict, data: NPYWriter.float64([1, 2, 3, 4, 5])))
                == "x.npy: byte 128: the data is truncated: shape (3, 2) of float64 needs 48 bytes after the header, found 40")
        #expect(npyError(header(dict, data: NPYWriter.float64([1, 2, 3, 4, 5, 6, 7])))
                == "x.npy: byte 176: expected the end of the file after the 48 bytes of shape (3, 2) of float64, found 8 more bytes")
        #expect(npyError(header(dict, data: NPYWriter.float64([1, 2, .nan, 4, 5, 6])))
                == "x.npy: byte 144: expected a finite number, found nan at index [1, 0]")
        #expect(npyError(header(NPYWriter.dict(descr: "<f4", shape: [2]), data: NPYWriter.float32([1, -.infinity])))
                == "x.npy: byte 132: expected a finite number, found -inf at index [1]")
    }

    @Test func pairErrors() throws {
        let dir = try TemporaryDirectory()
        let xPath = try dir.write("x.npy", NPYWriter.file([1, 2, 3, 4], shape: [2, 2]))
        let yPath = try dir.write("y.npy", NPYWriter.file([1, 2, 3], shape: [3]))
        #expect(errorText { () throws(DataFileError) in _ = try FixedDataset(npyX: xPath, npyY: yPath) }
                == "\(yPath): header field 'shape': expected 2 rows to match \(xPath) (shape (2, 2)), found 3 (shape (3,))")
        #expect(errorText { () throws(DataFileError) in _ = try NPY.readPairs(path: xPath, x: ["a"], y: [1]) }
                == "\(xPath): column 'a' in the x columns is selected by name, but a .npy array has no column names; "
                + "select columns by 0-based index")
        let empty = try dir.write("e.npy", NPYWriter.file([], shape: [4, 0]))
        #expect(errorText { () throws(DataFileError) in _ = try NPY.readPairs(path: empty, x: [0], y: [1]) }
                == "\(empty): column index 0 in the x columns is out of range; the file has no columns")
        #expect(errorText { () throws(DataFileError) in _ = try NPY.readPairs(x: empty, y: xPath) }
                == "\(empty): header field 'shape': expected at least one column, found shape (4, 0)")
        #expect(errorText { () throws(DataFileError) in _ = try NPY.readPairs(path: xPath, x: [0], y: [0]) }
                == "\(xPath): column 0 is selected in both the x and the y columns; each column may be used once")
    }
}
