import Foundation
import MILanguage

/// What a number-valued parameter accepts, learnt by asking the registry's
/// own check (`Parameter.check`) about a ladder of probe values and then
/// bisecting between neighbours it judges differently. A new option, or a
/// changed range, is therefore fuzzed at its real edges without the fuzzer
/// being told: `batch` yields 2 and 8192 inside and 1 and 8193 just outside,
/// `rho` values a hair inside and exactly on -1 and 1.
struct NumericProfile: Sendable {
    /// Whether the parameter wants whole numbers.
    let whole: Bool
    /// Probe values the check accepts, ascending.
    let accepted: [Double]
    /// Accepted values at each edge of the accepted set.
    let edges: [Double]
    /// Rejected values just beyond each edge.
    let beyond: [Double]
    /// Other rejected probe values.
    let rejected: [Double]
    /// The default, when the registry gives a numeric one.
    let defaultValue: Double?

    /// The ladder of probes: zero, one, signs, fractions, powers of two,
    /// limits of Int32 and of exact Double integers, and huge magnitudes.
    static let probes: [Double] = [
        -1e300, -1e9, -65536, -1000, -10, -2, -1, -0.5, -1e-9, 0, 1e-300, 1e-9, 1e-4, 0.01, 0.1, 0.5, 0.9, 0.999_999,
        1, 1.5, 2, 3, 4, 7, 8, 16, 63, 64, 100, 1000, 4096, 8192, 65536, 100_000, 1e6, 1e8,
        Double(Int32.max), Double(Int32.max) + 1, 1e9, 9_007_199_254_740_992, 1e15, 1e300,
    ]

    /// The profile of `parameter`; `inList` probes a list parameter's
    /// elements (its check judges the whole list, so each probe is a list of one).
    init(_ parameter: Parameter, whole: Bool, inList: Bool) {
        self.whole = whole
        defaultValue = {
            switch parameter.defaultValue {
            case .number(let x)?: return x
            case .list(let items)?: if case .number(let x)? = items.first { return x } else { return nil }
            default: return nil
            }
        }()
        let check = parameter.check
        func accepts(_ x: Double) -> Bool {
            if whole && x != x.rounded() { return false }
            guard let check else { return true }
            return check(inList ? .list([.number(x)]) : .number(x)) == nil
        }
        var ladder = NumericProfile.probes
        if let d = defaultValue, !ladder.contains(d) { ladder.append(d) }
        ladder.sort()
        var edges: [Double] = [], beyond: [Double] = []
        for (a, b) in zip(ladder, ladder.dropFirst()) where accepts(a) != accepts(b) {
            let (inside, outside) = NumericProfile.edge(between: a, and: b, whole: whole, accepts: accepts)
            edges.append(inside)
            beyond.append(outside)
        }
        accepted = ladder.filter(accepts)
        rejected = ladder.filter { !accepts($0) }
        self.edges = edges
        self.beyond = beyond
    }

    /// The accepted and rejected values on either side of the boundary
    /// between probes `a` < `b`, which the check judges differently.
    private static func edge(between a: Double, and b: Double, whole: Bool,
                             accepts: (Double) -> Bool) -> (inside: Double, outside: Double) {
        var lo = a, hi = b
        let loAccepted = accepts(a)
        if whole && abs(a) <= 9e15 && abs(b) <= 9e15 {
            var l = Int64(a.rounded(.up)), h = Int64(b.rounded(.down))
            // Whole probes: find adjacent integers l, l+1 judged differently.
            if accepts(Double(l)) != loAccepted { return loAccepted ? (a, Double(l)) : (Double(l), a) }
            if accepts(Double(h)) == loAccepted { return loAccepted ? (Double(h), b) : (b, Double(h)) }
            while h - l > 1 {
                let m = l + (h - l) / 2
                if accepts(Double(m)) == loAccepted { l = m } else { h = m }
            }
            return loAccepted ? (Double(l), Double(h)) : (Double(h), Double(l))
        }
        for _ in 0..<80 {
            let m = lo / 2 + hi / 2
            if m == lo || m == hi { break }
            if accepts(m) == loAccepted { lo = m } else { hi = m }
        }
        return loAccepted ? (lo, hi) : (hi, lo)
    }

    /// Valid and unremarkable: the default and the smallest accepted values.
    var ordinary: [Double] {
        var values = Array(accepted.prefix(4))
        if let d = defaultValue, accepted.contains(d) { values.append(d) }
        return values.isEmpty ? [1] : values
    }

    /// Valid and extreme: the edges and the largest accepted value.
    var extreme: [Double] {
        let values = edges + (accepted.last.map { [$0] } ?? []) + (accepted.first.map { [$0] } ?? [])
        return values.isEmpty ? ordinary : values
    }

    /// Invalid: just beyond the edges, other rejected values, and fractions
    /// where whole numbers are wanted.
    var invalid: [Double] {
        var values = beyond + rejected
        if whole { values += [0.5, 1.5] + edges.map { $0 + 0.5 } }
        return values.isEmpty ? [-1] : values
    }
}
