import Testing
@testable import MIEngine

/// Whole images as both views: x1 and x2 are the same scaled pixels, the
/// labels are the images', nothing is drawn from the generator, and images
/// of two sizes are refused.
@Suite struct WholeImageViewsTests {
    @Test func bothViewsAreTheImage() throws {
        let train = ImageHalfViewsTests.set(12), test = ImageHalfViewsTests.set(5, name: "toy(test)")
        let views = try WholeImageViews(train: train, test: test)
        #expect(views.shape1 == ViewShape(height: 6, width: 4) && views.shape2 == views.shape1)
        #expect(views.count(.train) == 12 && views.count(.test) == 5)
        #expect(views.labels(.test) == [0, 1, 2, 3, 4] && views.labelSlots == 1 && views.classes == 10)
        #expect(views.name == "toy whole images")
        let items = [7, 2, 7] + (0..<12).flatMap { _ in Array(0..<12) }    // more than one parallel chunk
        var rng = RNG(seed: 1)
        let (x1, x2) = views.views(.train, items: items, rng: &rng, parallelism: .allCores)
        let pixels = train.images.matrix(Float.self)
        for (r, item) in items.enumerated() {
            #expect(x1.row(r) == pixels.row(item))
        }
        #expect(x1 == x2)
        #expect(x1.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
        let serial = views.views(.train, items: items, rng: &rng, parallelism: .serial)
        #expect(serial.x1 == x1)
        var fresh = RNG(seed: 1)
        #expect(rng.next() == fresh.next(), "whole images draw nothing")
    }

    @Test func imagesOfTwoSizesAreRefused() throws {
        #expect(throws: RepresentationError.mismatchedImages(train: "6x4", test: "4x4")) {
            try WholeImageViews(train: ImageHalfViewsTests.set(3), test: ImageHalfViewsTests.set(3, height: 4))
        }
    }
}
