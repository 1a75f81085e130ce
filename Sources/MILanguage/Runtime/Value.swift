import MIEngine
import MIPlot

/// A value of the language at run time.
public enum Value: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case list([Value])
    /// A word from a fixed set, such as `relu` or `shuffled`.
    case symbol(String)
    case estimator(EstimatorValue)
    case critic(CriticValue)
    case encoder(EncoderValue)
    case data(DataValue)
    case views(ViewsValue)
    case result(ResultValue)
    case table(TableValue)
    case figure(Figure)
    case nothing

    /// The value's static type.
    public var type: ValueType {
        switch self {
        case .number(let v): return v == v.rounded() && abs(v) < 9e15 ? .integer : .number
        case .string: return .string
        case .bool: return .bool
        case .list(let items):
            // Whole numbers stay whole, so a list parameter can sweep a count: seed=seeds.
            if !items.isEmpty, items.allSatisfy({ $0.type == .integer }) { return .list(.integer) }
            return .list(items.first?.type.widened ?? .any)
        case .symbol: return .anySymbol
        case .estimator: return .estimator
        case .critic: return .critic
        case .encoder: return .encoder
        case .data: return .data
        case .views: return .views
        case .result: return .result
        case .table: return .table
        case .figure: return .figure
        case .nothing: return .nothing
        }
    }
}

/// An estimator chosen by name with its arguments, e.g. `alpha(0.5)`.
public struct EstimatorValue: Sendable, Equatable {
    public let name: String
    /// The arguments given, in parameter order.
    public let arguments: [Argument]
    /// How many leading arguments are shown without their names.
    public let positional: Int

    public struct Argument: Sendable {
        public let name: String
        public let value: Value
    }

    public init(name: String, arguments: [Argument] = [], positional: Int = 0) {
        self.name = name
        self.arguments = arguments
        self.positional = positional
    }

    /// The canonical spelling: `nwj`, `alpha(0.5)`, `smile(tau=5)`.
    public var description: String {
        if arguments.isEmpty { return name }
        let parts = arguments.enumerated().map { i, a in
            i < positional ? a.value.shortDescription : "\(a.name)=\(a.value.shortDescription)"
        }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    /// The arguments for the registry's builder.
    var bound: Arguments {
        Arguments(values: Dictionary(uniqueKeysWithValues: arguments.map { ($0.name, $0.value) }),
                  given: Set(arguments.map(\.name)))
    }

    public static func == (a: EstimatorValue, b: EstimatorValue) -> Bool { a.description == b.description }
}

/// A network chosen by name with the arguments given (a critic, an encoder):
/// what the language holds until a run builds it.
public protocol ChosenByName: Sendable, Equatable {
    var name: String { get }
    /// The arguments written, by parameter name (defaults are not filled in).
    var arguments: [String: Value] { get }
}

extension ChosenByName {
    /// The canonical spelling: `concat(hidden=[128, 128])`, arguments in name order.
    public var description: String {
        if arguments.isEmpty { return name }
        return "\(name)(" + arguments.keys.sorted().map { "\($0)=\(arguments[$0]!.shortDescription)" }
            .joined(separator: ", ") + ")"
    }

    /// Exact text for run keys: every argument's value bit for bit.
    var keyText: String {
        name + "(" + arguments.keys.sorted().map { "\($0)=\(arguments[$0]!.keyText)" }.joined(separator: ",") + ")"
    }

    public static func == (a: Self, b: Self) -> Bool { a.description == b.description }
}

/// A critic chosen by name with its arguments, e.g. `concat(hidden=[128, 128])`.
public struct CriticValue: ChosenByName {
    public let name: String
    public let arguments: [String: Value]
}

/// An encoder chosen by name with its arguments, e.g. `mlp(hidden=[300, 300])`:
/// built afresh for each run, on that run's view shapes and seed.
public struct EncoderValue: ChosenByName {
    public let name: String
    public let arguments: [String: Value]
}

/// Labelled pairs of views (`halves()`), what `learn` trains encoders on.
public struct ViewsValue: Sendable {
    public let source: any ViewPairs
    public let description: String
    /// The full specification, exact, with the data files' stamps (run keys).
    public let key: String
}

/// A data source with the expression that built it.
public struct DataValue: Sendable {
    public let source: any DataSource
    public let description: String
    /// The full specification, exact (`Value.keyText`): the source's name
    /// with every argument, defaults included, for run keys.
    public let key: String
}

/// A table of rows: the result of a sweep.
public struct TableValue: Sendable {
    public var columns: [String]
    public var rows: [[Value]]
    /// The run behind each row, when the table came from `estimate`.
    public var results: [ResultValue]
    /// Ctrl-C stopped the command that made it: the rows are those finished.
    public var interrupted = false

    /// The values of one column.
    public func column(_ name: String) -> [Value]? {
        guard let i = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[i] }
    }
}

extension Value {
    /// A compact rendering for names, tables and messages.
    public var shortDescription: String {
        switch self {
        case .number(let v): return formatNumber(v)
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        case .list(let items): return "[" + items.map(\.shortDescription).joined(separator: ", ") + "]"
        case .symbol(let s): return s
        case .estimator(let e): return e.description
        case .critic(let c): return c.description
        case .encoder(let e): return e.description
        case .data(let d): return d.description
        case .views(let v): return v.description
        case .result(let r): return "result(\(r.summaryLine))"
        case .table(let t): return "table(\(t.rows.count) rows)"
        case .figure(let f): return "figure(\(f.panels.count) panel\(f.panels.count == 1 ? "" : "s"))"
        case .nothing: return "nothing"
        }
    }

    var asNumber: Double? { if case .number(let v) = self { return v } else { return nil } }
    var asString: String? { if case .string(let s) = self { return s } else { return nil } }
    var asBool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var asList: [Value]? { if case .list(let l) = self { return l } else { return nil } }
    var asSymbol: String? {
        switch self {
        case .symbol(let s): return s
        case .string(let s): return s
        default: return nil
        }
    }
}

extension ValueType {
    /// Whether the run-time value `v` is of this type: what the resolver
    /// checks statically, for values it could not see (variables, mixed lists).
    func admits(_ v: Value) -> Bool {
        switch (self, v) {
        case (.any, _): return true
        case (.number, .number): return true
        case (.integer, .number(let x)): return x == x.rounded() && x.isFinite
        case (.string, .string), (.bool, .bool): return true
        case (.list(let element), .list(let items)): return items.allSatisfy(element.admits)
        case (.symbol(let set), .symbol(let s)), (.symbol(let set), .string(let s)):
            return set.members.isEmpty || set.members.contains(s)
        case (.estimator, .estimator), (.critic, .critic), (.encoder, .encoder), (.data, .data), (.views, .views),
             (.result, .result), (.table, .table):
            return true
        default: return false
        }
    }
}
