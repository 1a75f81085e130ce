import MIEngine

/// A source of labelled view pairs the language can name (`halves()`, `items()`),
/// what `learn` trains encoders on.
public struct ViewsEntry: Sendable {
    public let entry: Entry
    public let make: @Sendable (Arguments, BuildContext) throws -> any ViewPairs
}

extension Registry {
    static let viewSources: [ViewsEntry] = [
        imagesViewSource,
        ViewsEntry(
            entry: Entry("halves", .views, parameters: [
                Parameter("cut", .symbol(Symbols.cut), default: .symbol("top"),
                          "x1 is the top half and x2 the bottom (top), or the left and right halves (left)"),
                Parameter("noise", .number, default: .number(0),
                          "standard deviation of the coupled noise: one N(0, noise^2) vector added to both halves "
                          + "(001 sec. 3.1 uses 0.05)", check: Check.number(in: 0...10, "noise")),
                Parameter("train", .integer, default: .number(60000), "training images used (the first ones)",
                          check: Check.integer(in: 10...60000, "train")),
                Parameter("test", .integer, default: .number(10000), "test images used (the first ones)",
                          check: Check.integer(in: 10...10000, "test")),
            ], summary: "Fashion-MNIST image halves with their labels, the official train/test split",
               details: "Debian's dataset-fashion-mnist stands in for MNIST (001 sec. 3), which Debian does not "
                + "package. Labels are kept for probes; encoders never see them. Pixels in [0, 1]."),
            make: { a, _ in
                try fashionMNIST {
                    try ImageHalfViews.fashionMNIST(halves: a.symbol("cut") == "left" ? .leftRight : .topBottom,
                                                    noise: a.number("noise") ?? 0,
                                                    trainLimit: a.int("train"), testLimit: a.int("test"))
                }
            }),
        ViewsEntry(
            entry: Entry("items", .views, parameters: [
                Parameter("n", .integer, default: .number(3),
                          "items per view (000 sec. 5.2: characters per image); the MI is at most n log 10",
                          check: Check.integer(in: 1...MultiItemViews.maxItems, "n")),
                Parameter("layout", .symbol(Symbols.layout), default: .symbol("spatial"),
                          "spatial: side by side in one row, 1x28x(28n) (000's SpatialMultiOmniglot); "
                          + "stacked: one channel per item, nx28x28 (StackedMultiOmniglot)"),
                Parameter("train", .integer, default: .number(50000),
                          "training pairs, drawn from the 60,000 training images (000 sec. 5.3 uses 50,000)",
                          check: Check.integer(in: 10...1_000_000, "train")),
                Parameter("test", .integer, default: .number(10000), "test pairs, drawn from the 10,000 test images",
                          check: Check.integer(in: 10...100_000, "test")),
                Parameter("seed", .integer, default: .number(0),
                          "seed of the dataset (which classes and images each pair holds); not the run's seed, "
                          + "so the runs of a sweep share one dataset", check: Check.seed),
            ], summary: "pairs of n Fashion-MNIST items, y's of the next classes: 000 sec. 5.2's multi-item images",
               details: "x holds n items of classes c_1..c_n, uniform on 0-9; y holds other images of classes "
                + "c_j + 1 mod 10, as 000 builds SpatialMultiOmniglot from Omniglot (not packaged by Debian). "
                + "Training pairs use the training images only, test pairs the test images. The labels are x's "
                + "n classes; a probe reads each and reports the mean accuracy over the items. I(x; y) would be "
                + "n log 10 if an item's class were a function of its image; Fashion-MNIST's classes overlap "
                + "(about 84% for a linear probe on raw pixels), so the true MI is lower. exp(I) passes the "
                + "training-set size at n = 5 for 50,000 pairs, where 000 sec. 5.3 finds CPC breaks down. "
                + "Pixels in [0, 1]."),
            make: { a, _ in
                try fashionMNIST {
                    try MultiItemViews.fashionMNIST(items: a.int("n") ?? 3,
                                                    layout: ItemLayout(rawValue: a.symbol("layout") ?? "spatial") ?? .spatial,
                                                    trainPairs: a.int("train") ?? 50000, testPairs: a.int("test") ?? 10000,
                                                    seed: UInt64(a.int("seed") ?? 0))
                }
            }),
    ]

    /// Views built from the installed Fashion-MNIST by `body`, with its
    /// errors as runtime failures (file problems as input/output ones).
    private static func fashionMNIST(_ body: () throws -> any ViewPairs) throws -> any ViewPairs {
        guard FashionMNIST.isInstalled(split: .train) && FashionMNIST.isInstalled(split: .test) else {
            throw RuntimeFailure("Fashion-MNIST is not installed at \(FashionMNIST.defaultDirectory); "
                + "install it with: apt-get install dataset-fashion-mnist", isInputOutput: true)
        }
        do {
            return try body()
        } catch let e as DataFileError {
            throw RuntimeFailure(e.description, isInputOutput: e.isInputOutput)
        } catch {
            throw RuntimeFailure("\(error)")
        }
    }
}
