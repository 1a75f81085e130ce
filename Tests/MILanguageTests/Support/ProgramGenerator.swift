import Foundation
import MILanguage

/// One program of the semantic fuzzer, with the commands it runs kept as
/// trees for the cost model and the known-unfixed list.
struct FuzzCase: Sendable {
    let index: Int
    let text: String
    /// Every `estimate`, `analyze` and `learn` it runs.
    let runs: [RunSpec]
    /// Every data source it builds, inside commands or not.
    let data: [FuzzTerm]
}

/// An `estimate`, `analyze` or `learn` command as generated.
struct RunSpec: Sendable {
    let verb: String
    let subject: FuzzTerm?
    let options: [(name: String, value: FuzzTerm?)]

    func option(_ name: String) -> FuzzTerm? { options.first { $0.name == name }?.value ?? nil }
    /// The estimators it names (a list's elements, or the one).
    var estimators: [FuzzTerm] { subject?.elements ?? [] }
    func names(_ estimator: String) -> Bool { estimators.contains { $0.name == estimator } }
    /// The critics it names (a sweep's elements, or the one).
    var critics: [FuzzTerm] { option("critic")?.elements ?? [] }
}

/// Random programs that look valid, written from the registry: every verb,
/// estimator, critic, data source, function and option the registry holds
/// is drawn, with values from `NumericProfile` (the ranges the registry's
/// checks accept, their edges, just beyond them, fractions where whole
/// numbers are wanted, non-finite expressions, wrong types), sometimes
/// routed through a variable so the run-time checks see them. A new entry
/// or option is fuzzed without changing this file.
///
/// A case is rebuilt from (seed, index) alone: `program(seed:index:)`.
struct ProgramGenerator: Sendable {
    let registry: Registry
    let files: FuzzFiles
    let fashionInstalled: Bool
    /// Profiles of every number-valued parameter, by "owner.parameter".
    let profiles: [String: NumericProfile]
    /// Largest cost a case may have; a dearer draw is drawn again cheaper.
    let budget: RunCost

    init(registry: Registry = .standard, files: FuzzFiles, budget: RunCost, fashionInstalled: Bool) {
        self.registry = registry
        self.files = files
        self.budget = budget
        self.fashionInstalled = fashionInstalled
        var profiles: [String: NumericProfile] = [:]
        let owners: [(String, [Parameter])] = registry.allEntries.map { ($0.name, $0.parameters) }
        for (owner, parameters) in owners {
            for p in parameters {
                switch p.type {
                case .number, .integer, .any:
                    profiles[owner + "." + p.name] = NumericProfile(p, whole: p.type == .integer, inList: false)
                case .list(let element):
                    profiles[owner + "." + p.name] = NumericProfile(p, whole: element == .integer, inList: true)
                default:
                    continue
                }
            }
        }
        self.profiles = profiles
    }

    /// Every name the registry knows: each should appear in some case that resolves.
    var registryNames: [String] { registry.allEntries.map(\.name) }

    /// Case `index` of the stream `seed`.
    func program(seed: UInt64, index: Int) -> FuzzCase {
        var rng = SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15) ^ 0x5345_4D41_4E54)   // "SEMANT"
        // A draw over budget is drawn again (the last attempts keep sizes at
        // their smallest), unless it needs more memory than the machine has:
        // such a run must be refused, which is quick.
        var learns = false
        for attempt in 0..<6 {
            var b = CaseBuilder(generator: self, rng: rng, cheap: attempt >= 4)
            b.scenario(learn: learns)
            let c = FuzzCase(index: index, text: b.lines.joined(separator: "\n"), runs: b.runs, data: b.dataTerms)
            let cost = RunCost.of(c, files: files)
            if attempt == 5 || cost.fits(budget) || cost.bytes >= RunCost.machineMemory { return c }
            // A learn case is drawn again as a learn case. Loading its views
            // alone is over the CI budget: there it is resolved only (drawn
            // again it would always become another scenario, and no learn
            // would be left); the long run's budget runs the cheap ones.
            learns = c.runs.contains { $0.verb == "learn" }
            if learns && budget.work < RunCost.loadViews(.word("halves")).work { return c }
            rng = b.rng
        }
        fatalError("unreachable")
    }
}

