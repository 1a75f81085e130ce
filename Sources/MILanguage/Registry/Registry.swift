/// The one description of everything the language knows. Parsing checks,
/// `help`, REPL completion and docs/reference.md are all generated from it,
/// so they cannot drift apart.
public struct Registry: Sendable {
    public static let standard = Registry()

    public let estimatorEntries: [EstimatorEntry]
    /// Objectives `learn` trains other than bounds (`learn adversarial`).
    public let objectiveEntries: [LearnObjectiveEntry]
    public let criticEntries: [CriticEntry]
    public let encoderEntries: [EncoderEntry]
    public let dataEntries: [DataEntry]
    public let viewEntries: [ViewsEntry]
    public let functionEntries: [FunctionEntry]
    public let verbEntries: [Entry]
    /// Every entry, in documentation order: statements, estimators, learn
    /// objectives, critics, encoders, data sources, view pairs, functions.
    public let allEntries: [Entry]
    private let namesByKind: [EntryKind: [String]]

    init() {
        estimatorEntries = Registry.estimators
        objectiveEntries = Registry.learnObjectives
        criticEntries = Registry.critics
        encoderEntries = Registry.encoders
        dataEntries = Registry.dataSources
        viewEntries = Registry.viewSources
        functionEntries = Registry.functions
        verbEntries = Registry.verbs
        allEntries = verbEntries + estimatorEntries.map(\.entry) + objectiveEntries.map(\.entry) + criticEntries.map(\.entry)
            + encoderEntries.map(\.entry) + dataEntries.map(\.entry) + viewEntries.map(\.entry)
            + functionEntries.map(\.entry)
        namesByKind = Dictionary(grouping: allEntries, by: \.kind).mapValues { $0.map(\.name) }
    }

    public func estimator(_ name: String) -> EstimatorEntry? { estimatorEntries.first { $0.entry.name == name } }
    public func objective(_ name: String) -> LearnObjectiveEntry? { objectiveEntries.first { $0.entry.name == name } }
    public func critic(_ name: String) -> CriticEntry? { criticEntries.first { $0.entry.name == name } }
    public func encoder(_ name: String) -> EncoderEntry? { encoderEntries.first { $0.entry.name == name } }
    public func data(_ name: String) -> DataEntry? { dataEntries.first { $0.entry.name == name } }
    public func views(_ name: String) -> ViewsEntry? { viewEntries.first { $0.entry.name == name } }
    public func function(_ name: String) -> FunctionEntry? { functionEntries.first { $0.entry.name == name } }
    public func verb(_ name: String) -> Entry? { verbEntries.first { $0.name == name } }


    /// The entry named `name` of any kind (estimators first).
    public func entry(named name: String) -> Entry? {
        estimator(name)?.entry ?? objective(name)?.entry ?? critic(name)?.entry ?? encoder(name)?.entry ?? data(name)?.entry
            ?? views(name)?.entry ?? function(name)?.entry ?? verb(name)
    }

    /// Names of one kind.
    public func names(_ kind: EntryKind) -> [String] { namesByKind[kind] ?? [] }

    /// Names a bare identifier or call may refer to where a value of `type` is expected.
    func candidates(for type: ValueType) -> [String] {
        switch type {
        case .estimator: return names(.estimator)
        case .critic: return names(.critic)
        case .encoder: return names(.encoder)
        case .data: return names(.data)
        case .views: return names(.views)
        case .symbol(let s): return s.members
        case .list(let t): return candidates(for: t)
        default: return []
        }
    }

    /// Every symbol set options use (for resolving bare words like `relu`).
    static let symbolSets: [SymbolSet] = [Symbols.activation, Symbols.negatives, Symbols.lipschitz, Symbols.analysis, Symbols.smoothing, Symbols.cut,
                                          Symbols.layout, Symbols.probe]

    /// The type of a learn objective's name in `learn`'s subject.
    var objectiveType: ValueType { .symbol(SymbolSet(name: "learn objective", members: names(.objective))) }
}
