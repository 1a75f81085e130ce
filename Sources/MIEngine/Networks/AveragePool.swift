/// Spatial average pooling over all pixels (global average pooling): a
/// channels-last sample of `positions` pixels x `channels` becomes the
/// `channels` means over its pixels (001 sec. 3.3's ConvNet, between the
/// layer normalisation and the linear layer). No parameters.
public final class AveragePool<T: MIScalar> {
    public let positions: Int
    public let channels: Int
    public var parallelism: Parallelism

    private let out = Scratch<T>()
    public private(set) var rows = 0

    public init(positions: Int, channels: Int, parallelism: Parallelism = .allCores) {
        precondition(positions > 0 && channels > 0, "pooling needs at least one pixel and one channel")
        self.positions = positions
        self.channels = channels
        self.parallelism = parallelism
    }

    public var inputSize: Int { positions * channels }

    /// Rows per parallel chunk: fixed by the row width alone.
    private var chunkRows: Int { Swift.max(1, (1 << 15) / inputSize) }

    /// y[c] = (1/P) sum_p x[p, c], summed in pixel order. The result (rows x
    /// channels) stays valid until the next call.
    @discardableResult
    public func forward(_ input: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        self.rows = rows
        let p = positions, ch = channels, scale = 1 / T(positions)
        let x = SharedPointer(UnsafeMutablePointer(mutating: input)), y = SharedPointer(out.reserve(rows * ch))
        let work = rows * inputSize < Kernels.parallelThreshold ? Parallelism.serial : parallelism
        work.forEachChunk(rows, chunk: chunkRows) { range in
            for r in range {
                let o = y.base + r * ch
                let row = x.base + r * p * ch
                o.update(from: row, count: ch)
                for q in 1..<p { RowKernels.addTo(o, row + q * ch, ch) }
                for c in 0..<ch { o[c] *= scale }
            }
        }
        return UnsafePointer(y.base)
    }

    /// dx[p, c] = dy[c] / P for the rows of the last `forward`.
    public func backward(_ dOutput: UnsafePointer<T>, dInput: UnsafeMutablePointer<T>) {
        let p = positions, ch = channels, scale = 1 / T(positions)
        let dy = SharedPointer(UnsafeMutablePointer(mutating: dOutput)), dx = SharedPointer(dInput)
        let work = rows * inputSize < Kernels.parallelThreshold ? Parallelism.serial : parallelism
        work.forEachChunk(rows, chunk: chunkRows) { range in
            for r in range {
                let first = dx.base + r * p * ch, g = dy.base + r * ch
                for c in 0..<ch { first[c] = g[c] * scale }
                for q in 1..<p { (first + q * ch).update(from: first, count: ch) }
            }
        }
    }
}
