/// Nearest-name suggestions for misspelt identifiers ("did you mean ...?").
public enum Suggestions {
    /// The candidate closest to `name` by edit distance, if close enough to
    /// be a plausible typo: at most a third of the name's length (at least 1),
    /// or a candidate that `name` is a case-insensitive prefix of.
    public static func nearest<S: Sequence>(_ name: String, in candidates: S) -> String? where S.Element == String {
        let lower = name.lowercased(), letters = Array(lower)
        var best: (String, Int)? = nil
        for c in candidates where c != name {
            let d = distance(letters, Array(c.lowercased()))
            if best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        guard let (candidate, d) = best else { return nil }
        let limit = max(1, name.count / 3)
        if d <= limit { return candidate }
        if lower.count >= 2, candidate.lowercased().hasPrefix(lower) { return candidate }
        return nil
    }

    /// Damerau-Levenshtein distance (optimal string alignment): insertions,
    /// deletions, substitutions and transpositions of adjacent characters.
    public static func distance(_ a: String, _ b: String) -> Int { distance(Array(a), Array(b)) }

    private static func distance(_ x: [Character], _ y: [Character]) -> Int {
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        // One flat (x.count + 1) by (y.count + 1) table.
        let width = y.count + 1
        var d = [Int](repeating: 0, count: (x.count + 1) * width)
        for i in 0...x.count { d[i * width] = i }
        for j in 0...y.count { d[j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var best = min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    best = min(best, d[(i - 2) * width + j - 2] + 1)
                }
                d[i * width + j] = best
            }
        }
        return d[x.count * width + y.count]
    }
}
