import Foundation
import MIEngine

/// A built-in function.
public struct FunctionEntry: Sendable {
    public let entry: Entry
    public let result: ValueType
    /// A function of one number that also maps over a list: `log([1, 2])`.
    public var elementwise = false
    /// A function of a list that also maps over a list of lists, one result
    /// per inner list: `last(t.test)` is each row's last evaluation.
    public var rowwise = false
    public let apply: @Sendable (Arguments) throws -> Value
}

extension Registry {
    /// A function of one number; `result` is `.integer` for the rounding
    /// functions, so `steps=floor(n / 4)` is a whole number to the checker.
    static func unary(_ name: String, _ summary: String, result: ValueType = .number,
                      _ f: @escaping @Sendable (Double) -> Double) -> FunctionEntry {
        FunctionEntry(entry: Entry(name, .function, positional: 1,
                                   parameters: [Parameter("x", .number, "the argument (a list maps elementwise)")],
                                   summary: summary),
                      result: result, elementwise: true, apply: { .number(f($0.number("x") ?? .nan)) })
    }

    static func listFunction(_ name: String, _ summary: String, _ f: @escaping @Sendable ([Double]) throws -> Double) -> FunctionEntry {
        FunctionEntry(entry: Entry(name, .function, positional: 1,
                                   parameters: [Parameter("values", .list(.number), "a list of numbers")],
                                   summary: summary),
                      result: .number, rowwise: true, apply: { a in
                          let xs = a.numbers("values") ?? []
                          return .number(try f(xs))
                      })
    }

    static let functions: [FunctionEntry] = [
        unary("log", "natural logarithm", { Foundation.log($0) }),
        unary("exp", "e^x", { Foundation.exp($0) }),
        unary("sqrt", "square root", { $0.squareRoot() }),
        unary("abs", "absolute value", { Swift.abs($0) }),
        unary("floor", "largest whole number not above x", result: .integer, { $0.rounded(.down) }),
        unary("ceil", "smallest whole number not below x", result: .integer, { $0.rounded(.up) }),
        unary("round", "nearest whole number", result: .integer, { $0.rounded() }),
        listFunction("mean", "mean of a list", { xs in
            guard !xs.isEmpty else { throw RuntimeFailure("mean of an empty list") }
            return Statistics.mean(xs)
        }),
        listFunction("std", "sample standard deviation of a list", { xs in
            guard xs.count > 1 else { throw RuntimeFailure("std needs at least two values") }
            return Statistics.standardDeviation(xs)
        }),
        listFunction("sum", "sum of a list", { $0.reduce(0, +) }),
        listFunction("min", "smallest value of a list", { xs in
            guard let m = xs.min() else { throw RuntimeFailure("min of an empty list") }
            return m
        }),
        listFunction("max", "largest value of a list", { xs in
            guard let m = xs.max() else { throw RuntimeFailure("max of an empty list") }
            return m
        }),
        listFunction("first", "first value of a list, e.g. of an evaluation series: first(r.test) (of a table's "
                     + "column of series, one per row)", { xs in
            guard let x = xs.first else { throw RuntimeFailure("first of an empty list") }
            return x
        }),
        listFunction("last", "last value of a list, e.g. of an evaluation series such as r.cond_p60 (of a table's "
                     + "column of series, one per row)", { xs in
            guard let x = xs.last else { throw RuntimeFailure("last of an empty list") }
            return x
        }),
        FunctionEntry(entry: Entry("len", .function, positional: 1, parameters: [Parameter("values", .any, "a list or table")],
                                   summary: "number of elements of a list (rows of a table)"),
                      result: .integer, apply: { a in
                          switch a["values"] {
                          case .list(let l)?: return .number(Double(l.count))
                          case .table(let t)?: return .number(Double(t.rows.count))
                          case .string(let s)?: return .number(Double(s.count))
                          default: throw RuntimeFailure("len needs a list, a table or a string")
                          }
                      }),
        FunctionEntry(entry: Entry("select", .function, positional: 3, parameters: [
            Parameter("table", .table, "a table, e.g. from estimate or analyze"),
            Parameter("column", .string, "the column to match"),
            Parameter("value", .any, "the value rows must hold in that column, or a list of admissible values "
                      + "(a critic or encoder column also matches its bare name: \"concat\")"),
        ], summary: "the rows of a table whose `column` equals `value` (or one of a list): select(t, \"batch\", 64)"),
                      result: .table, apply: { a in
                          guard case .table(let t)? = a["table"], let name = a.string("column"), let wanted = a["value"] else {
                              throw RuntimeFailure("select needs a table, a column name and a value")
                          }
                          guard let column = t.columns.firstIndex(of: name) else {
                              throw RuntimeFailure("the table has no column '\(name)'; columns: \(t.columns.joined(separator: ", "))")
                          }
                          let candidates: [Value]
                          if case .list(let items) = wanted { candidates = items } else { candidates = [wanted] }
                          let keep = t.rows.indices.filter { i in candidates.contains { t.rows[i][column].matches($0) } }
                          let hasResults = t.results.count == t.rows.count
                          var selected = TableValue(columns: t.columns, rows: keep.map { t.rows[$0] },
                                                    results: hasResults ? keep.map { t.results[$0] } : [])
                          selected.interrupted = t.interrupted
                          return .table(selected)
                      }),
        FunctionEntry(entry: Entry("mi_to_rho", .function, positional: 1, parameters: [
            Parameter("mi", .number, "MI in nats", check: Check.number(in: 0...1e6, "mi")),
            Parameter("dim", .integer, default: .number(1), "number of coordinate pairs sharing it",
                      check: Check.integer(in: 1...1_000_000, "dim")),
        ], summary: "correlation giving `mi` nats over `dim` Gaussian coordinates: sqrt(1 - exp(-2 mi / dim))"),
                      result: .number, apply: { a in
                          .number(GaussianMI.rho(mi: a.number("mi") ?? 0, dim: a.int("dim") ?? 1))
                      }),
        FunctionEntry(entry: Entry("rho_to_mi", .function, positional: 1, parameters: [
            Parameter("rho", .number, "correlation", check: Check.number(in: -1...1, "rho", open: true)),
            Parameter("dim", .integer, default: .number(1), "number of coordinate pairs",
                      check: Check.integer(in: 1...1_000_000, "dim")),
        ], summary: "MI in nats of `dim` Gaussian coordinate pairs with correlation rho: -(dim/2) log(1 - rho^2)"),
                      result: .number, apply: { a in
                          .number(GaussianMI.mi(rho: a.number("rho") ?? 0, dim: a.int("dim") ?? 1))
                      }),
    ]
}

extension Value {
    /// Equality as a table cell is matched: numbers by value, and strings,
    /// symbols and estimators by their text (`"nce"` matches nce).
    func matches(_ other: Value) -> Bool {
        if let a = asNumber, let b = other.asNumber { return a == b }
        func text(_ v: Value) -> String? {
            switch v {
            case .string(let s), .symbol(let s): return s
            case .estimator(let e): return e.description
            case .critic(let c): return c.description
            case .encoder(let e): return e.description
            default: return nil
            }
        }
        if let a = text(self), let b = text(other) {
            if a == b { return true }
            // A bare name matches the critic or encoder of that name whatever its
            // arguments: select(t, "critic", "concat") keeps concat(hidden=[200]).
            switch self {
            case .critic(let c): return !b.contains("(") && c.name == b
            case .encoder(let e): return !b.contains("(") && e.name == b
            default: return false
            }
        }
        return false
    }
}
