import MIEngine

extension Registry {
    /// `images()`: whole Fashion-MNIST images as both views, what `learn
    /// reconstruct` (an autoencoder, 002 sec. 5.1) reads. Its own source,
    /// not a `cut=` of `halves()`: halves are two disjoint parts of an image
    /// with coupled noise between them, and an uncut image is neither.
    static let imagesViewSource = ViewsEntry(
        entry: Entry("images", .views, parameters: [
            Parameter("train", .integer, default: .number(60000), "training images used (the first ones)",
                      check: Check.integer(in: 10...60000, "train")),
            Parameter("test", .integer, default: .number(10000), "test images used (the first ones)",
                      check: Check.integer(in: 10...10000, "test")),
        ], summary: "whole Fashion-MNIST images as both views (x1 = x2), with their labels, the official split",
           details: "What an autoencoder reads: `learn reconstruct` decodes x2 from g1(x1), here the image itself "
            + "(002 sec. 5.1, eq. 15). Debian's dataset-fashion-mnist stands in for MNIST. Labels are kept for "
            + "probes; encoders never see them. Pixels in [0, 1]; no noise."),
        make: { a, _ in
            guard FashionMNIST.isInstalled(split: .train) && FashionMNIST.isInstalled(split: .test) else {
                throw RuntimeFailure("Fashion-MNIST is not installed at \(FashionMNIST.defaultDirectory); "
                    + "install it with: apt-get install dataset-fashion-mnist", isInputOutput: true)
            }
            do {
                return try WholeImageViews.fashionMNIST(trainLimit: a.int("train"), testLimit: a.int("test"))
            } catch let e as DataFileError {
                throw RuntimeFailure(e.description, isInputOutput: e.isInputOutput)
            } catch {
                throw RuntimeFailure("\(error)")
            }
        })
}
