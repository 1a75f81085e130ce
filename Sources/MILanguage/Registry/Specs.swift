import MIEngine

/// One parameter of a registry entry (a constructor's argument or a
/// command's option): everything checking, help, completion and the
/// reference page need to know about it.
public struct Parameter: Sendable {
    public let name: String
    public let type: ValueType
    /// The default value, when it is a constant.
    public let defaultValue: Value?
    /// The default as shown to the user (`64`, `the session seed`); nil when required.
    public let defaultText: String?
    public let doc: String
    /// Whether a list given here sweeps over its elements (a table results).
    public let sweeps: Bool
    /// Checks a value beyond its type, returning a message when it is out of range.
    public let check: (@Sendable (Value) -> String?)?

    public init(_ name: String, _ type: ValueType, default defaultValue: Value? = nil, shown: String? = nil,
                sweeps: Bool = false, _ doc: String, check: (@Sendable (Value) -> String?)? = nil) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.defaultText = shown ?? defaultValue?.shortDescription
        self.doc = doc
        self.sweeps = sweeps
        self.check = check
    }

    public var isRequired: Bool { defaultText == nil }
}

/// What kind of thing a registry entry makes.
public enum EntryKind: String, Sendable, CaseIterable {
    case estimator, objective, critic, encoder, data, views, function, verb

    var plural: String {
        switch self {
        case .estimator: return "estimators"
        case .objective: return "learn objectives"
        case .critic: return "critics"
        case .encoder: return "encoders"
        case .data: return "data sources"
        case .views: return "view pairs"
        case .function: return "functions"
        case .verb: return "statements"
        }
    }
}

/// A named thing the language knows: an estimator, a critic, a data source,
/// a function, or a statement verb.
public struct Entry: Sendable {
    public let name: String
    public let kind: EntryKind
    /// One line, for help lists and completion.
    public let summary: String
    /// More detail for `help NAME` and the reference page (may be empty).
    public let details: String
    public let parameters: [Parameter]
    /// How many leading parameters may be given without a name.
    public let positional: Int
    /// Usage line, e.g. `alpha(a)` or `estimate ESTIMATOR [option=value ...]`.
    public let usage: String

    public init(_ name: String, _ kind: EntryKind, usage: String? = nil, positional: Int = 0,
                parameters: [Parameter] = [], summary: String, details: String = "") {
        self.name = name
        self.kind = kind
        self.summary = summary
        self.details = details
        self.parameters = parameters
        self.positional = positional
        self.usage = usage ?? Entry.defaultUsage(name, parameters, positional)
    }

    public func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }

    private static func defaultUsage(_ name: String, _ ps: [Parameter], _ positional: Int) -> String {
        if ps.isEmpty { return name }
        let parts = ps.enumerated().map { i, p -> String in
            if i < positional && p.isRequired { return p.name }
            return "\(p.name)=\(p.defaultText ?? "...")"
        }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }
}

/// Validation helpers for parameter checks.
enum Check {
    static func integer(in range: ClosedRange<Int>, _ what: String) -> @Sendable (Value) -> String? {
        { v in
            guard case .number(let x) = v else { return nil }
            if x != x.rounded() { return "\(what) must be a whole number, got \(formatNumber(x))" }
            if x < Double(range.lowerBound) || x > Double(range.upperBound) {
                return "\(what) must be between \(range.lowerBound) and \(range.upperBound), got \(formatNumber(x))"
            }
            return nil
        }
    }

    /// A number in `range`: closed, open (`open`), or open below only
    /// (`lowerOpen`: (0, 1] for a rate that must not be 0).
    static func number(in range: ClosedRange<Double>, _ what: String, open: Bool = false,
                       lowerOpen: Bool = false) -> @Sendable (Value) -> String? {
        { v in
            guard case .number(let x) = v else { return nil }
            let aboveLow = open || lowerOpen ? x > range.lowerBound : x >= range.lowerBound
            let belowHigh = open ? x < range.upperBound : x <= range.upperBound
            if !x.isFinite || !(aboveLow && belowHigh) {
                let interval = (open || lowerOpen ? "(" : "[") + "\(formatNumber(range.lowerBound)), "
                    + "\(formatNumber(range.upperBound))" + (open ? ")" : "]")
                return "\(what) must lie in \(interval), got \(formatNumber(x))"
            }
            return nil
        }
    }

