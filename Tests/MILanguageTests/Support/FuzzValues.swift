import Foundation
import MILanguage

/// The values the semantic fuzzer gives parameters, chosen by the
/// parameter's type in the registry and, for numbers, by what its check
/// accepts (`NumericProfile`).
extension CaseBuilder {
    /// Expressions that are not finite numbers, or not numbers at all.
    static let nonFinite: [FuzzTerm] = [
        .raw("1/0", value: nil), .raw("0/0", value: nil), .raw("exp(1000)", value: nil), .raw("-exp(1000)", value: nil),
        .raw("1e309", value: nil), .raw("log(0)", value: nil), .raw("sqrt(-1)", value: nil), .raw("10^400", value: nil),
    ]
    static let wrongTypes: [FuzzTerm] = [.string("2"), .bool(true), .list([]), .word("relu"), .word("nce"), .string("")]
    static let strings = ["", ",", ";", "\t", "ab", "x1", "y1", "top-bottom", "left-right", "train", "test", "steps",
                          "samples", "final", "truth", "batch", "mi", "estimator", "mse", "bias", "alpha", "é", "a\"b", "\\"]

    /// A value for parameter `p` of `owner` (an entry's name), sometimes
    /// through a variable defined on a line of its own.
    mutating func value(_ p: Parameter, owner: String) -> FuzzTerm {
        let term = checked(p) { b in
            switch p.type {
            case .list(let element) where element == .integer || element == .number:
                return b.rng.chance(0.1) && b.wantsMistake() ? b.rng.pick(CaseBuilder.wrongTypes + CaseBuilder.nonFinite)
                    : .list((0..<b.listLength()).map { _ in b.number(b.profile(owner, p)) })
            case .list(.estimator):
                return .list((0..<b.listLength()).map { _ in b.estimator() })
            default:
                return b.scalar(p, owner: owner)
            }
        }
        // Symbols mean something only where an option expects them: never through a variable.
        let symbolic = term.all.contains { if case .word(let w) = $0 { return registry.entry(named: w) == nil } else { return false } }
        guard rng.chance(0.15), !symbolic else { return term }
        let name = fresh("v")
        lines.append("let \(name) = \(term.source)")
        return .variable(name, term)
    }

    /// A value drawn by `draw` that passes `p`'s check unless a mistake was
    /// meant; at most a few draws.
    mutating func checked(_ p: Parameter, _ draw: (inout CaseBuilder) -> FuzzTerm) -> FuzzTerm {
        var term = FuzzTerm.number(0)
        for _ in 0..<12 {
            let before = mistakes
            term = draw(&self)
            guard mistakes == before, let check = p.check, let value = term.constant, check(value) != nil else { return term }
        }
        return term
    }

    /// One value of `p`'s own type (an element of a sweep).
    mutating func scalar(_ p: Parameter, owner: String) -> FuzzTerm {
        switch p.type {
        case .number, .integer:
            return number(profile(owner, p))
        case .bool:
            return rng.chance(0.1) && wantsMistake() ? rng.pick([.number(1), .string("true")]) : .bool(rng.chance(0.5))
        case .string:
            if case .string(let d)? = p.defaultValue, !wantsMistake() { return .string(d) }
            return .string(rng.pick(CaseBuilder.strings))
        case .symbol(let set):
            if rng.chance(0.1) { return .string(set.members.first ?? "x") }
            if !wantsMistake(), let word = set.members.randomElement(using: &rng) { return .word(word) }
            return .word((set.members.first ?? "x") + "x")
        case .estimator: return estimator()
        case .critic: return owner == "learn" ? learnCritic() : critic()
        case .encoder: return encoderTerm()
        case .views: return viewsTerm()
        case .data: return data(depth: 1)
        case .list(let element):
            return .list((0..<listLength()).map { _ in
                scalar(Parameter(p.name, element, p.doc, check: p.check), owner: owner)
            })
        case .table: return .word("t")
        default:
            return anything(p, owner: owner)
        }
    }

