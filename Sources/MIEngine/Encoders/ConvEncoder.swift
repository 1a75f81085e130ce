/// A convolutional encoder (001 sec. 3.3): convolutions with a nonlinearity,
/// layer normalisation, spatial average pooling, and a linear layer to the
/// features.
///
/// 001's ConvNet, the default: two 5x5 convolutions with stride 2 and 64 and
/// 128 channels, ReLU; layer normalisation over each sample's pixels and
/// channels with a gain and bias per channel (`LayerNorm`); the mean over
/// pixels; a linear layer to 100 features. On a 1 x 14 x 28 image half the
/// convolutions, padded by 2 on every side (so each halves the height and
/// width, rounding up, as TensorFlow's 'SAME' padding does, though that pads
/// 1 before and 2 after), give 64 x 7 x 14 and 128 x 4 x 7; the encoder has
/// 219,748 parameters (001: 220k).
///
/// Inputs are rows of channels x height x width values (row-major, as image
/// files store them); inside, activations are channels-last (`ConvShape`).
public final class ConvEncoder<Scalar: MIScalar>: FeatureEncoder {
    public let channels: Int, height: Int, width: Int
    public let convolutions: [Conv2D<Scalar>]
    public let normalisation: LayerNorm<Scalar>?
    public let pool: AveragePool<Scalar>
    public let head: Dense
    public let store: ParameterStore<Scalar>

    private let channelsLast = Scratch<Scalar>()
    private let gradA = Scratch<Scalar>(), gradB = Scratch<Scalar>()
    private let features = Scratch<Scalar>()
    private var pooled: UnsafePointer<Scalar>?
    public private(set) var rows = 0
    public var parallelism: Parallelism {
        didSet {
            for c in convolutions { c.parallelism = parallelism }
            normalisation?.parallelism = parallelism
            pool.parallelism = parallelism
        }
    }

    /// - Parameters:
    ///   - channels, height, width: the input image's shape.
    ///   - filters: output channels of each convolution, in order.
    ///   - kernel, stride, padding: of every convolution (zero padding on each side).
    ///   - features: outputs of the final linear layer.
    ///   - layerNorm: whether to normalise before pooling (001: yes).
    ///   - epsilon: added to the variance by the layer normalisation.
    ///   - activation: after each convolution.
    /// Convolution weights are Glorot-uniform with convolutional fans, the
    /// linear layer Glorot-uniform, biases zero, gains one.
    public init(channels: Int = 1, height: Int = 14, width: Int = 28, filters: [Int] = [64, 128],
                kernel: Int = 5, stride: Int = 2, padding: Int = 2, features: Int = 100,
                layerNorm: Bool = true, epsilon: Double = 1e-5, activation: Activation = .relu,
                parallelism: Parallelism = .allCores, rng: inout RNG) throws(ShapeError) {
        guard !filters.isEmpty else { throw ShapeError("a ConvNet needs at least one convolution") }
        guard features >= 1 else { throw ShapeError("features must be at least 1, got \(features)") }
        guard epsilon >= 0 else { throw ShapeError("epsilon must not be negative, got \(epsilon)") }
        var layout = ParameterLayout()
        var convs: [Conv2D<Scalar>] = []
        var c = channels, h = height, w = width
        for f in filters {
            let shape = try ConvShape(inChannels: c, inHeight: h, inWidth: w, outChannels: f,
                                      kernel: kernel, stride: stride, padding: padding)
            convs.append(Conv2D(shape: shape, activation: activation, layout: &layout, parallelism: parallelism))
            (c, h, w) = (f, shape.outHeight, shape.outWidth)
        }
        self.channels = channels
        self.height = height
        self.width = width
        self.parallelism = parallelism
        convolutions = convs
        let last = convs[convs.count - 1].shape
        normalisation = layerNorm
            ? LayerNorm(features: last.outputSize, channels: last.outChannels, epsilon: epsilon,
                        layout: &layout, parallelism: parallelism)
            : nil
        pool = AveragePool(positions: last.positions, channels: last.outChannels, parallelism: parallelism)
        head = Dense(inputs: last.outChannels, outputs: features, layout: &layout)
        store = ParameterStore(count: layout.count)
        for conv in convs { conv.initialize(store, rng: &rng) }
        normalisation?.initialize(store)
        head.initialize(store, rng: &rng)
    }

    public var name: String {
        "convnet(" + convolutions.map { String($0.shape.outChannels) }.joined(separator: ", ")
            + "; \(outputSize))"
    }
    public var inputSize: Int { channels * height * width }
    public var outputSize: Int { head.outputs }
    public var stores: [ParameterStore<Scalar>] { [store] }

    public func forward(_ x: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar> {
        self.rows = rows
        var h = x
        if channels > 1 {
            let t = channelsLast.reserve(rows * inputSize)
            transpose(x, rows: rows, from: channels, height * width, into: t)
            h = UnsafePointer(t)
        } else if !convolutions[0].keepsColumns {
            // A banded first convolution reads its input again in `backward`:
            // it gets a copy the caller cannot change.
            let t = channelsLast.reserve(rows * inputSize)
            t.update(from: x, count: rows * inputSize)
            h = UnsafePointer(t)
        }
        for conv in convolutions { h = conv.forward(store, input: h, rows: rows) }
        if let normalisation { h = normalisation.forward(store, input: h, rows: rows) }
        let p = pool.forward(h, rows: rows)
        pooled = p
        let out = features.reserve(rows * outputSize)
        head.forward(store, input: p, rows: rows, output: out, parallelism: parallelism)
        addBias(out, rows: rows, cols: outputSize, bias: head.bias(store))
        return UnsafePointer(out)
    }

    public func backward(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>?) {
        let widest = convolutions.map { Swift.max($0.shape.inputSize, $0.shape.outputSize) }.max()!
        var d = gradA.reserve(rows * widest), next = gradB.reserve(rows * widest)
        Kernels.columnSums(dOut, rows: rows, cols: outputSize, into: head.biasGrad(store))
        head.backward(store, input: pooled!, rows: rows, dOutput: dOut, dInput: d, parallelism: parallelism)
        pool.backward(d, dInput: next)
        swap(&d, &next)
        if let normalisation {
            normalisation.backward(store, dOutput: d, dInput: next)
            swap(&d, &next)
        }
        for (l, conv) in convolutions.enumerated().reversed() {
            if l > 0 {
                conv.backward(store, dOutput: d, dInput: next)
                swap(&d, &next)
            } else if let dInput {
                let target = channels > 1 ? next : dInput
                conv.backward(store, dOutput: d, dInput: target)
                if channels > 1 { transpose(target, rows: rows, from: height * width, channels, into: dInput) }
            } else {
                conv.backward(store, dOutput: d, dInput: nil)
            }
        }
    }

    /// Forward and backward multiply-adds of the convolutions (padded taps
    /// included, the count profilers report, although `Conv2D` skips the
    /// kernel rows that read only padding) and the linear layer, times 2.
    public func flops(rows: Int) -> Double {
        let macs = convolutions.reduce(0) { $0 + $1.shape.macs } + head.inputs * head.outputs
        return 2 * 3 * Double(macs) * Double(rows)
    }
}

/// Each row's a x b matrix, transposed to b x a (channels-first to
/// channels-last and back).
private func transpose<T: MIScalar>(_ x: UnsafePointer<T>, rows: Int, from a: Int, _ b: Int,
                                    into y: UnsafeMutablePointer<T>) {
    for r in 0..<rows {
        let src = x + r * a * b, dst = y + r * a * b
        for i in 0..<a { for j in 0..<b { dst[j * a + i] = src[i * b + j] } }
    }
}
