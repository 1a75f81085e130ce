// TEMPORARY SHIM (not committed): replaced by helper-7's RepresentationProbes.
public enum ProbeKind: Sendable, Equatable, Hashable { case logistic; case mlp(hidden: [Int]) }
public struct RepresentationProbeOptions: Sendable, Equatable, Hashable {
    public var probe: ProbeKind?
    public var trainLimit: Int?
    public var testLimit: Int?
    public var conditioning: Int
    public var seed: UInt64
    public var parallelism: Parallelism
    public init(probe: ProbeKind? = .logistic, trainLimit: Int? = nil, testLimit: Int? = nil, conditioning: Int = 0,
                seed: UInt64 = 1, parallelism: Parallelism = .allCores) {
        self.probe = probe; self.trainLimit = trainLimit; self.testLimit = testLimit
        self.conditioning = conditioning; self.seed = seed; self.parallelism = parallelism
    }
}
public enum RepresentationProbes {
    static func data(_ views: any ViewPairs, _ o: RepresentationProbeOptions) -> (Matrix<Float>, [Int], Matrix<Float>, [Int]) {
        let nTrain = min(o.trainLimit ?? views.count(.train), views.count(.train))
        let nTest = min(o.testLimit ?? views.count(.test), views.count(.test))
        var rng = RNG(seed: o.seed)
        let train = views.views(.train, items: Array(0..<nTrain), rng: &rng).x1
        let test = views.views(.test, items: Array(0..<nTest), rng: &rng).x1
        return (train, Array(views.labels(.train).prefix(nTrain)), test, Array(views.labels(.test).prefix(nTest)))
    }
    public static func hook(views: any ViewPairs, options: RepresentationProbeOptions) throws -> (Int, FloatEncoder) -> [String: Double] {
        let (train, trainLabels, test, testLabels) = data(views, options)
        return { _, g1 in
            let a = RepresentationTrainer.encode(train, with: g1), b = RepresentationTrainer.encode(test, with: g1)
            guard let r = try? LogisticProbe.evaluate(train: a, trainLabels: trainLabels, test: b, testLabels: testLabels) else { return [:] }
            return ["probe": r.testAccuracy, "probe_train": r.trainAccuracy]
        }
    }
    public static func rawPixels(views: any ViewPairs, options: RepresentationProbeOptions) throws -> [String: Double] {
        let (train, trainLabels, test, testLabels) = data(views, options)
        let r = try LogisticProbe.evaluate(train: train, trainLabels: trainLabels, test: test, testLabels: testLabels)
        return ["probe": r.testAccuracy, "probe_train": r.trainAccuracy]
    }
}
