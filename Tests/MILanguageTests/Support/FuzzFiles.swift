import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One data file the semantic fuzzer may name, and what is known about it.
struct FuzzFile: Sendable {
    enum Kind: Sendable { case csv, npy, other }
    /// As written in programs: relative to the folder, or absolute.
    let path: String
    let kind: Kind
    /// Data rows, when the file is well formed.
    let rows: Int?
    /// Column names (CSV header) or indices (NumPy), when well formed.
    let columns: [String]
    /// Whether it is a regular file (not a folder, a device or a FIFO).
    let regular: Bool
}

/// Small CSV and NumPy files of many shapes (fewer rows than a batch, one
/// column, NaN cells, ragged rows, Fortran order, a lying header, ...) in
/// a temporary folder, written once per test run. The contents depend on
/// nothing but this code, so a case reproduces from its index.
struct FuzzFiles: Sendable {
    let folder: String
    let files: [FuzzFile]

    func file(_ path: String) -> FuzzFile? { files.first { $0.path == path } }
    var csv: [FuzzFile] { files.filter { $0.kind == .csv } }
    var npy: [FuzzFile] { files.filter { $0.kind == .npy } }
    /// Paths that are no data file at all.
    var others: [FuzzFile] { files.filter { $0.kind == .other } }

    /// Rows of the well-formed CSV tables: (rows, x columns, y columns).
    static let csvShapes = [(0, 1, 1), (1, 1, 1), (2, 1, 1), (3, 2, 2), (5, 1, 1), (10, 2, 2), (40, 1, 1),
                            (79, 2, 2), (80, 1, 1), (81, 3, 3), (200, 2, 2), (1000, 5, 5)]
    /// Shapes of the well-formed NumPy tables: (rows, columns).
    static let npyShapes = [(0, 2), (1, 2), (3, 2), (10, 4), (79, 2), (100, 2), (300, 4)]

