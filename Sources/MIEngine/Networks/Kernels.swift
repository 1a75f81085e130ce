import Dispatch

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
    static func forEachChunk(rows: Int, cols: Int, _ body: (Int, Range<Int>) -> Void) {
        let cs = chunks(rows: rows, cols: cols)
        if rows * cols < parallelThreshold || cs.count < 2 {
            for (i, r) in cs.enumerated() { body(i, r) }
        } else {
            withoutActuallyEscaping(body) { b in
                let box = UncheckedBox(b)
                DispatchQueue.concurrentPerform(iterations: cs.count) { i in box.value(i, cs[i]) }
            }
        }
    }

    /// z[r, c] = act(z[r, c] + bias[c]) in place.
    static func addBiasActivate<T: MIScalar>(
        _ z: UnsafeMutablePointer<T>, rows: Int, cols: Int,
        bias: UnsafePointer<T>, activation: Activation
    ) {
        let zs = SharedPointer(z), bs = SharedPointer(UnsafeMutablePointer(mutating: bias))
        forEachChunk(rows: rows, cols: cols) { _, range in
            for r in range {
                let row = zs.base + r * cols
                switch activation {
                case .relu:
                    for c in 0..<cols { let v = row[c] + bs.base[c]; row[c] = v > 0 ? v : 0 }
                default:
                    for c in 0..<cols { row[c] = activation.apply(row[c] + bs.base[c]) }
                }
            }
        }
    }

    /// d[r, c] *= act'(a[r, c]) in place, and dBias[c] += sum_r d[r, c].
    static func activationBackward<T: MIScalar>(
        _ d: UnsafeMutablePointer<T>, activations a: UnsafePointer<T>, rows: Int, cols: Int,
        activation: Activation, dBias: UnsafeMutablePointer<T>
    ) {
        let ds = SharedPointer(d), as_ = SharedPointer(UnsafeMutablePointer(mutating: a))
        let cs = chunks(rows: rows, cols: cols)
        var partial = [Double](repeating: 0, count: cs.count * cols)
        partial.withUnsafeMutableBufferPointer { pb in
            let ps = SharedPointer(pb.baseAddress!)
            forEachChunk(rows: rows, cols: cols) { ci, range in
                let acc = ps.base + ci * cols
                for r in range {
                    let drow = ds.base + r * cols, arow = as_.base + r * cols
                    switch activation {
                    case .relu:
                        for c in 0..<cols {
                            let v: T = arow[c] > 0 ? drow[c] : 0
                            drow[c] = v
                            acc[c] += Double(v)
                        }
                    default:
                        for c in 0..<cols {
                            let v = drow[c] * activation.derivative(output: arow[c])
                            drow[c] = v
                            acc[c] += Double(v)
                        }
                    }
                }
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

    /// Adds per-chunk partial sums, chunk by chunk in order.
    static func addChunkSums<T: MIScalar>(
        _ partial: [Double], chunks: Int, cols: Int, into out: UnsafeMutablePointer<T>
    ) {
        var total = [Double](repeating: 0, count: cols)
        for ci in 0..<chunks { for c in 0..<cols { total[c] += partial[ci * cols + c] } }
        for c in 0..<cols { out[c] += T(total[c]) }
    }
}

/// Carries a non-Sendable closure into `concurrentPerform`; the closures
/// passed here write disjoint memory only.
struct UncheckedBox<V>: @unchecked Sendable {
    let value: V
    init(_ v: V) { value = v }
}