    /// A value for a parameter that takes several kinds (`dropout`, `hline`, `hlabel`).
    mutating func anything(_ p: Parameter, owner: String) -> FuzzTerm {
        let profile = self.profile(owner, p)
        switch rng.below(20) {
        case 0..<8: return number(profile)
        case 8..<14: return .list((0..<listLength()).map { _ in number(profile) })
        case 14..<17: return .string(rng.pick(CaseBuilder.strings))
        case 17..<19: return .list((0..<listLength()).map { _ in .string(rng.pick(CaseBuilder.strings)) })
        default: return wantsMistake() ? rng.pick(CaseBuilder.wrongTypes) : number(profile)
        }
    }

    /// A number from `profile`: mostly ordinary, often at an edge, sometimes
    /// beyond it, not finite, or not a number.
    mutating func number(_ profile: NumericProfile) -> FuzzTerm {
        if cheap { return .number(rng.pick(profile.accepted.isEmpty ? [1] : Array(profile.accepted.prefix(3)))) }
        if wantsMistake() {
            switch rng.below(20) {
            case 0..<12: return .number(rng.pick(profile.invalid))
            case 12..<16: return rng.pick(CaseBuilder.nonFinite)
            default: return rng.pick(CaseBuilder.wrongTypes)
            }
        }
        switch rng.below(20) {
        case 0..<11: return .number(rng.pick(profile.ordinary))
        case 11..<15: return .number(rng.pick(profile.accepted.isEmpty ? profile.ordinary : profile.accepted))
        default: return .number(rng.pick(profile.extreme))
        }
    }

    func profile(_ owner: String, _ p: Parameter) -> NumericProfile {
        generator.profiles[owner + "." + p.name] ?? NumericProfile(p, whole: p.type == .integer, inList: false)
    }

    mutating func listLength() -> Int {
        if cheap { return 1 }
        return rng.chance(0.07) ? 0 : 1 + rng.below(rng.chance(0.9) ? 3 : 6)
    }

    // MARK: Registry entries as values

    /// An estimator, with arguments when it takes some.
    mutating func estimator() -> FuzzTerm {
        entryTerm(rng.pick(registry.estimatorEntries).entry)
    }

    /// Estimators `analyze` can study (bounds, not models), rarely a model.
    mutating func analyzableEstimators() -> FuzzTerm {
        let bounds = registry.estimatorEntries.filter { $0.makeBound != nil || rng.chance(0.05) }
        return .list((0..<(1 + rng.below(3))).map { _ in entryTerm(rng.pick(bounds).entry) })
    }

    mutating func critic() -> FuzzTerm {
        // The optimal critic is cheap and reaches the bounds' own arithmetic: give it a third of the draws.
        if rng.chance(0.33) { return .word("optimal") }
        return entryTerm(rng.pick(registry.criticEntries).entry)
    }

    /// `name`, or `name(arguments)` with a random subset of the entry's parameters.
    mutating func entryTerm(_ entry: Entry) -> FuzzTerm {
        if entry.parameters.isEmpty || rng.chance(0.3) && !entry.parameters.contains(where: \.isRequired) {
            return .word(entry.name)
        }
        var args: [(label: String?, value: FuzzTerm)] = []
        for (i, p) in entry.parameters.enumerated() where p.isRequired ? !(rng.chance(0.1) && wantsMistake()) : rng.chance(0.5) {
            args.append((positional(i, entry, args) ? nil : p.name, value(p, owner: entry.name)))
        }
        return .call(entry.name, args)
    }

