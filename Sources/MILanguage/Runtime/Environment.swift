import Foundation

/// The variables and settings of a session; they survive from cell to cell
/// and from REPL line to REPL line.
public struct Environment: Sendable {
    public var values: [String: Value] = [:]
    public var types: [String: ValueType] = [:]
    /// `-p name=value` overrides for `param` statements.
    public var parameterOverrides: [String: Value] = [:]
    /// Parameters declared so far, with the values in force.
    public var parameters: [String: Value] = [:]
    /// The seed later estimates use unless given one.
    public var seed: UInt64 = 0
    /// Where relative file paths point (a notebook's folder, or the working directory).
    public var baseDirectory: String = FileManager.default.currentDirectoryPath

    public init() {}

    mutating func bind(_ name: String, _ value: Value, type: ValueType) {
        values[name] = value
        types[name] = type
    }
}
