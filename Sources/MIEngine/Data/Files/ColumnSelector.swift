import Foundation

/// One or more columns of a table, chosen by header name, by 0-based index,
/// or as an inclusive run of adjacent columns.
///
/// A string literal is a name, or a name range when it contains `..`:
///
///     let x: [ColumnSelector] = ["x1..x20"]   // x1, x2, ..., x20 in header order
///     let y: [ColumnSelector] = ["y", 7]      // the column named y and column 7
///
/// A name range runs from the first column to the second *by position in the
/// header* (not by numbering in the names), both ends included. Use
/// `.name("a..b")` for a column whose name really contains `..`. Indices
/// count from 0. NumPy arrays have no column names, so only index selectors
/// apply to them.
public enum ColumnSelector: Hashable, Sendable, CustomStringConvertible,
                            ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// The column whose header is exactly `name`.
    case name(String)
    /// The column at 0-based `index`.
    case index(Int)
    /// The columns from the one named `from` through the one named `through`, in header order.
    case nameRange(from: String, through: String)
    /// The columns at 0-based indices `from` through `through`, both included.
    case indexRange(from: Int, through: Int)

    /// Parses `text`: `a..b` is a name range, anything else a name. Spaces
    /// around the ends of a range are ignored.
    public init(_ text: String) {
        if let dots = text.range(of: "..") {
            let from = String(text[..<dots.lowerBound]).trimmingCharacters(in: .whitespaces)
            let through = String(text[dots.upperBound...]).trimmingCharacters(in: .whitespaces)
            if !from.isEmpty && !through.isEmpty {
                self = .nameRange(from: from, through: through)
                return
            }
        }
        self = .name(text)
    }

    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int) { self = .index(value) }

    /// The selector as a user would write it: `x1`, `3`, `x1..x20`, `0..4`.
    public var description: String {
        switch self {
        case .name(let n): return n
        case .index(let i): return "\(i)"
        case .nameRange(let a, let b): return "\(a)..\(b)"
        case .indexRange(let a, let b): return "\(a)..\(b)"
        }
    }
}

/// Turns x and y selectors into column indices of one table, with errors
/// that name the selector at fault and suggest the nearest real column.
struct ColumnResolver {
    /// The file, for messages.
    let file: String
    /// Where errors point (the header line of a CSV file, the file for .npy).
    let location: DataFileError.Location
    /// Header names, or nil for a table without names (.npy).
    let names: [String]?
    let columnCount: Int

    /// Column indices for the x and y selections, in selection order.
    func resolve(x: [ColumnSelector], y: [ColumnSelector]) throws(DataFileError) -> (x: [Int], y: [Int]) {
        let xs = try resolve(x, role: "x")
        let ys = try resolve(y, role: "y")
        var seen: [Int: String] = [:]
        for (role, columns) in [("x", xs), ("y", ys)] {
            for c in columns {
                if let first = seen[c] {
                    let where_ = first == role ? "twice in the \(role) columns" : "in both the x and the y columns"
                    throw fail("\(display(c)) is selected \(where_); each column may be used once")
                }
                seen[c] = role
            }
        }
        return (xs, ys)
    }

    private func resolve(_ selectors: [ColumnSelector], role: String) throws(DataFileError) -> [Int] {
        if selectors.isEmpty { throw fail("no \(role) columns selected; expected at least one") }
        var out: [Int] = []
        for s in selectors {
            switch s {
            case .name(let n):
                out.append(try lookup(n, role: role))
            case .index(let i):
                out.append(try check(i, role: role))
            case .nameRange(let a, let b):
                let lo = try lookup(a, role: role), hi = try lookup(b, role: role)
                if hi < lo {
                    throw fail("column range '\(a)..\(b)' in the \(role) columns runs backwards: "
                               + "'\(a)' is column \(lo) and '\(b)' column \(hi)")
                }
                out.append(contentsOf: lo...hi)
            case .indexRange(let a, let b):
                let lo = try check(a, role: role), hi = try check(b, role: role)
                if hi < lo {
                    throw fail("column range \(a)..\(b) in the \(role) columns runs backwards")
                }
                out.append(contentsOf: lo...hi)
            }
        }
        return out
    }

    private func check(_ index: Int, role: String) throws(DataFileError) -> Int {
        guard index >= 0 && index < columnCount else {
            if columnCount == 0 {
                throw fail("column index \(index) in the \(role) columns is out of range; the file has no columns")
            }
            throw fail("column index \(index) in the \(role) columns is out of range; the file has "
                       + "\(columnCount) column\(columnCount == 1 ? "" : "s") (indices 0 to \(columnCount - 1))")
        }
        return index
    }

    private func lookup(_ name: String, role: String) throws(DataFileError) -> Int {
        guard let names else {
            throw fail("column '\(name)' in the \(role) columns is selected by name, but a .npy array "
                       + "has no column names; select columns by 0-based index")
        }
        let hits = names.indices.filter { names[$0] == name }
        if hits.count == 1 { return hits[0] }
        if hits.count > 1 {
            throw fail("column name '\(name)' in the \(role) columns is ambiguous: the header uses it for "
                       + "columns \(hits.map(String.init).joined(separator: ", ")); select by index")
        }
        if let near = NameSuggestion.nearest(to: name, among: names) {
            throw fail("unknown column '\(name)' in the \(role) columns; did you mean '\(near)'?")
        }
        throw fail("unknown column '\(name)' in the \(role) columns; the columns are \(Quote.list(names))")
    }

    /// A column for messages: `column 'x1'` or `column 3`.
    private func display(_ c: Int) -> String {
        if let names, !names[c].isEmpty { return "column '\(names[c])'" }
        return "column \(c)"
    }

    private func fail(_ message: String) -> DataFileError {
        DataFileError(file: file, location, message)
    }
}

/// "Did you mean ...?" by edit distance.
enum NameSuggestion {
    /// The name in `candidates` nearest to `name`, if it is near enough to be a
    /// plausible typo: equal ignoring case, or within a Levenshtein distance of
    /// about a third of the longer name (at least 1, at most 3). Ties go to the
    /// earlier candidate.
    static func nearest(to name: String, among candidates: [String]) -> String? {
        let lower = name.lowercased()
        if let same = candidates.first(where: { $0.lowercased() == lower }) { return same }
        let a = Array(lower.unicodeScalars)
        var best: (name: String, distance: Int)?
        for c in candidates where !c.isEmpty {
            let b = Array(c.lowercased().unicodeScalars)
            let limit = min(3, max(1, max(a.count, b.count) / 3))
            let d = levenshtein(a, b)
            if d <= limit && d < (best?.distance ?? Int.max) { best = (c, d) }
        }
        return best?.name
    }

    /// Insertions, deletions and substitutions needed to turn `a` into `b`.
    static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
