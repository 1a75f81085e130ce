import MIEngine

/// A source of labelled view pairs the language can name (`halves()`),
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
                guard FashionMNIST.isInstalled(split: .train) && FashionMNIST.isInstalled(split: .test) else {
                    throw RuntimeFailure("Fashion-MNIST is not installed at \(FashionMNIST.defaultDirectory); "
                        + "install it with: apt-get install dataset-fashion-mnist", isInputOutput: true)
                }
                do {
                    return try ImageHalfViews.fashionMNIST(halves: a.symbol("cut") == "left" ? .leftRight : .topBottom,
                                                           noise: a.number("noise") ?? 0,
                                                           trainLimit: a.int("train"), testLimit: a.int("test"))
                } catch let e as DataFileError {
                    throw RuntimeFailure(e.description, isInputOutput: e.isInputOutput)
                } catch {
                    throw RuntimeFailure("\(error)")
                }
            }),
    ]
}
