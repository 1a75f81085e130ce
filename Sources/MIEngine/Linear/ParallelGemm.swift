/// Large products split into fixed blocks of output rows that run on all
/// cores, each block one single-threaded BLAS call.
///
/// OpenBLAS is kept single-threaded (`BLAS.configure`): its own threads
/// spin and yield between the many small products of a training step and
/// cost more than they save, and they would fight the engine's workers.
/// Splitting the output rows (never the summed dimension) leaves every
/// element's accumulation order unchanged, so results do not depend on the
/// number of cores.
enum ParallelGemm {
    /// Multiply-adds below which a product runs as one call.
    static let threshold = 1 << 22
    /// Output rows (or columns) per block at least: every block repacks the
    /// shared operand, so blocks should not be smaller than they need to be.
    static let minimumBlockRows = 256
    /// Blocks per product at most (a fixed number, not the core count, so
    /// the blocks and hence the results are the same on every machine).
    static let maximumBlocks = 8

    /// C = alpha op(A) op(B) + beta C, row-major, in blocks of rows of C
    /// (or of columns, when C has too few rows to split).
    static func gemm<T: MIScalar>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: T, a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
        beta: T, c: UnsafeMutablePointer<T>, ldc: Int, parallelism: Parallelism
    ) {
        let (rowBlocks, colBlocks) = split(m: m, n: n, k: k)
        if rowBlocks * colBlocks == 1 {
            T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                   b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        let ap = SharedPointer(UnsafeMutablePointer(mutating: a)), cp = SharedPointer(c)
        let bp = SharedPointer(UnsafeMutablePointer(mutating: b))
        if rowBlocks > 1 {
            let per = (m + rowBlocks - 1) / rowBlocks
            parallelism.forEach(rowBlocks) { i in
                let start = i * per, rows = Swift.min(per, m - start)
                if rows <= 0 { return }
                // Rows of op(A): rows of A, or columns of A when transposed.
                let aBlock = transA ? ap.base + start : ap.base + start * lda
                T.gemm(transA: transA, transB: transB, m: rows, n: n, k: k, alpha: alpha, a: aBlock, lda: lda,
                       b: bp.base, ldb: ldb, beta: beta, c: cp.base + start * ldc, ldc: ldc)
            }
        } else {
            let per = (n + colBlocks - 1) / colBlocks
            parallelism.forEach(colBlocks) { j in
                let start = j * per, cols = Swift.min(per, n - start)
                if cols <= 0 { return }
                // Columns of op(B): columns of B, or rows of B when transposed.
                let bBlock = transB ? bp.base + start * ldb : bp.base + start
                T.gemm(transA: transA, transB: transB, m: m, n: cols, k: k, alpha: alpha, a: ap.base, lda: lda,
                       b: bBlock, ldb: ldb, beta: beta, c: cp.base + start, ldc: ldc)
            }
        }
    }

    /// Row and column block counts, functions of the shape only.
    static func split(m: Int, n: Int, k: Int) -> (rows: Int, cols: Int) {
        let macs = m * n * k
        if macs < threshold { return (1, 1) }
        let wanted = Swift.min(macs / threshold, maximumBlocks)
        let byRows = Swift.min(wanted, m / minimumBlockRows)
        if byRows >= 2 { return (byRows, 1) }
        return (1, Swift.max(1, Swift.min(wanted, n / minimumBlockRows)))
    }
}
