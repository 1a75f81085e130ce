import MIPlot

/// Outputs stored by the notebook cache.
extension Output: Codable {
    private enum Keys: String, CodingKey { case kind, value, text, figure }
    private enum Kind: String, Codable { case value, text, result, table, expectation, figure }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .value(let v):
            try c.encode(Kind.value, forKey: .kind)
            try c.encode(v, forKey: .value)
        case .text(let s):
            try c.encode(Kind.text, forKey: .kind)
            try c.encode(s, forKey: .text)
        case .result(let r):
            try c.encode(Kind.result, forKey: .kind)
            try c.encode(Value.result(r), forKey: .value)
        case .table(let t):
            try c.encode(Kind.table, forKey: .kind)
            try c.encode(Value.table(t), forKey: .value)
        case .expectation(let s):
            try c.encode(Kind.expectation, forKey: .kind)
            try c.encode(s, forKey: .text)
        case .figure(let f):
            try c.encode(Kind.figure, forKey: .kind)
            try c.encode(f, forKey: .figure)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .value: self = .value(try c.decode(Value.self, forKey: .value))
        case .text: self = .text(try c.decode(String.self, forKey: .text))
        case .expectation: self = .expectation(try c.decode(String.self, forKey: .text))
        case .figure: self = .figure(try c.decode(Figure.self, forKey: .figure))
        case .result:
            guard case .result(let r) = try c.decode(Value.self, forKey: .value) else {
                throw DecodingError.dataCorruptedError(forKey: .value, in: c, debugDescription: "expected a result")
            }
            self = .result(r)
        case .table:
            guard case .table(let t) = try c.decode(Value.self, forKey: .value) else {
                throw DecodingError.dataCorruptedError(forKey: .value, in: c, debugDescription: "expected a table")
            }
            self = .table(t)
        }
    }

    /// Whether the output can be cached.
    public var isStorable: Bool {
        if case .value(let v) = self { return v.isStorable }
        return true
    }
}
