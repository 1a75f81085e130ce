/// Why views cannot be built or a representation-learning run cannot
/// start. `ImageHalfViews.init`, `MultiItemViews.init` and `RepresentationTrainer.check` find
/// these before anything runs; the engine's preconditions stay as guards
/// against programming errors.
public enum RepresentationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The train and test images differ in size.
    case mismatchedImages(train: String, test: String)
    /// An image too small to cut into two halves this way.
    case imageTooSmall(height: Int, width: Int, halves: ImageHalves)
    /// Images without pixels.
    case emptyImages(height: Int, width: Int)
    /// A split without an image of a class that multi-item pairs draw from.
    case missingClass(split: ViewSplit, label: Int, images: Int)
    /// Noise must be a finite standard deviation, 0 or more.
    case invalidNoise(Double)
    /// Coupled noise adds one vector to both halves, which must be the same size.
    case unequalHalvesForNoise(ViewShape, ViewShape)
    /// An encoder reads rows of another size than its view gives.
    case encoderInput(encoder: String, role: String, expects: Int, view: ViewShape)
    /// The critic scores features of other sizes than the encoders give.
    case criticInput(critic: String, expects: (x: Int, y: Int), features: (x: Int, y: Int))
    /// The bound needs a learned baseline and none was given.
    case missingBaseline(bound: String)
    /// The baseline network must map g2's features to one number.
    case baselineShape(expects: (input: Int, output: Int), found: (input: Int, output: Int))
    /// The bound scores all K x K pairs and cannot use shuffled negatives.
    case needsAllPairs(bound: String)
    /// The bound is not defined on batches this small.
    case batchTooSmall(batch: Int, minimum: Int, bound: String)
    /// A split holds fewer items than the run draws from it.
    case notEnoughItems(split: ViewSplit, needed: Int, available: Int, what: String)
    /// A setting outside its range (steps, learning rate, ...).
    case invalidOption(name: String, value: String, expected: String)
    /// Probes need class labels and the views have none.
    case noLabels(views: String)
    /// A gradient penalty runs through the encoders, and this one has no tangent passes.
    case penaltyThroughEncoder(encoder: String, role: String)
    /// Spectral normalisation of the critic alone does not bound the composite critic.
    case spectralNormOfComposite

    public static func == (a: RepresentationError, b: RepresentationError) -> Bool { a.description == b.description }

    public var description: String {
        switch self {
        case let .mismatchedImages(train, test):
            return "the training images are \(train) but the test images are \(test)"
        case let .imageTooSmall(h, w, halves):
            return "an image of \(h)x\(w) pixels cannot be cut into \(halves.rawValue) halves"
        case let .emptyImages(h, w):
            return "images of \(h)x\(w) pixels hold nothing to draw items from"
        case let .missingClass(split, label, images):
            return "the \(images) \(split.rawValue) images hold none of class \(label), and every class "
                + "needs an image in each split to draw items"
        case let .invalidNoise(sigma):
            return "noise must be a standard deviation of 0 or more, got \(sigma)"
        case let .unequalHalvesForNoise(a, b):
            return "coupled noise adds the same vector to both halves, but they have different shapes \(a) and \(b)"
        case let .encoderInput(encoder, role, expects, view):
            return "\(role) \(encoder) reads \(expects) values per row, but its view is \(view) (\(view.size) values)"
        case let .criticInput(critic, expects, features):
            return "the \(critic) critic scores \(expects.x) and \(expects.y) features, "
                + "but the encoders give \(features.x) and \(features.y)"
        case let .missingBaseline(bound):
            return "\(bound) needs a learned baseline network"
        case let .baselineShape(expects, found):
            return "the baseline network must map \(expects.input) features to \(expects.output) value, "
                + "but it maps \(found.input) to \(found.output)"
        case let .needsAllPairs(bound):
            return "\(bound) scores all K x K pairs and cannot train on shuffled negatives"
        case let .batchTooSmall(batch, minimum, bound):
            return "\(bound) needs a batch of at least \(minimum), got \(batch)"
        case let .notEnoughItems(split, needed, available, what):
            return "\(what) needs \(needed) items of the \(split.rawValue) split, which holds \(available)"
        case let .invalidOption(name, value, expected):
            return "\(name) must be \(expected), got \(value)"
        case let .noLabels(views):
            return "\(views) carry no class labels, which a probe needs"
        case let .penaltyThroughEncoder(encoder, role):
            return "the gradient penalty keeps critic(g1(x1), g2(x2)) Lipschitz in the views, so it runs through "
                + "the encoders (double backpropagation), which needs their tangent passes; \(role) \(encoder) has "
                + "none: mlp and residual encoders do (convnet and coupling have no tangent pass yet)"
        case .spectralNormOfComposite:
            return "spectral normalisation of the critic alone does not bound critic(g1(x1), g2(x2)) in the views "
                + "(the encoders are not normalised); use the gradient penalty or none"
        }
    }
}
