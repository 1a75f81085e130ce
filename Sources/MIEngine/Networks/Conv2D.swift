/// A 2-D convolution with a bias and an optional nonlinearity, as im2col
/// and one BLAS product per band of output rows, over a place in a
/// parameter store (like `Dense`).
///
/// Weights are a (kernel x kernel x inChannels) x outChannels matrix, rows
/// in (ky, kx, c) order, then the bias; activations are channels-last
/// (`ConvShape`). Kernel rows that would only read padding are left out of
/// the products (`ConvShape.bands`).
///
/// The batch is cut into chunks of samples and the chunks into groups of
/// `chunksPerGroup`, sized by the shape alone; groups run on all cores. A
/// group builds one chunk's im2col matrix for one band at a time in its
/// own buffer (cache-sized) and multiplies it at once; `backward` builds
/// the same matrices again from the input rather than keeping them from
/// `forward` (for 001's second layer they hold 5.7 times the input, and
/// reading them back from memory cost more than gathering them anew). A
/// layer of short patches (one band, such as a first layer's 25 taps of
/// one channel) keeps them instead: they are small, and gathering them is
/// slow next to their short products.
///
/// In `backward` each group sums its weight and bias gradients into its own
/// partial; the partials are added in group order. Chunks and groups
/// depend only on the shape, so the result is the same bit for bit on any
/// number of cores.
public final class Conv2D<T: MIScalar> {
    public let shape: ConvShape
    /// The nonlinearity after the bias, or nil for a linear layer.
    public let activation: Activation?
    public let weightOffset: Int
    public let biasOffset: Int
    public var parallelism: Parallelism

    let bands: [ConvBand]
    /// Samples per chunk.
    let chunkSamples: Int
    /// Chunks per group.
    static var chunksPerGroup: Int { 4 }
    /// Whether `forward` keeps every im2col matrix for `backward` (one band).
    let keepsColumns: Bool
    /// Per group: a chunk's im2col matrix of the widest band.
    private let colBlock: Int
    /// Per group: a chunk's products (or output gradients) of the widest band.
    private let zBlock: Int

    private let col = Scratch<T>()
    private let z = Scratch<T>()
    private let out = Scratch<T>()
    private let partials = Scratch<T>()
    private let dCol = Scratch<T>()
    /// The input of the last forward pass, read again by `backward`.
    private var input: UnsafePointer<T>?
    public private(set) var rows = 0

    public convenience init(shape: ConvShape, activation: Activation?, layout: inout ParameterLayout,
                            parallelism: Parallelism = .allCores) {
        self.init(shape: shape, activation: activation, layout: &layout, parallelism: parallelism, bandedFrom: 256)
    }

    /// `bandedFrom`: the shortest patch whose padding-only kernel rows are
    /// left out (tests set it to cover both ways).
    init(shape: ConvShape, activation: Activation?, layout: inout ParameterLayout, parallelism: Parallelism,
         bandedFrom: Int) {
        self.shape = shape
        self.activation = activation
        self.parallelism = parallelism
        weightOffset = layout.reserve(shape.patchSize * shape.outChannels)
        biasOffset = layout.reserve(shape.outChannels)
        // Short patches (a first layer's few taps) stay one band: their
        // products are already memory-bound, and splitting would shorten them.
        bands = shape.patchSize >= bandedFrom ? shape.bands() : [shape.band(rows: 0..<shape.outHeight)]
        // At most 2^20 im2col entries (4 MiB of Float) per chunk over all
        // bands, and at most 16 samples, so that even short products leave
        // chunks for every core; a power of two, so batches of 2^k split
        // evenly. (For 001's second layer: 16 samples, the widest band's
        // matrix 1.4 MB.)
        let perSample = bands.reduce(0) { $0 + $1.positions * $1.patch }
        var samples = 1
        while samples < 16 && 2 * samples * perSample <= 1 << 20 { samples *= 2 }
        chunkSamples = samples
        colBlock = samples * bands.map { $0.positions * $0.patch }.max()!
        zBlock = samples * bands.map(\.positions).max()! * shape.outChannels
        keepsColumns = bands.count == 1
    }

    public var parameterCount: Int { shape.patchSize * shape.outChannels + shape.outChannels }
    /// im2col entries per sample (padding-only kernel rows left out).
    var colPerSample: Int { bands.reduce(0) { $0 + $1.positions * $1.patch } }

    /// Glorot-uniform weights with the fans of a convolution, U(-l, l) with
    /// l = sqrt(6 / (k^2 inC + k^2 outC)) (the TensorFlow default), zero bias.
    public func initialize(_ store: ParameterStore<T>, rng: inout RNG) {
        let kk = shape.kernel * shape.kernel
        let limit = (6.0 / Double(kk * (shape.inChannels + shape.outChannels))).squareRoot()
        let w = store.values.baseAddress! + weightOffset
        for i in 0..<(shape.patchSize * shape.outChannels) { w[i] = T((2 * rng.uniform() - 1) * limit) }
        for c in 0..<shape.outChannels { store.values[biasOffset + c] = 0 }
    }

    /// The output of the last `forward` (rows x outputSize, channels-last).
    public var output: UnsafePointer<T> { UnsafePointer(out.pointer) }

    /// Convolves `rows` samples (rows x inputSize, channels-last); the result
    /// (rows x outputSize) stays valid until the next call. `backward` of a
    /// banded layer reads `input` again: it must stay valid and unchanged until then.
    @discardableResult
    public func forward(_ store: ParameterStore<T>, input: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        self.rows = rows
        self.input = input
        let oc = shape.outChannels, single = bands.count == 1
        let chunks = chunkRanges(rows), groups = groupCount(chunks.count)
        let colBase = SharedPointer(col.reserve(keepsColumns ? rows * colPerSample : groups * colBlock))
        let outBase = SharedPointer(out.reserve(rows * shape.outputSize))
        let zBase = SharedPointer(single ? outBase.base : z.reserve(groups * zBlock))
        let inBase = SharedPointer(UnsafeMutablePointer(mutating: input))
        let w = SharedPointer(store.values.baseAddress! + weightOffset)
        let biasP = SharedPointer(store.values.baseAddress! + biasOffset)
        parallelism.forEach(groups) { g in
            for ci in self.chunks(of: g, count: chunks.count) {
                let samples = chunks[ci]
                let c = self.columns(colBase.base, group: g, samples: samples)
                for band in self.bands {
                    let m = samples.count * band.positions
                    Im2Col.gather(UnsafePointer(inBase.base), shape: self.shape, band: band, samples: samples, into: c)
                    // One band: the product's rows are the output's rows, so it
                    // writes the output and the bias and activation apply in place.
                    let zb = single ? outBase.base + samples.lowerBound * self.shape.outputSize : zBase.base + g * self.zBlock
                    T.gemm(transA: false, transB: false, m: m, n: oc, k: band.patch,
                           alpha: 1, a: c, lda: band.patch, b: w.base + band.weightRow * oc, ldb: oc,
                           beta: 0, c: zb, ldc: oc)
                    for (i, n) in samples.enumerated() {
                        let src = zb + i * band.positions * oc
                        let dst = outBase.base + n * self.shape.outputSize + band.firstPosition * oc
                        for p in 0..<band.positions {
                            Self.addBias(dst + p * oc, UnsafePointer(src + p * oc), biasP.base, oc, self.activation)
                        }
                    }
                }
            }
        }
        return UnsafePointer(outBase.base)
    }

