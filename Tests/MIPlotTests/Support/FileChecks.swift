import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Checks on the bytes of drawn files.
enum FileChecks {
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
