/// Why a probe cannot be fitted or evaluated on the data it was given.
///
/// Every shape and value a caller can pass wrongly is checked before any
/// work starts and reported here; the probes' own preconditions stay as
/// guards against programming errors. Rows and columns are 0-based, as in
/// `Matrix`.
public enum ProbeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `role` (e.g. "training features") has no rows.
    case empty(role: String)
    /// The feature matrix and the labels disagree on the number of rows.
    case labelCount(role: String, rows: Int, labels: Int)
    /// A label is negative or not below the number of classes.
    case labelOutOfRange(role: String, row: Int, label: Int, classes: Int)
    /// Fewer than two classes to tell apart.
    case tooFewClasses(classes: Int)
    /// A feature is NaN or infinite.
    case nonFinite(role: String, row: Int, column: Int)
    /// Features to evaluate are not as wide as the features the probe was fitted on.
    case featureCount(role: String, expected: Int, found: Int)
    /// An option outside its range, e.g. `C` not positive.
    case invalidOption(name: String, value: String, expected: String)
    /// Too few rows for what the probe does with them (`reason`).
    case tooFewRows(role: String, rows: Int, minimum: Int, reason: String)

    public var description: String {
        switch self {
        case let .empty(role):
            return "the \(role) have no rows"
        case let .labelCount(role, rows, labels):
            return "the \(role) have \(rows) row\(rows == 1 ? "" : "s") but \(labels) label\(labels == 1 ? "" : "s") "
                + "were given; expected one label per row"
        case let .labelOutOfRange(role, row, label, classes):
            return "label \(label) of row \(row) of the \(role) is outside 0..<\(classes) "
                + "(the probe has \(classes) classes)"
        case let .tooFewClasses(classes):
            return "a probe needs at least 2 classes, the labels hold \(classes)"
        case let .nonFinite(role, row, column):
            return "the \(role) hold a non-finite value at row \(row), column \(column)"
        case let .featureCount(role, expected, found):
            return "the \(role) have \(found) column\(found == 1 ? "" : "s"); the probe was fitted on \(expected)"
        case let .invalidOption(name, value, expected):
            return "\(name) must be \(expected), got \(value)"
        case let .tooFewRows(role, rows, minimum, reason):
            return "the \(role) have \(rows) row\(rows == 1 ? "" : "s"); the probe needs at least \(minimum) "
                + "(\(reason))"
        }
    }
}

/// Checks shared by the probes: features and labels that fit together.
enum ProbeInput {
    /// Throws unless `features` has rows, one label each, every label in
    /// 0..<classes and every value finite.
    static func check<T: MIScalar>(_ features: Matrix<T>, labels: [Int], classes: Int,
                                   role: String) throws(ProbeError) {
        if features.rows == 0 { throw .empty(role: role) }
        if labels.count != features.rows {
            throw .labelCount(role: role, rows: features.rows, labels: labels.count)
        }
        if let i = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw .labelOutOfRange(role: role, row: i, label: labels[i], classes: classes)
        }
        try checkFinite(features, role: role)
    }

    /// Throws at the first NaN or infinity of `features`.
    static func checkFinite<T: MIScalar>(_ features: Matrix<T>, role: String) throws(ProbeError) {
        let bad = features.storage.withUnsafeBufferPointer { p in p.firstIndex { !$0.isFinite } }
        if let bad { throw .nonFinite(role: role, row: bad / features.cols, column: bad % features.cols) }
    }

    /// The number of classes: `given`, or one more than the largest label.
    static func classes(_ given: Int?, labels: [Int]) throws(ProbeError) -> Int {
        if let given {
            if given < 2 { throw .tooFewClasses(classes: given) }
            return given
        }
        let c = (labels.max() ?? -1) + 1
        if c < 2 { throw .tooFewClasses(classes: Swift.max(c, 0)) }
        return c
    }

    /// Throws unless `features` is as wide as the probe's inputs.
    static func checkWidth<T: MIScalar>(_ features: Matrix<T>, expected: Int, role: String) throws(ProbeError) {
        if features.cols != expected { throw .featureCount(role: role, expected: expected, found: features.cols) }
    }
}
