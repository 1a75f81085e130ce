import Foundation
import Testing
@testable import MIEngine

/// A fresh directory under the system's temporary directory, removed when
/// the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mi-datafiles-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// Writes `bytes` to `name` inside the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// Writes UTF-8 `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Builds .npy files byte by byte, independently of the reader under test.
enum NPYWriter {
    /// The header dictionary NumPy writes for `descr`, `fortran` and `shape`.
    static func dict(descr: String = "<f8", fortran: Bool = false, shape: [Int]) -> String {
        let s = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        return "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(s), }"
    }

    /// Magic, version, header length and `header` padded with spaces and a
    /// newline to a multiple of 64 bytes (as NumPy does), then `data`.
    static func file(header: String, version: UInt8 = 1, data: [UInt8]) -> [UInt8] {
        let preamble = version == 1 ? 10 : 12
        var h = Array(header.utf8)
        let total = (preamble + h.count + 1 + 63) / 64 * 64
        h += [UInt8](repeating: 0x20, count: total - preamble - h.count - 1) + [0x0A]
        var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
        if version == 1 {
            out += [UInt8(h.count & 0xFF), UInt8(h.count >> 8)]
        } else {
            out += (0..<4).map { UInt8((h.count >> (8 * $0)) & 0xFF) }
        }
        return out + h + data
    }

    static func float64(_ values: [Double]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }

    static func float32(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }

    /// A complete float64 (or float32) file for `matrix` rows x cols values.
    static func file(_ values: [Double], shape: [Int], float32: Bool = false, version: UInt8 = 1) -> [UInt8] {
        let data = float32 ? Self.float32(values.map(Float.init)) : float64(values)
        return file(header: dict(descr: float32 ? "<f4" : "<f8", shape: shape), version: version, data: data)
    }
}

/// Builds IDX files byte by byte.
enum IDXWriter {
    static func file(type: UInt8 = 0x08, shape: [Int], data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for d in shape { out += (0..<4).reversed().map { UInt8((d >> (8 * $0)) & 0xFF) } }
        return out + data
    }
}

/// Runs `body` and returns the `DataFileError`'s description, or nil if it did not throw.
func errorText(_ body: () throws(DataFileError) -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return error.description
    }
}

/// The UTF-8 bytes of `text`.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }
