/// Elementwise passes over activation matrices, split into row chunks that
/// run on all cores.
///
/// Chunk boundaries depend only on the matrix shape, never on the number of
/// threads, and reductions add the per-chunk partial sums in chunk order, so
/// the result is the same bit for bit however many threads run.
enum Kernels {
    /// Elements per chunk: large enough to amortise dispatch, small enough
    /// for a chunk to stay in L2.
    static let chunkElements = 32 * 1024
    /// Below this many elements a pass runs on the calling thread.
    static let parallelThreshold = 128 * 1024

    /// Fixed row chunks of a `rows x cols` matrix.
    static func chunks(rows: Int, cols: Int) -> [Range<Int>] {
        let per = max(1, chunkElements / max(cols, 1))
        return stride(from: 0, to: rows, by: per).map { $0..<min($0 + per, rows) }
    }

    /// Runs `body` once per chunk, in parallel when the pass is large.
    static func forEachChunk(rows: Int, cols: Int, parallelism: Parallelism, _ body: (Int, Range<Int>) -> Void) {
        let cs = chunks(rows: rows, cols: cols)
        if rows * cols < parallelThreshold {
            for (i, r) in cs.enumerated() { body(i, r) }
        } else {
            parallelism.forEach(cs.count) { body($0, cs[$0]) }
        }
    }

    /// z[r, c] = act(z[r, c] + bias[c]) in place.
    static func addBiasActivate<T: MIScalar>(
        _ z: UnsafeMutablePointer<T>, rows: Int, cols: Int,
        bias: UnsafePointer<T>, activation: Activation, parallelism: Parallelism
    ) {
        let zs = SharedPointer(z), bs = SharedPointer(UnsafeMutablePointer(mutating: bias))
        forEachChunk(rows: rows, cols: cols, parallelism: parallelism) { _, range in
            for r in range {
                let row = zs.base + r * cols
                RowKernels.addActivate(row, row, bs.base, cols, activation)
            }
        }
    }

    /// d[r, c] *= act'(a[r, c]) in place, and dBias[c] += sum_r d[r, c].
    static func activationBackward<T: MIScalar>(
        _ d: UnsafeMutablePointer<T>, activations a: UnsafePointer<T>, rows: Int, cols: Int,
        activation: Activation, dBias: UnsafeMutablePointer<T>, parallelism: Parallelism
    ) {
        let ds = SharedPointer(d), as_ = SharedPointer(UnsafeMutablePointer(mutating: a))
        rowsWithBiasSums(rows: rows, cols: cols, dBias: dBias, parallelism: parallelism) { r, partial in
            RowKernels.maskAccumulate(ds.base + r * cols, as_.base + r * cols, cols, activation, partial)
        }
    }

    /// Runs `row(r, partial)` for every row r, chunks of rows in parallel,
    /// each chunk accumulating its column sums into its own `partial` row;
    /// the chunk sums are then added into `dBias` in chunk order, so the
    /// result does not depend on the core count. The skeleton of every
    /// backward pass through a layer's elementwise part.
    @inline(__always)
    static func rowsWithBiasSums<T: MIScalar>(
        rows: Int, cols: Int, dBias: UnsafeMutablePointer<T>, parallelism: Parallelism,
        _ row: (Int, UnsafeMutablePointer<T>) -> Void
    ) {
        let cs = chunks(rows: rows, cols: cols)
        var partial = [T](repeating: 0, count: cs.count * cols)
        partial.withUnsafeMutableBufferPointer { pb in
            let ps = SharedPointer(pb.baseAddress!)
            forEachChunk(rows: rows, cols: cols, parallelism: parallelism) { ci, range in
                for r in range { row(r, ps.base + ci * cols) }
            }
        }
        addChunkSums(partial, chunks: cs.count, cols: cols, into: dBias)
    }

    /// dBias[c] += sum_r d[r, c].
    static func columnSums<T: MIScalar>(
        _ d: UnsafePointer<T>, rows: Int, cols: Int, into dBias: UnsafeMutablePointer<T>
    ) {
        var acc = [Double](repeating: 0, count: cols)
        for r in 0..<rows {
            let row = d + r * cols
            for c in 0..<cols { acc[c] += Double(row[c]) }
        }
        for c in 0..<cols { dBias[c] += T(acc[c]) }
    }

    /// Adds per-chunk partial sums into `out`, chunk by chunk in order, in Double.
    static func addChunkSums<T: MIScalar>(
        _ partial: [T], chunks: Int, cols: Int, into out: UnsafeMutablePointer<T>
    ) {
        var total = [Double](repeating: 0, count: cols)
        for ci in 0..<chunks { for c in 0..<cols { total[c] += Double(partial[ci * cols + c]) } }
        for c in 0..<cols { out[c] += T(total[c]) }
    }
}

