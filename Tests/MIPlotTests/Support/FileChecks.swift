import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Checks on the bytes of drawn files.
enum FileChecks {
    /// Width and height from a PNG's IHDR chunk, or nil if `data` is not a PNG.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24,
              bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A][...],
              bytes[12..<16] == [0x49, 0x48, 0x44, 0x52][...]  // "IHDR"
        else { return nil }
        func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    /// The root element's name and all character data of an XML document,
    /// or nil if it does not parse.
    static func parseXML(_ data: Data) -> (root: String, text: String)? {
        final class Collector: NSObject, XMLParserDelegate {
            var root: String?
            var text = ""
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                if root == nil { root = name }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        }
        let parser = XMLParser(data: data)
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse(), let root = collector.root else { return nil }
        return (root, collector.text)
    }
}
