import Foundation

extension Value {
    /// The value written exactly, for run keys: every bit of every number
    /// (0.1 and 0.1000000001 differ, where `shortDescription` rounds), strings
    /// quoted and escaped so no two values share a text, data sources by
    /// their full specification and the content of the files they read.
    public var keyText: String {
        switch self {
        case .number(let v): return Self.exact(v)
        case .string(let s): return Self.quoted(s)
        case .bool(let b): return b ? "true" : "false"
        case .list(let items): return "[" + items.map(\.keyText).joined(separator: ",") + "]"
        case .symbol(let s): return "'" + s
        case .estimator(let e):
            return e.name + "(" + e.arguments.map { "\($0.name)=\($0.value.keyText)" }.joined(separator: ",") + ")"
        case .critic(let c): return c.keyText
        case .encoder(let e): return e.keyText
        case .data(let d): return d.key
        case .views(let v): return v.key
        case .nothing: return "nothing"
        case .result, .table, .figure:
            // Not inputs of any run today; their stored form is exact.
            let data = (try? Self.keyEncoder.encode(self)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Shortest text that reads back as the same Double (Swift's
    /// `description` round-trips); whole numbers without a fraction.
    static func exact(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    private static let keyEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()
}
