import Foundation
import MIEngine

/// A built-in function.
public struct FunctionEntry: Sendable {
    public let entry: Entry
    public let result: ValueType
    public let apply: @Sendable (Arguments) throws -> Value
}

extension Registry {
    static func unary(_ name: String, _ summary: String, _ f: @escaping @Sendable (Double) -> Double) -> FunctionEntry {
        FunctionEntry(entry: Entry(name, .function, positional: 1, parameters: [Parameter("x", .number, "the argument")],
                                   summary: summary),
                      result: .number, apply: { .number(f($0.number("x") ?? .nan)) })
    }

    static func listFunction(_ name: String, _ summary: String, _ f: @escaping @Sendable ([Double]) throws -> Double) -> FunctionEntry {
        FunctionEntry(entry: Entry(name, .function, positional: 1,
                                   parameters: [Parameter("values", .list(.number), "a list of numbers")],
                                   summary: summary),
                      result: .number, apply: { a in
                          let xs = a.numbers("values") ?? []
                          return .number(try f(xs))
                      })
    }

    static let functions: [FunctionEntry] = [
        unary("log", "natural logarithm", { Foundation.log($0) }),
        unary("exp", "e^x", { Foundation.exp($0) }),
        unary("sqrt", "square root", { $0.squareRoot() }),
        unary("abs", "absolute value", { Swift.abs($0) }),
        unary("floor", "largest whole number not above x", { $0.rounded(.down) }),
        unary("ceil", "smallest whole number not below x", { $0.rounded(.up) }),
        unary("round", "nearest whole number", { $0.rounded() }),
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
