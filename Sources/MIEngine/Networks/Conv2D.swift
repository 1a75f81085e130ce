/// A 2-D convolution with a bias and an optional nonlinearity, as im2col
/// and one BLAS product per band of output rows, over a place in a
/// parameter store (like `Dense`).
///
/// Weights are a (kernel x kernel x inChannels) x outChannels matrix, rows
/// in (ky, kx, c) order, then the bias; activations are channels-last
/// (`ConvShape`). The batch is cut into chunks of samples, sized by the
/// shape alone so that a chunk's im2col matrix stays cache-sized (OpenBLAS
/// runs these products near its peak; with a 5 MB operand, at half of it),
/// and chunks run on all cores. Kernel rows that would only read padding
/// are left out of the products (`ConvShape.bands`).
///
/// `backward` runs over groups of consecutive chunks, each group summing its
/// weight and bias gradients into its own partial; the partials are added
/// in group order. Chunks and groups depend only on the shape, so the
/// result is the same bit for bit on any number of cores.
public final class Conv2D<T: MIScalar> {
    public let shape: ConvShape
    /// The nonlinearity after the bias, or nil for a linear layer.
    public let activation: Activation?
    public let weightOffset: Int
    public let biasOffset: Int
    public var parallelism: Parallelism

    let bands: [ConvBand]
    /// Per band, its im2col columns times pixels per sample, summed over the
    /// bands before it: where the band starts in `col`, per batch row.
    private let colPrefix: [Int]
    /// Samples per chunk.
    let chunkSamples: Int
    /// Chunks per backward group.
    static var chunksPerGroup: Int { 4 }

    /// The im2col matrices of the last forward pass (band by band, each
    /// holding every sample), kept for the weight gradient.
    private let col = Scratch<T>()
    /// The products before the bias (unless there is one band), then the
    /// output gradients, in the same band-major order as `col`.
    private let z = Scratch<T>()
    private let out = Scratch<T>()
    private let partials = Scratch<T>()
    private let dCol = Scratch<T>()
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
        var prefix: [Int] = [], sum = 0
        for b in bands {
            prefix.append(sum)
            sum += b.positions * b.patch
        }
        colPrefix = prefix
        // At most 2^20 im2col entries (4 MiB of Float) per chunk, and at
        // most 16 samples, so that even short products leave chunks for
        // every core; a power of two, so batches of 2^k split evenly. (For
        // 001's second layer: 16 samples, a 2.3 MB matrix; 8 samples ran
        // about 7% slower, 32 no faster.)
        let perSample = bands.reduce(0) { $0 + $1.positions * $1.patch }
        var samples = 1
        while samples < 16 && 2 * samples * perSample <= 1 << 20 { samples *= 2 }
        chunkSamples = samples
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
    /// (rows x outputSize) stays valid until the next call.
    @discardableResult
    public func forward(_ store: ParameterStore<T>, input: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        self.rows = rows
        let oc = shape.outChannels
        let single = bands.count == 1
        let colBase = SharedPointer(col.reserve(rows * colPerSample))
        let outBase = SharedPointer(out.reserve(rows * shape.outputSize))
        // One band: the product's rows are the output's rows, so it writes
        // the output and the bias and activation apply in place.
        let zBase = single ? outBase : SharedPointer(z.reserve(rows * shape.outputSize))
        let inBase = SharedPointer(UnsafeMutablePointer(mutating: input))
        let w = SharedPointer(store.values.baseAddress! + weightOffset)
        let bias = UnsafePointer(store.values.baseAddress! + biasOffset)
        let biasP = SharedPointer(UnsafeMutablePointer(mutating: bias))
        let chunks = chunkRanges(rows)
        parallelism.forEach(chunks.count) { ci in
            let samples = chunks[ci]
            for (b, band) in self.bands.enumerated() {
                let c = colBase.base + self.colOffset(b, sample: samples.lowerBound, rows: rows)
                let zb = zBase.base + self.zOffset(band, sample: samples.lowerBound, rows: rows)
                Im2Col.gather(UnsafePointer(inBase.base), shape: self.shape, band: band, samples: samples, into: c)
                T.gemm(transA: false, transB: false, m: samples.count * band.positions, n: oc, k: band.patch,
                       alpha: 1, a: c, lda: band.patch, b: w.base + band.weightRow * oc, ldb: oc,
                       beta: 0, c: zb, ldc: oc)
                for (i, n) in samples.enumerated() {
                    for p in 0..<band.positions {
                        let src = zb + (i * band.positions + p) * oc
                        let dst = outBase.base + n * self.shape.outputSize + (band.firstPosition + p) * oc
                        Self.addBias(dst, UnsafePointer(src), biasP.base, oc, self.activation)
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
        let rows = self.rows, oc = shape.outChannels
        let paramCount = parameterCount
        let chunks = chunkRanges(rows)
        let groups = (chunks.count + Self.chunksPerGroup - 1) / Self.chunksPerGroup
        let widestBlock = bands.map { chunkSamples * $0.positions * $0.patch }.max()!
        let partialBase = SharedPointer(partials.reserve(groups * paramCount))
        let dColBase = SharedPointer(dCol.reserve(dInput == nil ? 1 : groups * widestBlock))
        let colBase = SharedPointer(col.pointer), outBase = SharedPointer(out.pointer)
        let zBase = SharedPointer(z.reserve(rows * shape.outputSize))
        let dOutBase = SharedPointer(UnsafeMutablePointer(mutating: dOutput))
        let dIn = dInput.map(SharedPointer.init)
        let w = SharedPointer(store.values.baseAddress! + weightOffset)
        parallelism.forEach(groups) { g in
            let pW = partialBase.base + g * paramCount
            let pB = pW + self.shape.patchSize * oc
            pW.update(repeating: 0, count: paramCount)
            for ci in (g * Self.chunksPerGroup)..<Swift.min((g + 1) * Self.chunksPerGroup, chunks.count) {
                let samples = chunks[ci]
                if let dIn { (dIn.base + samples.lowerBound * self.shape.inputSize).update(repeating: 0, count: samples.count * self.shape.inputSize) }
                for (b, band) in self.bands.enumerated() {
                    let m = samples.count * band.positions
                    let dz = zBase.base + self.zOffset(band, sample: samples.lowerBound, rows: rows)
                    for (i, n) in samples.enumerated() {
                        for p in 0..<band.positions {
                            let at = n * self.shape.outputSize + (band.firstPosition + p) * oc
                            let d = dz + (i * band.positions + p) * oc
                            d.update(from: dOutBase.base + at, count: oc)
                            if let act = self.activation {
                                RowKernels.maskAccumulate(d, outBase.base + at, oc, act, pB)
                            } else {
                                RowKernels.addTo(pB, d, oc)
                            }
                        }
                    }
                    let c = colBase.base + self.colOffset(b, sample: samples.lowerBound, rows: rows)
                    T.gemm(transA: true, transB: false, m: band.patch, n: oc, k: m, alpha: 1, a: c, lda: band.patch,
                           b: dz, ldb: oc, beta: 1, c: pW + band.weightRow * oc, ldc: oc)
                    if let dIn {
                        let dc = dColBase.base + g * widestBlock
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

    @inline(__always)
    private func colOffset(_ b: Int, sample n: Int, rows: Int) -> Int {
        rows * colPrefix[b] + n * bands[b].positions * bands[b].patch
    }

    @inline(__always)
    private func zOffset(_ band: ConvBand, sample n: Int, rows: Int) -> Int {
        (rows * band.firstPosition + n * band.positions) * shape.outChannels
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
