/// Arguments bound to an entry's parameters: positional ones named, defaults
/// filled in. Builders read them by name.
public struct Arguments: Sendable {
    public var values: [String: Value]
    /// Names the user gave explicitly (the rest are defaults).
    public var given: Set<String>

    public init(values: [String: Value] = [:], given: Set<String> = []) {
        self.values = values
        self.given = given
    }

    public subscript(_ name: String) -> Value? { values[name] }

    func number(_ name: String) -> Double? { values[name]?.asNumber }
    func int(_ name: String) -> Int? { values[name]?.asNumber.map { Int($0) } }
    func bool(_ name: String) -> Bool? { values[name]?.asBool }
    func string(_ name: String) -> String? { values[name]?.asString }
    func symbol(_ name: String) -> String? { values[name]?.asSymbol }
    func ints(_ name: String) -> [Int]? { values[name]?.asList?.compactMap { $0.asNumber.map { Int($0) } } }
    func numbers(_ name: String) -> [Double]? { values[name]?.asList?.compactMap(\.asNumber) }
}

/// An error raised while building or running something, before a source
/// position is attached by the interpreter.
public struct RuntimeFailure: Error, Sendable {
    public let message: String
    /// A file could not be opened or read (exit code 74 rather than 70).
    public let isInputOutput: Bool
    public init(_ message: String, isInputOutput: Bool = false) {
        self.message = message
        self.isInputOutput = isInputOutput
    }
}

/// What builders may need beyond their arguments.
public struct BuildContext: Sendable {
    /// Relative file paths are resolved against this directory (a
    /// notebook's folder, or the working directory).
    public var baseDirectory: String

    public init(baseDirectory: String) { self.baseDirectory = baseDirectory }

    /// `path` made absolute against `baseDirectory`.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : baseDirectory + "/" + path
    }
}
