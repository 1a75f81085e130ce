import Foundation

/// Adam (Kingma & Ba 2015) over flat parameter stores, with optional L2
/// weight decay added to the gradient (as PyTorch's `weight_decay`, which
/// paper 002's regularised critics used).
public final class Adam<T: MIScalar> {
    public let learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double
    public let weightDecay: Double
    public private(set) var stepCount = 0
    /// Whether the update's blocks run on all cores (the result is the same either way).
    public var parallelism: Parallelism
    private let stores: [ParameterStore<T>]
    private let moments: [(m: UnsafeMutableBufferPointer<T>, v: UnsafeMutableBufferPointer<T>)]

    public init(stores: [ParameterStore<T>], learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0, parallelism: Parallelism = .allCores) {
        precondition(learningRate > 0, "the learning rate must be positive")
        self.parallelism = parallelism
        self.stores = stores
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        moments = stores.map { s in
            let m = UnsafeMutableBufferPointer<T>.allocate(capacity: max(s.count, 1))
            let v = UnsafeMutableBufferPointer<T>.allocate(capacity: max(s.count, 1))
            m.initialize(repeating: 0)
            v.initialize(repeating: 0)
            return (m, v)
        }
    }

    deinit {
        for (m, v) in moments {
            m.deallocate()
            v.deallocate()
        }
    }

    /// One descent step on the gradients currently in the stores.
    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        // Bias corrections folded into the step size (Kingma & Ba, sec. 2).
        let alphaT = T(learningRate * (1 - Foundation.pow(beta2, t)).squareRoot() / (1 - Foundation.pow(beta1, t)))
        let b1 = T(beta1), b2 = T(beta2), eps = T(epsilon * (1 - Foundation.pow(beta2, t)).squareRoot())
        let wd = T(weightDecay)
        // Elementwise, so any split gives the same bits: fixed blocks over all stores.
        var tasks: [(store: Int, range: Range<Int>)] = []
        for (i, s) in stores.enumerated() {
            for start in stride(from: 0, to: s.count, by: adamBlock) {
                tasks.append((i, start..<Swift.min(start + adamBlock, s.count)))
            }
        }
        let work = { (t: Int) in
            let (i, r) = tasks[t]
            let s = self.stores[i], (m, v) = self.moments[i]
            RowKernels.adam(s.values.baseAddress! + r.lowerBound, s.grads.baseAddress! + r.lowerBound,
                            m.baseAddress! + r.lowerBound, v.baseAddress! + r.lowerBound, r.count,
                            stepSize: alphaT, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
        }
        parallelism.forEach(tasks.count, work)
    }
}

/// Parameters per parallel task of an Adam step.
private let adamBlock = 32 * 1024
