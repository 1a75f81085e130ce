/// What the resolver learned about a piece of source: what each name means
/// and each expression's static type. The interpreter reads it instead of
/// deciding again.
public struct Resolution: Sendable {
    /// What an identifier or a call's name refers to, by expression id.
    public var bindings: [Int: Binding] = [:]
    /// Static type of every expression, by id.
    public var types: [Int: ValueType] = [:]

    public init() {}
}

/// The meaning of a name.
public enum Binding: Sendable, Equatable {
    case variable(String)
    case estimator(String)
    case critic(String)
    case encoder(String)
    case data(String)
    case views(String)
    case function(String)
    case symbol(String)
}
