/// A Gaussian decoder q(x|y) = N(mu(y), diag sigma^2): the mean an `MLP`
/// from y (no hidden layers = linear, `mu(y) = y W + b`), the log standard
/// deviations a learned vector independent of y.
public final class GaussianDecoder<T: MIScalar> {
    public let mean: MLP<T>
    /// log sigma_d, d < dimX.
    public let logStd: ParameterStore<T>

    /// `hidden` = [] gives the linear-Gaussian decoder, exact for the
    /// correlated Gaussian (p(x|y) = N(rho y, 1 - rho^2)).
    public init(dimY: Int, dimX: Int, hidden: [Int] = [], activation: Activation = .relu, rng: inout RNG) {
        mean = MLP(sizes: [dimY] + hidden + [dimX], activation: activation, rng: &rng)
        logStd = ParameterStore(count: dimX)
    }

    public var dimX: Int { mean.outputSize }
    public var dimY: Int { mean.inputSize }
    public var stores: [ParameterStore<T>] { [mean.store, logStd] }

    /// log q(x_i | y_i) for each pair, keeping the forward pass for `addGradient`.
    public func logDensity(x: Matrix<Double>, y: Matrix<Double>) -> [Double] {
        precondition(x.rows == y.rows && x.cols == dimX && y.cols == dimY, "shape mismatch")
        let mu = mean.forward(y.converted(to: T.self))
        let ls = (0..<dimX).map { Double(logStd.values[$0]) }
        return x.storage.withUnsafeBufferPointer { p in
            (0..<x.rows).map { i in
                GaussianLogDensity.value(p.baseAddress! + i * dimX, mean: { Double(mu[i, $0]) }, logStd: ls)
            }
        }
    }

    /// Adds sum_i w_i d log q(x_i|y_i) / d theta to the gradients, for the
    /// batch of the last `logDensity`: d/d mu_d = (x_d - mu_d) / sigma_d^2
    /// (back through the MLP), d/d log sigma_d = (x_d - mu_d)^2 / sigma_d^2 - 1.
    public func addGradient(x: Matrix<Double>, weights w: [Double]) {
        let rows = mean.rows
        precondition(x.rows == rows && w.count == rows, "gradient for another batch")
        let mu = mean.output
        var dMu = Matrix<T>(rows: rows, cols: dimX)
        var gLog = [Double](repeating: 0, count: dimX)
        for d in 0..<dimX {
            let invVar = Double.exp(-2 * Double(logStd.values[d]))
            for i in 0..<rows {
                let r = x[i, d] - Double(mu[i * dimX + d])
                dMu[i, d] = T(w[i] * r * invVar)
                gLog[d] += w[i] * (r * r * invVar - 1)
            }
        }
        mean.backward(dMu)
        for d in 0..<dimX { logStd.grads[d] += T(gLog[d]) }
    }
}

/// The Barber-Agakov lower bound (004 eq. 2):
///   I(X; Y) >= I_BA = E_p(x,y)[log q(x|y)] + h(X),   tight when q = p(x|y),
/// estimated as mean_i log q(x_i|y_i) + h(X) with a Gaussian decoder and the
/// known differential entropy h(X) (`KnownDensity.entropyX`). Training
/// maximises I_BA; I - I_BA = E_y KL(p(x|y) || q(x|y)) >= 0 in expectation.
///
/// As an `Estimator` (T = Float) estimate = objective = I_BA, and the
/// stores receive d(-I_BA)/dtheta (the loss).
public final class BarberAgakovEstimator<T: MIScalar> {
    public let decoder: GaussianDecoder<T>
    /// h(X) in nats.
    public let entropyX: Double

    /// `source` must know h(X).
    public init(source: any DataSource, decoder: GaussianDecoder<T>) {
        guard let h = source.density(step: 0)?.entropyX else {
            preconditionFailure("Barber-Agakov needs the entropy h(X) of \(source.name)")
        }
        precondition(decoder.dimX == source.dimX && decoder.dimY == source.dimY, "decoder shape does not match the data")
        self.decoder = decoder
        self.entropyX = h
    }

    /// I_BA on `batch`; with `accumulate`, adds d(-I_BA)/dtheta to the
    /// gradients (callers zero them first).
    public func lowerBound(_ batch: Batch, accumulate: Bool) -> Double {
        let logQ = decoder.logDensity(x: batch.x, y: batch.y)
        let k = Double(batch.size)
        var s = 0.0
        for v in logQ { s += v }
        if accumulate {
            // d(-I_BA)/d log q(x_i|y_i) = -1/K.
            decoder.addGradient(x: batch.x, weights: [Double](repeating: -1 / k, count: batch.size))
        }
        return s / k + entropyX
    }
}

extension BarberAgakovEstimator: Estimator where T == Float {
    public var name: String {
        let hidden = decoder.mean.sizes.dropFirst().dropLast()
        return hidden.isEmpty ? "barber_agakov with linear gaussian decoder"
            : "barber_agakov with gaussian decoder(\(hidden.map(String.init).joined(separator: ", ")), \(decoder.mean.activation.rawValue))"
    }
    public var stores: [ParameterStore<Float>] { decoder.stores }
    /// The decoder network's parallelism.
    public var parallelism: Parallelism {
        get { decoder.mean.parallelism }
        set { decoder.mean.parallelism = newValue }
    }
    public func ceiling(batch: Int) -> Double? { nil }

    public func run(_ batch: Batch, step: Int, rng: inout RNG, train: Bool) -> StepOutcome {
        if train { for s in stores { s.zeroGrad() } }
        let value = lowerBound(batch, accumulate: train)
        return StepOutcome(estimate: value, objective: value)
    }
}
