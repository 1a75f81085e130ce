import MIEngine
import MIPlot

/// Values stored and restored by the notebook cache. Data sources are not
/// storable (they are rebuilt by running their cell, which is cheap);
/// `Value.isStorable` tells which are.
extension Value: Codable {
    private enum Kind: String, Codable {
        case number, string, bool, list, symbol, estimator, critic, encoder, result, table, figure, nothing
    }

    private enum Keys: String, CodingKey {
        case kind, number, string, bool, items, name, arguments, positional, result, table, figure
    }

    /// Whether this value (and everything inside it) can be cached.
    public var isStorable: Bool {
        switch self {
        case .data, .views: return false
        case .list(let items): return items.allSatisfy(\.isStorable)
        default: return true
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .number(let v):
            try c.encode(Kind.number, forKey: .kind)
            try c.encode(v, forKey: .number)
        case .string(let s):
            try c.encode(Kind.string, forKey: .kind)
            try c.encode(s, forKey: .string)
        case .bool(let b):
            try c.encode(Kind.bool, forKey: .kind)
            try c.encode(b, forKey: .bool)
        case .list(let items):
            try c.encode(Kind.list, forKey: .kind)
            try c.encode(items, forKey: .items)
        case .symbol(let s):
            try c.encode(Kind.symbol, forKey: .kind)
            try c.encode(s, forKey: .string)
        case .estimator(let e):
            try c.encode(Kind.estimator, forKey: .kind)
            try c.encode(e.name, forKey: .name)
            try c.encode(e.arguments.map(\.name), forKey: .arguments)
            try c.encode(e.arguments.map(\.value), forKey: .items)
            try c.encode(e.positional, forKey: .positional)
        case .critic(let cv):
            try Self.encode(cv, as: .critic, into: &c)
        case .encoder(let ev):
            try Self.encode(ev, as: .encoder, into: &c)
        case .result(let r):
            try c.encode(Kind.result, forKey: .kind)
            try c.encode(StoredResult(r), forKey: .result)
        case .table(let t):
            try c.encode(Kind.table, forKey: .kind)
            try c.encode(StoredTable(t), forKey: .table)
        case .figure(let f):
            try c.encode(Kind.figure, forKey: .kind)
            try c.encode(f, forKey: .figure)
        case .nothing:
            try c.encode(Kind.nothing, forKey: .kind)
        case .data(let d):
            throw EncodingError.invalidValue(d.description, .init(codingPath: encoder.codingPath,
                                                                  debugDescription: "data sources are not stored"))
        case .views(let v):
            throw EncodingError.invalidValue(v.description, .init(codingPath: encoder.codingPath,
                                                                  debugDescription: "view-pair sources are not stored"))
        }
    }

    /// A critic or an encoder: its name and its arguments in name order.
    private static func encode(_ v: some ChosenByName, as kind: Kind,
                               into c: inout KeyedEncodingContainer<Keys>) throws {
        try c.encode(kind, forKey: .kind)
        try c.encode(v.name, forKey: .name)
        let keys = v.arguments.keys.sorted()
        try c.encode(keys, forKey: .arguments)
        try c.encode(keys.map { v.arguments[$0]! }, forKey: .items)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .number: self = .number(try c.decode(Double.self, forKey: .number))
        case .string: self = .string(try c.decode(String.self, forKey: .string))
        case .bool: self = .bool(try c.decode(Bool.self, forKey: .bool))
        case .list: self = .list(try c.decode([Value].self, forKey: .items))
        case .symbol: self = .symbol(try c.decode(String.self, forKey: .string))
        case .estimator:
            let names = try c.decode([String].self, forKey: .arguments), values = try c.decode([Value].self, forKey: .items)
            self = .estimator(EstimatorValue(name: try c.decode(String.self, forKey: .name),
                                             arguments: zip(names, values).map { .init(name: $0, value: $1) },
                                             positional: try c.decode(Int.self, forKey: .positional)))
        case .critic:
            let names = try c.decode([String].self, forKey: .arguments), values = try c.decode([Value].self, forKey: .items)
            self = .critic(CriticValue(name: try c.decode(String.self, forKey: .name),
                                       arguments: Dictionary(uniqueKeysWithValues: zip(names, values))))
        case .encoder:
            let names = try c.decode([String].self, forKey: .arguments), values = try c.decode([Value].self, forKey: .items)
            self = .encoder(EncoderValue(name: try c.decode(String.self, forKey: .name),
                                         arguments: Dictionary(uniqueKeysWithValues: zip(names, values))))
        case .result: self = .result(try c.decode(StoredResult.self, forKey: .result).value)
        case .table: self = .table(try c.decode(StoredTable.self, forKey: .table).value)
        case .figure: self = .figure(try c.decode(Figure.self, forKey: .figure))
        case .nothing: self = .nothing
        }
    }
}

/// A `ResultValue` in storable form.
struct StoredResult: Codable {
    var estimator, critic, data: String
    var batch: Int
    var settingNames: [String]
    var settingValues: [Value]
    var trace: Trace
    var tail: Int
    var span: Double
    var epoch: Int?
    var representation: RepresentationTrace?
    var adversarial: AdversarialTrace?
    var reconstruction: ReconstructionTrace?
    var baselineAccuracy: Double?
    var baselineLoss: Double?

    init(_ r: ResultValue) {
        estimator = r.estimator
        critic = r.critic
        data = r.data
        batch = r.batch
        settingNames = r.settings.map(\.0)
        settingValues = r.settings.map(\.1)
        trace = r.trace
        tail = r.tail
        span = r.span
        epoch = r.epoch
        representation = r.representation
        adversarial = r.adversarial
        reconstruction = r.reconstruction
        baselineAccuracy = r.baselineAccuracy
        baselineLoss = r.baselineLoss
    }

    var value: ResultValue {
        ResultValue(estimator: estimator, critic: critic, data: data, batch: batch,
                    settings: Array(zip(settingNames, settingValues)), trace: trace, tail: tail, span: span, epoch: epoch,
                    representation: representation, adversarial: adversarial, reconstruction: reconstruction,
                    baselineAccuracy: baselineAccuracy,
                    baselineLoss: baselineLoss)
    }
}

/// A `TableValue` in storable form.
struct StoredTable: Codable {
    var columns: [String]
    var rows: [[Value]]
    var results: [StoredResult]

    init(_ t: TableValue) {
        columns = t.columns
        rows = t.rows
        results = t.results.map(StoredResult.init)
    }

    var value: TableValue { TableValue(columns: columns, rows: rows, results: results.map(\.value)) }
}