    /// Seeds: whole numbers that fit the engine's 31-bit seed range.
    static let seed = integer(in: 0...Int(Int32.max), "seed")

    static let positive: @Sendable (Value) -> String? = { v in
        guard case .number(let x) = v else { return nil }
        return x > 0 && x.isFinite ? nil : "must be positive, got \(formatNumber(x))"
    }

    /// A non-empty list whose every element passes `check`.
    static func each(_ check: @escaping @Sendable (Value) -> String?, _ what: String) -> @Sendable (Value) -> String? {
        { v in
            guard case .list(let items) = v else { return check(v) }
            if items.isEmpty { return "\(what) needs at least one value" }
            return items.lazy.compactMap(check).first
        }
    }

    static func numbers(in range: ClosedRange<Double>, _ what: String) -> @Sendable (Value) -> String? {
        each(number(in: range, what), what)
    }

    /// A finite number, or a non-empty list of them.
    static func finiteNumbers(_ what: String) -> @Sendable (Value) -> String? {
        each({ v in
            if case .number(let x) = v, x.isFinite { return nil }
            return "\(what) needs a number or a list of numbers, got \(v.shortDescription)"
        }, what)
    }

    /// A string, or a non-empty list of strings.
    static func names(_ what: String) -> @Sendable (Value) -> String? {
        each({ v in
            if case .string = v { return nil }
            return "\(what) needs a name or a list of names, got \(v.shortDescription)"
        }, what)
    }

    static func integers(in range: ClosedRange<Int>, _ what: String) -> @Sendable (Value) -> String? {
        each(integer(in: range, what), what)
    }

    static let widths = layerWidths(allowingNone: false)

    /// A dropout rate in [0, 1), or a non-empty list of them.
    static let dropout: @Sendable (Value) -> String? = { v in
        let items: [Value]
        if case .list(let l) = v { items = l } else { items = [v] }
        if items.isEmpty { return "dropout needs a rate, or one rate per hidden layer" }
        for item in items {
            guard let p = item.asNumber, p >= 0, p < 1 else {
                return "dropout rates must lie in [0, 1), got \(item.shortDescription)"
            }
        }
        return nil
    }

    /// Hidden-layer widths; `allowingNone` admits [] (a linear network).
    static func layerWidths(allowingNone: Bool) -> @Sendable (Value) -> String? { { v in
        guard case .list(let items) = v else { return nil }
        if items.isEmpty && !allowingNone { return "needs at least one layer width" }
        for item in items {
            guard case .number(let w) = item, w == w.rounded(), w >= 1, w <= 65536 else {
                return "layer widths must be whole numbers between 1 and 65536, got \(item.shortDescription)"
            }
        }
        return nil
    } }
}

/// Symbol sets used by options.
enum Symbols {
    static let activation = SymbolSet(name: "activation", members: Activation.allCases.map(\.rawValue))
    static let negatives = SymbolSet(name: "negative sampling", members: NegativeSampling.allCases.map(\.rawValue))
    static let lipschitz = SymbolSet(name: "Lipschitz constraint", members: ["none", "gp", "sn"])
    static let smoothing = SymbolSet(name: "smoothing", members: ["ema", "triangular"])
    static let cut = SymbolSet(name: "cut", members: ["top", "left"])
    static let layout = SymbolSet(name: "layout", members: ItemLayout.allCases.map(\.rawValue))
    static let probe = SymbolSet(name: "probe", members: ["logistic", "mlp", "none"])
    static let analysis = SymbolSet(name: "analysis", members: ["estimates", "gradients", "best_alpha"])
}
