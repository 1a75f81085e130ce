import Foundation

/// Layer normalisation (Ba et al. 2016, sec. 3): each row's `features`
/// values are standardised by their own mean and variance, then scaled and
/// shifted by a learned gain and bias.
///
/// For a convolutional activation (channels-last, `features` = pixels x
/// channels) the statistics are taken over every pixel and channel of the
/// sample, as Ba et al. do for all the summed inputs of a layer, and the
/// gain and bias are per channel, shared by the pixels (TensorFlow's
/// `layer_norm` on an NHWC tensor, which 001 sec. 3.3's ConvNet applies
/// before its spatial average pooling; with it the ConvNet has 001's 220k
/// parameters). A row never sees another row: no information leaks within
/// a batch, unlike batch normalisation (001 footnote 9).
///
/// Forward: mu = mean(x), var = mean((x - mu)^2), xhat = (x - mu) / sqrt(var + eps),
/// y = gain[c] xhat + bias[c]. Statistics are summed in Double. (001's code
/// divides by std + 1e-6 instead; for activations of unit scale the two
/// differ by about 1e-5 relative.)
public final class LayerNorm<T: MIScalar> {
    /// Values normalised together (one row).
    public let features: Int
    /// Gains and biases; value i of a row uses channel i mod channels.
    public let channels: Int
    public let epsilon: Double
    public let gainOffset: Int
    public let biasOffset: Int
    public var parallelism: Parallelism

    private let xhat = Scratch<T>()
    private let out = Scratch<T>()
    /// 1 / sqrt(var + eps) per row.
    private let inverseStd = Scratch<T>()
    private let partials = Scratch<T>()
    public private(set) var rows = 0

    public init(features: Int, channels: Int, epsilon: Double = 1e-5, layout: inout ParameterLayout,
                parallelism: Parallelism = .allCores) {
        precondition(features > 0 && channels > 0 && features % channels == 0,
                     "layer norm over \(features) values cannot share \(channels) channels")
        precondition(epsilon >= 0, "epsilon must not be negative")
        self.features = features
        self.channels = channels
        self.epsilon = epsilon
        self.parallelism = parallelism
        gainOffset = layout.reserve(channels)
        biasOffset = layout.reserve(channels)
    }

    public var parameterCount: Int { 2 * channels }

    /// Gain 1, bias 0: the plain standardisation.
    public func initialize(_ store: ParameterStore<T>) {
        for c in 0..<channels {
            store.values[gainOffset + c] = 1
            store.values[biasOffset + c] = 0
        }
    }

    /// Rows per parallel chunk: fixed by the row width alone.
    private var chunkRows: Int { Swift.max(1, (1 << 15) / features) }

    /// Normalises `rows` rows (rows x features); the result stays valid until the next call.
    @discardableResult
    public func forward(_ store: ParameterStore<T>, input: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        self.rows = rows
        let f = features, ch = channels, eps = epsilon
        let xIn = SharedPointer(UnsafeMutablePointer(mutating: input))
        let xh = SharedPointer(xhat.reserve(rows * f)), y = SharedPointer(out.reserve(rows * f))
        let inv = SharedPointer(inverseStd.reserve(rows))
        let gain = SharedPointer(store.values.baseAddress! + gainOffset)
        let bias = SharedPointer(store.values.baseAddress! + biasOffset)
        let work = rows * f < Kernels.parallelThreshold ? Parallelism.serial : parallelism
        work.forEachChunk(rows, chunk: chunkRows) { range in
            for r in range {
                let x = xIn.base + r * f, h = xh.base + r * f, o = y.base + r * f
                let mean = Self.sum(x, f) / Double(f)
                let s = 1 / (Self.squaredDeviations(x, f, from: mean) / Double(f) + eps).squareRoot()
                inv.base[r] = T(s)
                Self.normalise(x, h, o, f, ch, T(mean), T(s), gain.base, bias.base)
            }
        }
        return UnsafePointer(y.base)
    }

    /// h = (x - mu) s; o = gain[c] h + bias[c], channels repeating along the row.
    @inline(__always)
    private static func normalise(_ x: UnsafePointer<T>, _ h: UnsafeMutablePointer<T>, _ o: UnsafeMutablePointer<T>,
                                  _ f: Int, _ ch: Int, _ mu: T, _ s: T,
                                  _ gain: UnsafePointer<T>, _ bias: UnsafePointer<T>) {
        for p in 0..<(f / ch) {
            let at = p * ch
            normaliseRow(x + at, h + at, o + at, ch, mu, s, gain, bias)
        }
    }

    @inline(__always)
    private static func normaliseRow(_ x: UnsafePointer<T>, _ h: UnsafeMutablePointer<T>, _ o: UnsafeMutablePointer<T>,
                                     _ n: Int, _ mu: T, _ s: T, _ gain: UnsafePointer<T>, _ bias: UnsafePointer<T>) {
        for c in 0..<n {
            let v = (x[c] - mu) * s
            h[c] = v
            o[c] = gain[c] * v + bias[c]
        }
    }