    /// Backpropagates `dOut` (rows x outputSize) through the last `forward`:
    /// weight and bias gradients accumulate into `store.grads`; the input
    /// gradient is written to `dInput` when given.
    public func backward(_ store: ParameterStore<T>, dOutput: UnsafePointer<T>, dInput: UnsafeMutablePointer<T>?) {
        guard let input else { preconditionFailure("backward before forward") }
        let rows = self.rows, oc = shape.outChannels
        let paramCount = parameterCount
        let chunks = chunkRanges(rows), groups = groupCount(chunks.count)
        let partialBase = SharedPointer(partials.reserve(groups * paramCount))
        let colBase = SharedPointer(keepsColumns ? col.pointer : col.reserve(groups * colBlock))
        let dColBase = SharedPointer(dCol.reserve(dInput == nil ? 1 : groups * colBlock))
        let zBase = SharedPointer(z.reserve(groups * zBlock))
        let inBase = SharedPointer(UnsafeMutablePointer(mutating: input))
        let outBase = SharedPointer(out.pointer)
        let dOutBase = SharedPointer(UnsafeMutablePointer(mutating: dOutput))
        let dIn = dInput.map(SharedPointer.init)
        let w = SharedPointer(store.values.baseAddress! + weightOffset)
        parallelism.forEach(groups) { g in
            let pW = partialBase.base + g * paramCount
            let pB = pW + self.shape.patchSize * oc
            let dz = zBase.base + g * self.zBlock
            pW.update(repeating: 0, count: paramCount)
            for ci in self.chunks(of: g, count: chunks.count) {
                let samples = chunks[ci]
                let c = self.columns(colBase.base, group: g, samples: samples)
                if let dIn {
                    (dIn.base + samples.lowerBound * self.shape.inputSize)
                        .update(repeating: 0, count: samples.count * self.shape.inputSize)
                }
                for band in self.bands {
                    let m = samples.count * band.positions
                    // The band's output gradients, times act' (from the output), summed into the bias's.
                    for (i, n) in samples.enumerated() {
                        let at = n * self.shape.outputSize + band.firstPosition * oc
                        let d = dz + i * band.positions * oc
                        d.update(from: dOutBase.base + at, count: band.positions * oc)
                        if let act = self.activation {
                            for p in 0..<band.positions {
                                RowKernels.maskAccumulate(d + p * oc, outBase.base + at + p * oc, oc, act, pB)
                            }
                        } else {
                            for p in 0..<band.positions { RowKernels.addTo(pB, d + p * oc, oc) }
                        }
                    }
                    if !self.keepsColumns {
                        Im2Col.gather(UnsafePointer(inBase.base), shape: self.shape, band: band, samples: samples, into: c)
                    }
                    T.gemm(transA: true, transB: false, m: band.patch, n: oc, k: m, alpha: 1, a: c, lda: band.patch,
                           b: dz, ldb: oc, beta: 1, c: pW + band.weightRow * oc, ldc: oc)
                    if let dIn {
                        let dc = dColBase.base + g * self.colBlock
                        T.gemm(transA: false, transB: true, m: m, n: band.patch, k: oc, alpha: 1, a: dz, lda: oc,
                               b: w.base + band.weightRow * oc, ldb: oc, beta: 0, c: dc, ldc: band.patch)
                        Im2Col.scatterAdd(dc, shape: self.shape, band: band, samples: samples, into: dIn.base)
                    }
                }
            }
        }
        addPartials(partials.pointer, groups: groups, count: paramCount,
                    into: store.grads.baseAddress! + weightOffset, parallelism: parallelism)
    }

    /// Consecutive chunks of `chunkSamples` samples (the last may be shorter).
    func chunkRanges(_ rows: Int) -> [Range<Int>] {
        stride(from: 0, to: rows, by: chunkSamples).map { $0..<Swift.min($0 + chunkSamples, rows) }
    }

    private func groupCount(_ chunks: Int) -> Int { (chunks + Self.chunksPerGroup - 1) / Self.chunksPerGroup }

    /// Where the im2col matrix of a chunk goes: its place in the whole
    /// batch's when they are kept, else the group's buffer.
    @inline(__always)
    private func columns(_ base: UnsafeMutablePointer<T>, group g: Int, samples: Range<Int>) -> UnsafeMutablePointer<T> {
        keepsColumns ? base + samples.lowerBound * colPerSample : base + g * colBlock
    }

    /// The chunks of group `g`.
    @inline(__always)
    private func chunks(of g: Int, count: Int) -> Range<Int> {
        (g * Self.chunksPerGroup)..<Swift.min((g + 1) * Self.chunksPerGroup, count)
    }

    /// dst = act(src + bias), or src + bias; dst may be src.
    @inline(__always)
    private static func addBias(_ dst: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>, _ bias: UnsafePointer<T>,
                                _ n: Int, _ act: Activation?) {
        if let act {
            RowKernels.addActivate(dst, src, bias, n, act)
        } else {
            if UnsafePointer(dst) != src { dst.update(from: src, count: n) }
            RowKernels.addTo(dst, bias, n)
        }
    }
}

/// out[i] += sum over groups g, in order, of partial[g * count + i], the sum
/// taken in Double. Elementwise, so its blocks may run anywhere.
func addPartials<T: MIScalar>(_ partial: UnsafePointer<T>, groups: Int, count: Int,
                              into out: UnsafeMutablePointer<T>, parallelism: Parallelism) {
    let p = SharedPointer(UnsafeMutablePointer(mutating: partial)), o = SharedPointer(out)
    let work = groups * count < 1 << 16 ? Parallelism.serial : parallelism
    work.forEachChunk(count, chunk: 1 << 14) { range in
        for i in range {
            var total = 0.0
            for g in 0..<groups { total += Double(p.base[g * count + i]) }
            o.base[i] += T(total)
        }
    }
}