    /// Writes the files into a new temporary folder.
    static func make() throws -> FuzzFiles {
        let folder = NSTemporaryDirectory() + "mi-semantic-fuzz-\(getpid())"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var files: [FuzzFile] = []
        var rng = SplitMix64(seed: 7)
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        func add(_ name: String, _ kind: FuzzFile.Kind, rows: Int? = nil, columns: [String] = [], regular: Bool = true) {
            files.append(FuzzFile(path: name, kind: kind, rows: rows, columns: columns, regular: regular))
        }

        // Well-formed CSV: x1..xa, y1..yb, y correlated with x.
        for (rows, a, b) in csvShapes {
            let names = (1...a).map { "x\($0)" } + (1...b).map { "y\($0)" }
            var text = names.joined(separator: ",") + "\n"
            for _ in 0..<rows { text += csvRow(a, b, &rng) + "\n" }
            let name = "pairs_\(rows)_\(a)x\(b).csv"
            try write(name, Array(text.utf8))
            add(name, .csv, rows: rows, columns: names)
        }
        // Odd CSV: each breaks one assumption.
        let odd: [(String, String, Int?, [String])] = [
            ("empty.csv", "", nil, []),
            ("constant.csv", "x1,y1\n" + String(repeating: "1,1\n", count: 100), 100, ["x1", "y1"]),
            ("nan_cells.csv", "x1,y1\n1,2\nnan,3\n4,inf\n,5\n6,-inf\n" + rowsText(60, &rng), 65, ["x1", "y1"]),
            ("text_cell.csv", "x1,y1\n1,2\nabc,3\n" + rowsText(60, &rng), 62, ["x1", "y1"]),
            ("ragged.csv", "x1,y1\n1,2\n3\n4,5,6\n" + rowsText(60, &rng), 63, ["x1", "y1"]),
            ("semicolon.csv", "x1;y1\n" + rowsText(90, &rng).replacingOccurrences(of: ",", with: ";"), 90, ["x1", "y1"]),
            ("crlf_bom.csv", "\u{FEFF}x1,y1\r\n" + rowsText(90, &rng).replacingOccurrences(of: "\n", with: "\r\n"), 90, ["x1", "y1"]),
            ("duplicate_header.csv", "x,x,y\n" + (0..<90).map { _ in csvRow(2, 1, &rng) }.joined(separator: "\n"), 90, ["x", "x", "y"]),
            ("huge_values.csv", "x1,y1\n1e39,1\n-1e39,2\n1e-50,3\n" + rowsText(90, &rng), 93, ["x1", "y1"]),
            ("quoted.csv", "\"x1\",\"y1\"\n\"1\",\"2\"\n" + rowsText(90, &rng), 91, ["x1", "y1"]),
            ("one_column.csv", "x1\n" + (0..<90).map { _ in "\(rng.below(100))" }.joined(separator: "\n"), 90, ["x1"]),
            ("tabs.csv", "x1\ty1\n" + rowsText(90, &rng).replacingOccurrences(of: ",", with: "\t"), 90, ["x1", "y1"]),
            ("unicode_header.csv", "é,😀\n" + rowsText(90, &rng), 90, ["é", "😀"]),
            ("no_newline.csv", "x1,y1\n" + rowsText(90, &rng).dropLast(), 90, ["x1", "y1"]),
            ("blank_lines.csv", "x1,y1\n\n\n" + rowsText(90, &rng) + "\n\n", 90, ["x1", "y1"]),
        ]
        for (name, text, rows, columns) in odd {
            try write(name, Array(text.utf8))
            add(name, .csv, rows: rows, columns: columns)
        }
        try write("not_gzip.csv.gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + (0..<64).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        add("not_gzip.csv.gz", .csv)
        try write("binary.csv", (0..<512).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        add("binary.csv", .csv)

        // Well-formed NumPy tables, float32 and float64, and x/y pairs.
        for (rows, cols) in npyShapes {
            for descr in ["<f4", "<f8"] {
                let name = "table_\(rows)x\(cols)_\(descr.dropFirst()).npy"
                try write(name, npy(descr: descr, shape: "(\(rows), \(cols))", values: rows * cols, &rng))
                add(name, .npy, rows: rows, columns: (0..<cols).map(String.init))
            }
        }
        for (name, rows, cols) in [("x_100x2.npy", 100, 2), ("y_100x3.npy", 100, 3), ("y_50x2.npy", 50, 2),
                                   ("x_5x1.npy", 5, 1), ("y_5x1.npy", 5, 1), ("x_1000x8.npy", 1000, 8)] {
            try write(name, npy(descr: "<f4", shape: "(\(rows), \(cols))", values: rows * cols, &rng))
            add(name, .npy, rows: rows, columns: (0..<cols).map(String.init))
        }
        // Odd NumPy files.
        let oddNPY: [(String, [UInt8])] = [
            ("vector.npy", npy(descr: "<f8", shape: "(10,)", values: 10, &rng)),
            ("cube.npy", npy(descr: "<f8", shape: "(2, 3, 4)", values: 24, &rng)),
            ("scalar.npy", npy(descr: "<f8", shape: "()", values: 1, &rng)),
            ("fortran.npy", npy(descr: "<f8", shape: "(10, 2)", values: 20, fortran: true, &rng)),
            ("int32.npy", npy(descr: "<i4", shape: "(10, 2)", values: 20, &rng)),
            ("big_endian.npy", npy(descr: ">f8", shape: "(100, 2)", values: 200, &rng)),
            ("bytes.npy", npy(descr: "|u1", shape: "(100, 2)", values: 25, &rng)),
            ("truncated.npy", npy(descr: "<f8", shape: "(100, 2)", values: 10, &rng)),
            ("lying_shape.npy", npy(descr: "<f4", shape: "(1000000000000, 2)", values: 20, &rng)),
            ("negative_shape.npy", npy(descr: "<f4", shape: "(-5, 2)", values: 20, &rng)),
            ("zero_columns.npy", npy(descr: "<f4", shape: "(100, 0)", values: 0, &rng)),
            ("nan_values.npy", npy(descr: "<f8", shape: "(100, 2)", values: 200, nan: true, &rng)),
            ("garbage_header.npy", [0x93] + Array("NUMPY".utf8) + [1, 0, 16, 0] + Array("{'descr': <f8  \n".utf8)),
            ("bad_magic.npy", Array("NOTNUMPY".utf8) + (0..<100).map { _ in UInt8(truncatingIfNeeded: rng.next()) }),
            ("header_past_end.npy", [0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF] + Array("{'descr'".utf8)),
        ]
        // Rows of those a lenient reader might load.
        let oddRows = ["vector.npy": 10, "fortran.npy": 10, "int32.npy": 10, "big_endian.npy": 100,
                       "nan_values.npy": 100, "zero_columns.npy": 100]
        for (name, bytes) in oddNPY {
            try write(name, bytes)
            add(name, .npy, rows: oddRows[name], columns: ["0", "1"])
        }

        // Paths that are not regular files, or not there.
        try FileManager.default.createDirectory(atPath: folder + "/folder.csv", withIntermediateDirectories: true)
        add("folder.csv", .other, regular: false)
        if mkfifo(folder + "/fifo.csv", 0o600) == 0 { add("fifo.csv", .other, regular: false) }
        add("/dev/null", .other, regular: false)
        add("/dev/zero", .other, regular: false)
        add("", .other, regular: false)   // the folder itself
        add("missing.csv", .other)
        add("../no/such/folder/x.npy", .other)
        add("/proc/self/status", .other)
        return FuzzFiles(folder: folder, files: files)
    }

    /// Removes the folder.
    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    private static func csvRow(_ a: Int, _ b: Int, _ rng: inout SplitMix64) -> String {
        let xs = (0..<a).map { _ in Double(rng.below(2000)) / 1000 - 1 }
        let ys = (0..<b).map { i in xs[i % a] + Double(rng.below(200)) / 1000 - 0.1 }
        return (xs + ys).map { String(format: "%.3f", $0) }.joined(separator: ",")
    }

    private static func rowsText(_ n: Int, _ rng: inout SplitMix64) -> String {
        (0..<n).map { _ in csvRow(1, 1, &rng) + "\n" }.joined()
    }

    /// A version 1.0 .npy file; `values` numbers follow the header whatever its shape says.
    private static func npy(descr: String, shape: String, values: Int, fortran: Bool = false, nan: Bool = false,
                            _ rng: inout SplitMix64) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for i in 0..<values {
            let x = nan && i == values / 2 ? Double.nan : Double(rng.below(2000)) / 1000 - 1
            switch descr {
            case "<f4": withUnsafeBytes(of: Float(x).bitPattern.littleEndian) { bytes += $0 }
            case "<f8": withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 }
            case ">f8": withUnsafeBytes(of: x.bitPattern.bigEndian) { bytes += $0 }
            case "<i4": withUnsafeBytes(of: Int32(x * 100).littleEndian) { bytes += $0 }
            default: bytes.append(UInt8(truncatingIfNeeded: Int(x * 100)))
            }
        }
        return bytes
    }
}
