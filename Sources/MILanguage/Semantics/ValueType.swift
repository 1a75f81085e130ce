/// Static types, checked by the resolver before anything runs.
public indirect enum ValueType: Sendable, Equatable, CustomStringConvertible {
    case number
    /// A number that must be a whole number (batch sizes, steps).
    case integer
    case string
    case bool
    case list(ValueType)
    /// One word of a fixed set (activations, negative sampling, ...).
    case symbol(SymbolSet)
    case estimator, critic, encoder, data, views, result, table, figure
    case any
    case nothing

    /// The set of all symbols (the type of a symbol value whose set is not known).
    static let anySymbol = ValueType.symbol(SymbolSet(name: "word", members: []))

    /// How many lists deep the type is (0 for a number, 2 for a list of lists).
    var listDepth: Int {
        var depth = 0, t = self
        while case .list(let inner) = t {
            depth += 1
            t = inner
        }
        return depth
    }

    /// Integer widened to number (the element type of mixed lists).
    var widened: ValueType { self == .integer ? .number : self }

    public var description: String {
        switch self {
        case .number: return "number"
        case .integer: return "whole number"
        case .string: return "string"
        case .bool: return "true or false"
        case .list(let t): return t == .any ? "list" : "list of \(t.plural)"
        case .symbol(let s): return s.members.isEmpty ? s.name : "one of \(s.members.joined(separator: ", "))"
        case .estimator: return "estimator"
        case .critic: return "critic"
        case .encoder: return "encoder"
        case .data: return "data source"
        case .views: return "view-pair source"
        case .result: return "result"
        case .table: return "table"
        case .figure: return "figure"
        case .any: return "value"
        case .nothing: return "nothing"
        }
    }

    /// The description with "a" or "an" ("a whole number", "an estimator");
    /// symbol sets as they are ("one of relu, elu, tanh").
    var withArticle: String {
        let d = description
        if d.hasPrefix("one of") { return d }
        return (["a", "e", "i", "o", "u"].contains(d.prefix(1)) ? "an " : "a ") + d
    }

    var plural: String {
        switch self {
        case .number: return "numbers"
        case .integer: return "whole numbers"
        case .string: return "strings"
        case .bool: return "booleans"
        case .list: return "lists"
        case .symbol(let s): return s.members.isEmpty ? "words" : s.name + "s"
        case .data: return "data sources"
        case .views: return "view-pair sources"
        default: return description + "s"
        }
    }

    /// Whether a value of type `actual` may be given where `self` is expected.
    func accepts(_ actual: ValueType) -> Bool {
        switch (self, actual) {
        case (.any, _), (_, .any): return true
        case (.number, .integer): return true
        case (.list(let a), .list(let b)): return a.accepts(b)
        case (.symbol, .symbol): return true       // membership is checked separately
        case (.symbol, .string): return true       // "shuffled" spelled as a string
        default: return self == actual
        }
    }
}

/// A named set of words, e.g. activation = {relu, elu, tanh}.
public struct SymbolSet: Sendable, Equatable {
    public let name: String
    public let members: [String]
}