/// Writes one case: statements in order, with the variables they use.
struct CaseBuilder {
    let generator: ProgramGenerator
    var rng: SplitMix64
    /// Keep sizes at their smallest accepted values.
    let cheap: Bool
    var lines: [String] = []
    var runs: [RunSpec] = []
    var dataTerms: [FuzzTerm] = []
    var variables = 0
    /// How many deliberate mistakes the case makes: none (half the cases,
    /// so they reach the engine), exactly one, or any number.
    enum Validity { case valid, oneBad, wild }
    var validity: Validity
    private var badUsed = false
    /// Mistakes made so far (a value drawn without one must pass its check).
    private(set) var mistakes = 0

    init(generator: ProgramGenerator, rng: SplitMix64, cheap: Bool) {
        self.generator = generator
        self.rng = rng
        self.cheap = cheap
        var r = rng
        switch r.below(20) {
        case 0..<10: validity = .valid
        case 10..<17: validity = .oneBad
        default: validity = .wild
        }
        self.rng = r
    }

    /// Whether the value being drawn should be a mistake.
    mutating func wantsMistake() -> Bool {
        let yes: Bool
        switch validity {
        case .valid: yes = false
        case .wild: yes = rng.chance(0.2)
        case .oneBad:
            yes = !badUsed && rng.chance(0.3)
            if yes { badUsed = true }
        }
        if yes { mistakes += 1 }
        return yes
    }

    var registry: Registry { generator.registry }

    /// One case; `learn` keeps to the learn scenario (a learn case drawn again).
    mutating func scenario(learn: Bool = false) {
        if rng.chance(0.15) { lines.append("seed \(FuzzTerm.literal(rng.pick([0, 1, 42, 2_147_483_647])))") }
        if learn { return learnScenario() }
        switch rng.below(100) {
        case 0..<48: estimateScenario(sweep: false)
        case 48..<62: estimateScenario(sweep: true)
        case 62..<74: analyzeScenario()
        case 74..<84: dataScenario()
        case 84..<92: functionScenario()
        case 92..<97: plotScenario()
        default: learnScenario()
        }
    }

    // MARK: Scenarios

    mutating func estimateScenario(sweep: Bool) {
        let name = fresh("r")
        let spec = estimate(sweep: sweep)
        guard rng.chance(0.85) else {
            lines.append(command(spec))
            return
        }
        lines.append("\(name) = " + command(spec))
        for _ in 0..<rng.below(4) {
            if sweep || spec.subject.map({ if case .list = $0 { return true } else { return false } }) == true {
                tableFollowUp(name)
            } else {
                resultFollowUp(name)
            }
        }
    }

    mutating func analyzeScenario() {
        let entry = registry.verb("analyze")!
        var options: [(String, FuzzTerm?)] = []
        var subject: FuzzTerm? = analyzableEstimators()
        for p in entry.parameters where rng.chance(p.name == "batches" || p.name == "batch" ? 0.9 : 0.4) {
            options.append((p.name, value(p, owner: "analyze")))
        }
        if let of = options.first(where: { $0.0 == "of" })?.1, of.name == "best_alpha", rng.chance(0.9) { subject = nil }
        let spec = RunSpec(verb: "analyze", subject: subject, options: options)
        runs.append(spec)
        let name = fresh("a")
        lines.append("\(name) = " + command(spec))
        for _ in 0..<rng.below(3) { tableFollowUp(name) }
    }

    mutating func dataScenario() {
        let d = data(depth: 0)
        let name = fresh("d")
        lines.append("\(name) = \(d.source)")
        if rng.chance(0.5) { lines.append("print \(name)") }
        if rng.chance(0.8) {
            let spec = estimate(sweep: false, given: [("data", .variable(name, d))], leaving: ["mi"])
            lines.append("r = " + command(spec))
            if rng.chance(0.5) { resultFollowUp("r") }
        }
    }

