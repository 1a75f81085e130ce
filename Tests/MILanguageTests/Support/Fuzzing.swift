import Foundation
import MILanguage

/// SplitMix64: a small seeded generator, so every fuzz input can be rebuilt
/// from (seed, index) alone.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Builds fuzz inputs: mutations of a corpus of real programs (characters
/// and tokens inserted, deleted and replaced, truncation, duplicated and
/// swapped lines, splices), token soup, random bytes and random Unicode.
struct Mutator {
    let corpus: [String]

    /// Characters worth trying: ASCII punctuation and letters, whitespace,
    /// line breaks (including "\r\n" and U+2028), escapes, and Unicode that
    /// is a letter or a number to Swift but not to the language.
    static let characters: [Character] = Array("abcxyz_ABC0123456789 \t\n()[],.=+-*/%^<>!\"\\#'@$&|~;:?{}`")
        + ["\r\n", "\r", "\u{2028}", "\u{0}", "\u{FEFF}", "é", "e\u{301}", "£", "😀", "٣", "½", "Ⅻ", "π", "\u{7F}"]

    /// Tokens worth trying: keywords, symbols, every registry name, option
    /// and field names, odd numbers and strings.
    static let tokens: [String] = {
        let registry = Registry.standard
        var t = Keyword.allCases.map(\.rawValue) + Symbol.allCases.map(\.rawValue)
        t += registry.allEntries.map(\.name)
        t += registry.allEntries.flatMap { $0.parameters.map(\.name) }
        t += ResultValue.fields.map(\.name)
        t += ["0", "1", "64", "-1", "1e309", "1.5", "1..", "..", "1_000", ".5", "1e", "9e15", "1.2.3", "12abc", "0x10",
              "\"x\"", "\"", "\"\\q\"", "\"\\\"", "\\", "\n", "\\\n", "#", "r", "x", "[", "]", "(", ")", ",", "=", "==",
              "r.final", "alpha(0.5)", "gaussian(mi=2)", "critic=optimal", "batch=[16, 32]", "step 0"]
        return t
    }()

    /// Input number `index` of the stream with `seed`.
    func input(seed: UInt64, index: Int) -> String {
        var rng = SplitMix64(seed: seed ^ (UInt64(index) &* 0x2545_F491_4F6C_DD1D))
        switch rng.below(20) {
        case 0..<11:
            var text = rng.pick(corpus)
            for _ in 0..<(1 + rng.below(4)) { text = mutate(text, &rng) }
            return text
        case 11..<13:
            return splice(rng.pick(corpus), rng.pick(corpus), &rng)
        case 13..<15:
            return (0..<(1 + rng.below(40))).map { _ in rng.pick(Mutator.tokens) }
                .joined(separator: rng.chance(0.8) ? " " : "")
        case 15..<17:
            let bytes = (0..<rng.below(200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return String(decoding: bytes, as: UTF8.self)
        case 17..<19:
            return String(String.UnicodeScalarView((0..<rng.below(80)).compactMap { _ in
                Unicode.Scalar(UInt32(rng.chance(0.7) ? rng.below(0x80) : rng.below(0x11_0000)))
            }))
        default:
            let text = Array(rng.pick(corpus))
            return String(text.prefix(rng.below(text.count + 1)))
        }
    }

    private func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
        var chars = Array(text)
        let at = rng.below(chars.count + 1)
        switch rng.below(9) {
        case 0:
            chars.insert(rng.pick(Mutator.characters), at: at)
        case 1:
            if at < chars.count { chars.removeSubrange(at..<min(chars.count, at + 1 + rng.below(4))) }
        case 2:
            if at < chars.count { chars[at] = rng.pick(Mutator.characters) }
        case 3:
            chars.insert(contentsOf: Array(" " + rng.pick(Mutator.tokens) + (rng.chance(0.5) ? " " : "")), at: at)
        case 4:
            // Delete one space-separated word.
            var words = String(chars).split(separator: " ", omittingEmptySubsequences: false)
            if !words.isEmpty { words.remove(at: rng.below(words.count)) }
            chars = Array(words.joined(separator: " "))
        case 5:
            // Replace one word with a token.
            var words = String(chars).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if !words.isEmpty { words[rng.below(words.count)] = rng.pick(Mutator.tokens) }
            chars = Array(words.joined(separator: " "))
        case 6:
            chars = Array(chars.prefix(at))
        case 7:
            var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if !lines.isEmpty {
                let i = rng.below(lines.count)
                if rng.chance(0.5) { lines.insert(lines[i], at: i) } else { lines.swapAt(i, rng.below(lines.count)) }
            }
            chars = Array(lines.joined(separator: "\n"))
        default:
            // A run of random bytes, decoded leniently.
            let bytes = (0..<(1 + rng.below(8))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            chars.insert(contentsOf: Array(String(decoding: bytes, as: UTF8.self)), at: at)
        }
        return String(chars)
    }

    private func splice(_ a: String, _ b: String, _ rng: inout SplitMix64) -> String {
        let x = Array(a), y = Array(b)
        return String(x.prefix(rng.below(x.count + 1))) + String(y.suffix(rng.below(y.count + 1)))
    }
}