    /// A data source: a built-in distribution, or a file of the catalogue.
    mutating func data(depth: Int) -> FuzzTerm {
        let entries = registry.dataEntries.filter { depth < 2 || $0.entry.parameters.allSatisfy { $0.type != .data } }
        let entry = rng.pick(entries.flatMap { e -> [DataEntry] in
            switch e.entry.name {
            case "fashion_mnist": return generator.fashionInstalled && !cheap && rng.chance(0.15) ? [e] : []
            case "gaussian", "csv", "npy": return [e, e, e]
            default: return [e]
            }
        }).entry
        let term: FuzzTerm
        if entry.parameters.contains(where: { $0.name == "path" }) {
            term = fileSource(entry)
        } else {
            var args: [(label: String?, value: FuzzTerm)] = []
            for (i, p) in entry.parameters.enumerated() where p.isRequired ? !(rng.chance(0.1) && wantsMistake()) : rng.chance(0.5) {
                let v = p.type == .data ? data(depth: depth + 1) : value(p, owner: entry.name)
                args.append((positional(i, entry, args) ? nil : p.name, v))
            }
            term = entry.parameters.isEmpty || (args.isEmpty && rng.chance(0.5)) ? .word(entry.name) : .call(entry.name, args)
        }
        dataTerms.append(term)
        return term
    }

    /// A csv or npy source: a file of the catalogue (now and then one that is
    /// no data file), and column selectors that fit it or do not.
    mutating func fileSource(_ entry: Entry) -> FuzzTerm {
        let files = generator.files
        let isCSV = entry.parameters.contains { $0.name == "delimiter" }
        let pool = isCSV ? files.csv : files.npy
        // Mostly files with rows to spare: a batch of 64 needs 80 rows at the default held-out fraction.
        let ample = pool.filter { ($0.rows ?? 0) >= 100 }
        let file = rng.chance(0.15) && wantsMistake() ? rng.pick(files.others + (isCSV ? files.npy : files.csv))
            : rng.pick(rng.chance(0.7) && !ample.isEmpty ? ample : pool)
        var args: [(label: String?, value: FuzzTerm)] = []
        let separateFiles = !isCSV && rng.chance(0.4)
        if !separateFiles { args.append((rng.chance(0.7) ? nil : "path", .string(file.path))) }
        for p in entry.parameters where p.name != "path" {
            let given: Bool
            switch p.name {
            case "x", "y": given = rng.chance(0.95)
            default: given = rng.chance(0.3)
            }
            guard given else { continue }
            if p.name == "x" || p.name == "y" {
                let v: FuzzTerm = separateFiles ? .string(rng.pick(files.npy + files.others.prefix(2)).path)
                    : selectors(file, p.name)
                args.append((p.name, v))
            } else {
                args.append((p.name, value(p, owner: entry.name)))
            }
        }
        return .call(entry.name, args)
    }

    /// Column selectors for `file`: names, indices or ranges of its own
    /// columns (split into x and y halves), or ones it does not have.
    mutating func selectors(_ file: FuzzFile, _ side: String) -> FuzzTerm {
        let columns = file.columns
        let half = max(1, columns.count / 2)
        let mine = side == "x" ? Array(columns.prefix(half)) : Array(columns.dropFirst(half))
        let indices = side == "x" ? Array(0..<half) : Array(half..<max(half, columns.count))
        func one() -> FuzzTerm {
            if wantsMistake() {
                switch rng.below(3) {
                case 0: return .number(rng.pick([-1, 0.5, 1e9, 40, Double(columns.count)]))
                case 1: return .string(rng.pick(["nope", "", "..", "x1..", "x1..nope", "X1"]))
                default: return rng.pick([.list([]), .bool(true), .raw("1/0", value: nil)])
                }
            }
            // NumPy arrays have no column names: indices only.
            switch file.kind == .npy ? 1 : rng.below(3) {
            case 0: return .string(rng.pick(mine.isEmpty ? ["x1"] : mine))
            case 1: return .number(Double(rng.pick(indices.isEmpty ? [0] : indices)))
            default:
                guard let a = mine.first, let b = mine.last else { return .string("x1..x2") }
                return .string(rng.chance(0.9) ? "\(a)..\(b)" : "\(b)..\(a)")
            }
        }
        if rng.chance(0.3) { return .list((0..<(1 + rng.below(3))).map { _ in one() }) }
        return one()
    }
}

extension SplitMix64: RandomNumberGenerator {}
