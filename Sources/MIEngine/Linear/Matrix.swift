/// A dense row-major matrix with value semantics.
///
/// The storage is a flat array, so layers can hand `withUnsafe...` pointers
/// straight to BLAS (the llm.c style: flat buffers, explicit shapes).
public struct Matrix<T: MIScalar>: Equatable, Sendable {
    public private(set) var rows: Int
    public private(set) var cols: Int
    public var storage: [T]

    /// A `rows x cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: T = 0) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape")
        self.rows = rows
        self.cols = cols
        self.storage = [T](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major storage.
    public init(rows: Int, cols: Int, storage: [T]) {
        precondition(storage.count == rows * cols, "storage does not match shape \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A matrix from nested rows (all of the same length).
    public init(_ nested: [[T]]) {
        let c = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: nested.count, cols: c, storage: nested.flatMap { $0 })
    }

    public var count: Int { storage.count }

    @inlinable
    public subscript(i: Int, j: Int) -> T {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    /// Row `i` as a new array.
    public func row(_ i: Int) -> [T] { Array(storage[(i * cols)..<((i + 1) * cols)]) }

    /// The rows at `indices`, in that order.
    public func gatherRows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, cols: cols)
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < rows, "row index \(i) out of range 0..<\(rows)")
                    for j in 0..<cols { dst[r * cols + j] = src[i * cols + j] }
                }
            }
        }
        return out
    }

    /// The transpose.
    public var transposed: Matrix {
        var out = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { out.storage[j * rows + i] = storage[i * cols + j] } }
        return out
    }

    /// The same values in another precision.
    public func converted<U: MIScalar>(to _: U.Type = U.self) -> Matrix<U> {
        Matrix<U>(rows: rows, cols: cols, storage: storage.map { U($0) })
    }

    /// Columns `range` as a new matrix.
    public func columns(_ range: Range<Int>) -> Matrix {
        var out = Matrix(rows: rows, cols: range.count)
        for i in 0..<rows {
            for (jj, j) in range.enumerated() { out.storage[i * range.count + jj] = storage[i * cols + j] }
        }
        return out
    }

    /// `[self, other]` side by side (same number of rows).
    public func hconcat(_ other: Matrix) -> Matrix {
        precondition(rows == other.rows, "hconcat of \(rows) and \(other.rows) rows")
        var out = Matrix(rows: rows, cols: cols + other.cols)
        for i in 0..<rows {
            for j in 0..<cols { out.storage[i * out.cols + j] = storage[i * cols + j] }
            for j in 0..<other.cols { out.storage[i * out.cols + cols + j] = other.storage[i * other.cols + j] }
        }
        return out
    }

    /// Matrix product `op(self) * op(other)` through BLAS.
    public func matmul(_ other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
        let m = transposeSelf ? cols : rows
        let k = transposeSelf ? rows : cols
        let k2 = transposeOther ? other.cols : other.rows
        let n = transposeOther ? other.rows : other.cols
        precondition(k == k2, "matmul inner dimensions \(k) and \(k2) differ")
        var out = Matrix(rows: m, cols: n)
        if m == 0 || n == 0 { return out }
        if k == 0 { return out }
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                out.storage.withUnsafeMutableBufferPointer { c in
                    T.gemm(transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k,
                           alpha: 1, a: a.baseAddress!, lda: cols,
                           b: b.baseAddress!, ldb: other.cols,
                           beta: 0, c: c.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }
}