    /// pGain[c] += dy xhat, pBias[c] += dy, o = dy gain[c], channels repeating along the row.
    @inline(__always)
    private static func gainGradients(_ d: UnsafePointer<T>, _ h: UnsafePointer<T>, _ o: UnsafeMutablePointer<T>,
                                      _ f: Int, _ ch: Int, _ gain: UnsafePointer<T>,
                                      _ pGain: UnsafeMutablePointer<T>, _ pBias: UnsafeMutablePointer<T>) {
        for p in 0..<(f / ch) {
            let at = p * ch
            gainRow(d + at, h + at, o + at, ch, gain, pGain, pBias)
        }
    }

    @inline(__always)
    private static func gainRow(_ d: UnsafePointer<T>, _ h: UnsafePointer<T>, _ o: UnsafeMutablePointer<T>, _ n: Int,
                                _ gain: UnsafePointer<T>, _ pGain: UnsafeMutablePointer<T>, _ pBias: UnsafeMutablePointer<T>) {
        for c in 0..<n {
            let dv = d[c]
            pGain[c] += dv * h[c]
            pBias[c] += dv
            o[c] = dv * gain[c]
        }
    }

    /// o = s (o - meanG - xhat meanGH).
    @inline(__always)
    private static func inputGradient(_ o: UnsafeMutablePointer<T>, _ h: UnsafePointer<T>, _ f: Int,
                                      _ meanG: T, _ meanGH: T, _ s: T) {
        for j in 0..<f { o[j] = s * (o[j] - meanG - h[j] * meanGH) }
    }

    // Sums in Double over eight interleaved partial sums, added in a fixed
    // order at the end: the same bits on every machine, and no chain of
    // dependent additions (a single running sum waits on each add's latency).

    @inline(__always)
    static func sum(_ x: UnsafePointer<T>, _ n: Int) -> Double {
        lanes(n) { Double(x[$0]) }
    }

    @inline(__always)
    static func dot(_ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ n: Int) -> Double {
        lanes(n) { Double(x[$0] * y[$0]) }
    }

    @inline(__always)
    static func squaredDeviations(_ x: UnsafePointer<T>, _ n: Int, from mean: Double) -> Double {
        lanes(n) {
            let d = Double(x[$0]) - mean
            return d * d
        }
    }

    @inline(__always)
    private static func lanes(_ n: Int, _ term: (Int) -> Double) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
        var i = 0
        while i + 8 <= n {
            s0 += term(i); s1 += term(i + 1); s2 += term(i + 2); s3 += term(i + 3)
            s4 += term(i + 4); s5 += term(i + 5); s6 += term(i + 6); s7 += term(i + 7)
            i += 8
        }
        while i < n {
            s0 += term(i)
            i += 1
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    }

    /// Backpropagates `dOut` (rows x features) through the last `forward`:
    /// gain and bias gradients accumulate into `store.grads`; the input
    /// gradient is written to `dInput`.
    ///
    /// With g = dy gain: dx = s (g - mean(g) - xhat mean(g xhat)) (Ba et al.'s
    /// normalisation differentiated through its own mean and variance).
    public func backward(_ store: ParameterStore<T>, dOutput: UnsafePointer<T>, dInput: UnsafeMutablePointer<T>) {
        let rows = self.rows, f = features, ch = channels
        let chunk = chunkRows
        let chunks = (rows + chunk - 1) / chunk
        let dy = SharedPointer(UnsafeMutablePointer(mutating: dOutput)), dx = SharedPointer(dInput)
        let xh = SharedPointer(xhat.pointer), inv = SharedPointer(inverseStd.pointer)
        let gain = SharedPointer(store.values.baseAddress! + gainOffset)
        // Per chunk: dGain then dBias.
        let part = SharedPointer(partials.reserve(chunks * 2 * ch))
        let work = rows * f < Kernels.parallelThreshold ? Parallelism.serial : parallelism
        work.forEach(chunks) { ci in
            let pGain = part.base + ci * 2 * ch, pBias = pGain + ch
            pGain.update(repeating: 0, count: 2 * ch)
            for r in (ci * chunk)..<Swift.min((ci + 1) * chunk, rows) {
                let d = dy.base + r * f, h = xh.base + r * f, o = dx.base + r * f
                // o holds g = dy gain while the two means are summed.
                Self.gainGradients(d, h, o, f, ch, gain.base, pGain, pBias)
                let meanG = T(Self.sum(UnsafePointer(o), f) / Double(f))
                let meanGH = T(Self.dot(UnsafePointer(o), h, f) / Double(f))
                Self.inputGradient(o, h, f, meanG, meanGH, inv.base[r])
            }
        }
        addPartials(partials.pointer, groups: chunks, count: 2 * ch, into: store.grads.baseAddress! + gainOffset,
                    parallelism: parallelism)
    }
}
