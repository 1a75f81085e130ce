import Foundation

/// The header of a PNG file: enough to tell a whole drawing from a missing
/// or foreign one, and to read its size (what tests of drawn figures check).
public enum PNGHeader {
    /// Width and height from the signature and IHDR chunk of `data`, or nil
    /// if `data` does not start like a PNG.
    public static func size(of data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24,
              bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A][...],
              bytes[12..<16] == [0x49, 0x48, 0x44, 0x52][...]  // "IHDR"
        else { return nil }
        func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    /// The size of the PNG file at `path`, or nil if it is missing or not a PNG.
    public static func size(atPath path: String) -> (width: Int, height: Int)? {
        FileManager.default.contents(atPath: path).flatMap(size(of:))
    }
}