    mutating func functionScenario() {
        var table: String? = nil
        let functions = (0..<(1 + rng.below(3))).map { _ in rng.pick(registry.functionEntries) }
        if functions.contains(where: { $0.entry.parameters.contains { $0.type == .table } }) || rng.chance(0.2) {
            table = fresh("t")
            let spec = RunSpec(verb: "estimate", subject: .list([.word("nwj"), .word("nce")]),
                               options: [("critic", .word("optimal")), ("steps", .number(2)), ("batch", .list([.number(4), .number(8)]))])
            runs.append(spec)
            lines.append("\(table!) = " + command(spec))
        }
        if rng.chance(0.2) {
            let p = fresh("p")
            lines.append("param \(p) = \(rng.pick(["1", "0.5", "\"x\"", "[1, 2]", "true"]))")
            lines.append("print \(p)")
        }
        if rng.chance(0.15) {
            lines.append("help " + rng.pick(registry.allEntries.map(\.name) + ["statements", "estimators", "nope"]))
        }
        for f in functions {
            var args: [(label: String?, value: FuzzTerm)] = []
            for (i, p) in f.entry.parameters.enumerated() where p.isRequired ? !(rng.chance(0.1) && wantsMistake()) : rng.chance(0.4) {
                let v: FuzzTerm = p.type == .table ? .word(table ?? "t") : value(p, owner: f.entry.name)
                args.append((positional(i, f.entry, args) ? nil : p.name, v))
            }
            lines.append("print " + FuzzTerm.call(f.entry.name, args).source)
        }
    }

    mutating func plotScenario() {
        let name = fresh("r")
        let sweep = rng.chance(0.4)
        var options: [(name: String, value: FuzzTerm?)] = [("critic", .word("optimal")), ("steps", .number(Double(1 + rng.below(20)))),
                                                          ("batch", sweep ? .list([.number(4), .number(8)]) : .number(8))]
        if rng.chance(0.3) { options.append(("data", .call("staircase", [("steps_per_level", .number(3)), ("levels", .list([.number(1), .number(2)]))]))) }
        let spec = RunSpec(verb: "estimate", subject: sweep ? .list([.word("nwj"), .word("nce")]) : .word("nce"), options: options)
        runs.append(spec)
        lines.append("\(name) = " + command(spec))
        var panels: [String] = []
        for _ in 0..<(1 + rng.below(3)) { panels.append(plot(name, table: sweep)) }
        figure(panels)
    }

    // MARK: Commands

    /// An `estimate` with a random subset of its options; `steps` is nearly always given.
    /// `given` options are used as they are; `leaving` ones are never given.
    mutating func estimate(sweep: Bool, given: [(name: String, value: FuzzTerm?)] = [], leaving: Set<String> = []) -> RunSpec {
        let entry = registry.verb("estimate")!
        var subject = estimator()
        if sweep || rng.chance(0.1) {
            subject = .list((0..<(1 + rng.below(3))).map { _ in estimator() })
        }
        if rng.chance(0.05), wantsMistake() {
            subject = rng.pick([.number(3), .string("nce"), .word("optimal"), .list([])])
        }
        var options: [(name: String, value: FuzzTerm?)] = given
        var sweeps = 0
        // Estimators that score with the known density take no learned critic.
        let knownDensity = subject.elements.contains { e in registry.estimator(e.name ?? "")?.usesKnownDensity == true }
        for p in entry.parameters where !leaving.contains(p.name) && !given.contains(where: { $0.name == p.name }) {
            let chance: Double
            switch p.name {
            case "steps": chance = 0.97
            case "critic": chance = 0.7
            case "data": chance = 0.45
            default: chance = 0.18
            }
            guard rng.chance(chance) else { continue }
            // data= and mi= together is refused; so is a learned critic where the density is known.
            if p.name == "mi", options.contains(where: { $0.name == "data" }), !wantsMistake() { continue }
            if p.name == "data", options.contains(where: { $0.name == "mi" }), !wantsMistake() { continue }
            if p.name == "critic", knownDensity, !wantsMistake() {
                if rng.chance(0.5) { options.append((p.name, .word("optimal"))) }
                continue
            }
            if p.type == .bool || (rng.chance(0.03) && wantsMistake()) {
                options.append((p.name, nil))   // a bare flag, or an option without its value
                continue
            }
            if p.sweeps, (sweep && sweeps < 2 && rng.chance(0.4)) || rng.chance(0.03) {
                sweeps += 1
                let count = rng.chance(0.1) && wantsMistake() ? 0 : 2 + rng.below(2)
                options.append((p.name, .list((0..<count).map { _ in checked(p) { $0.scalar(p, owner: "estimate") } })))
            } else {
                options.append((p.name, value(p, owner: "estimate")))
            }
        }
        let spec = RunSpec(verb: "estimate", subject: subject, options: options)
        runs.append(spec)
        return spec
    }

    func command(_ spec: RunSpec) -> String {
        ([spec.verb] + (spec.subject.map { [$0.source] } ?? [])
         + spec.options.map { o in o.value.map { "\(o.name)=\($0.source)" } ?? o.name }).joined(separator: " ")
    }

    /// `plot subject ...`; `table` tells a table from results (their x axes differ).
    mutating func plot(_ subject: String, table: Bool) -> String {
        let entry = registry.verb("plot")!
        var parts = ["plot", subject]
        for p in entry.parameters where rng.chance(0.25) {
            if p.type == .bool && rng.chance(0.5) { parts.append(p.name); continue }
            if p.name == "x", !wantsMistake() {
                // Training curves run along steps or samples; tables along a column.
                parts.append("x=\"\(rng.pick(table ? ["batch", "mi", "estimator", "final"] : ["steps", "samples"]))\"")
                continue
            }
            parts.append("\(p.name)=\(value(p, owner: "plot").source)")
        }
        let name = fresh("p")
        lines.append("\(name) = " + parts.joined(separator: " "))
        return name
    }

    mutating func figure(_ panels: [String]) {
        let entry = registry.verb("figure")!
        var parts = ["figure", "[" + panels.joined(separator: ", ") + "]"]
        for p in entry.parameters where rng.chance(0.4) { parts.append("\(p.name)=\(value(p, owner: "figure").source)") }
        lines.append(parts.joined(separator: " "))
    }

    // MARK: Follow-ups

    mutating func resultFollowUp(_ r: String) {
        let fields = ResultValue.fields.map(\.name)
        switch rng.below(7) {
        case 0, 1: lines.append("print \(r).\(rng.chance(0.1) && wantsMistake() ? "finall" : rng.pick(fields))")
        case 2: lines.append("table \(r)")
        case 3:
            let index = wantsMistake() ? rng.pick(["-1", "1e9", "0.5", "len(\(r).trace)"]) : rng.pick(["0", "len(\(r).trace) - 1"])
            lines.append("print \(r).trace[\(index)]")
        case 4: lines.append("expect \(r).final >= \(r).final - 1")
        case 5: figure([plot(r, table: false)])
        default: lines.append("print \(r).\(rng.pick(fields)), mean(\(r).trace), len(\(r).heldout)")
        }
    }

    mutating func tableFollowUp(_ t: String) {
        let columns = ResultValue.fields.map(\.name) + registry.verb("estimate")!.parameters.map(\.name)
            + ["estimator", "mean", "mse", "alpha", "variance", "mse_se", "max", "nope"]
        let column = rng.pick(columns)
        switch rng.below(7) {
        case 0: lines.append("table \(t)")
        case 1: lines.append("print \(t).\(column)")
        case 2: lines.append("print len(\(t)), \(t)[\(wantsMistake() ? rng.pick(["-1", "99", "0.5"]) : "len(\(t)) - 1")]")
        case 3:
            let v = rng.pick(["64", "4", "\"nce\"", "[4, 8]", "[]", "nce", "1"])
            lines.append("print select(\(t), \"\(column)\", \(v))")
        case 4: figure([plot(t, table: true)])
        case 5: lines.append("print mean(\(t).\(rng.pick(["final", "mse", "bias", "truth"])))")
        default: lines.append("expect len(\(t)) >= 0")
        }
    }

    /// Whether argument `i` of `entry` may be written without its name
    /// (positional arguments come first, before any named one).
    mutating func positional(_ i: Int, _ entry: Entry, _ args: [(label: String?, value: FuzzTerm)]) -> Bool {
        i < entry.positional && args.count == i && args.allSatisfy { $0.label == nil } && rng.chance(0.6)
    }

    // MARK: Names

    mutating func fresh(_ prefix: String) -> String {
        variables += 1
        return "\(prefix)\(variables)"
    }
}
