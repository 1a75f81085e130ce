/// The shape of one view as a convolutional encoder reads it: `channels`
/// planes of `height` x `width` values, stored row-major plane after plane
/// (so a row of a batch holds channels * height * width values).
public struct ViewShape: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int = 1, height: Int, width: Int) {
        precondition(channels > 0 && height > 0 && width > 0, "a view needs positive dimensions")
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Values per view.
    public var size: Int { channels * height * width }

    /// `1x14x28` (channels x height x width).
    public var description: String { "\(channels)x\(height)x\(width)" }
}

/// The published training or test part of a dataset of view pairs.
public enum ViewSplit: String, Sendable, Codable, CaseIterable {
    case train
    case test
}

/// Items with two views each, x1 and x2, whose shared information
/// representation learning tries to capture (001 sec. 3: the two halves of
/// an image; 000 sec. 5: grids of items whose classes are related), and the
/// class labels of each item, kept for probes and never given to the
/// encoders.
///
/// An item is an index into a split. Filling a batch may draw per-sample
/// randomness (the coupled noise of 001 sec. 3.1) from the generator it is
/// given, so the same items give new views on every draw unless the
/// generator is the same. Conforming types hold their data in memory and
/// are immutable.
public protocol ViewPairs: Sendable {
    /// A description, e.g. `fashion-mnist top/bottom halves, noise=0.05`.
    var name: String { get }
    /// The shape of x1 (what g1 reads).
    var shape1: ViewShape { get }
    /// The shape of x2 (what g2 reads).
    var shape2: ViewShape { get }
    /// The number of items in `split`.
    func count(_ split: ViewSplit) -> Int
    /// Class labels per item: 1 for an image, one per slot for a grid of items.
    var labelSlots: Int { get }
    /// The number of classes a label takes (labels are 0..<classes).
    var classes: Int { get }
    /// The labels of every item of `split`, `labelSlots` per item, item after item.
    func labels(_ split: ViewSplit) -> [Int]
    /// Writes the views of `items` of `split`: x1 of item n to row n of
    /// `x1` (items.count x shape1.size), x2 to row n of `x2`. Randomness
    /// is drawn from `rng` in item order, so the result is the same bits
    /// whatever `parallelism` allows.
    func fill(_ split: ViewSplit, items: [Int], x1: UnsafeMutablePointer<Float>, x2: UnsafeMutablePointer<Float>,
              rng: inout RNG, parallelism: Parallelism)
    /// The data files read, with the size and digest of the bytes read.
    var files: [DataFileStamp] { get }
}

extension ViewPairs {
    /// The views of `items` as two matrices (rows: items).
    public func views(_ split: ViewSplit, items: [Int], rng: inout RNG,
                      parallelism: Parallelism = .allCores) -> (x1: Matrix<Float>, x2: Matrix<Float>) {
        var x1 = Matrix<Float>(rows: items.count, cols: shape1.size)
        var x2 = Matrix<Float>(rows: items.count, cols: shape2.size)
        x1.storage.withUnsafeMutableBufferPointer { a in
            x2.storage.withUnsafeMutableBufferPointer { b in
                fill(split, items: items, x1: a.baseAddress!, x2: b.baseAddress!, rng: &rng, parallelism: parallelism)
            }
        }
        return (x1, x2)
    }

    /// The views of every item of `split`, in order; per-sample randomness
    /// from `RNG(seed: seed)`, so a seed names one fixed draw (probe features).
    public func views(_ split: ViewSplit, seed: UInt64,
                      parallelism: Parallelism = .allCores) -> (x1: Matrix<Float>, x2: Matrix<Float>) {
        var rng = RNG(seed: seed)
        return views(split, items: Array(0..<count(split)), rng: &rng, parallelism: parallelism)
    }
}
