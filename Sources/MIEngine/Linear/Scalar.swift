import CBLAS
import Foundation

/// The floating-point types the engine computes in: `Float` for training,
/// `Double` for gradient checks and ground-truth analysis.
///
/// Layer code is written once, generic over `MIScalar`; the BLAS routine is
/// picked by the conforming type (`sgemm` or `dgemm`). The protocol asks for
/// only the elementary functions the activations need: refining
/// swift-numerics' `Real` instead made specialised loops call libm's `sqrtf`
/// (errno semantics) for `squareRoot()`, which blocks vectorisation.
public protocol MIScalar: BinaryFloatingPoint, Sendable
where Self.RawSignificand: FixedWidthInteger {
    /// e^x - 1, accurate near 0.
    static func expMinusOne(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self

    /// C = alpha * op(A) * op(B) + beta * C on row-major buffers.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// y = alpha * op(A) * x + beta * y on a row-major matrix.
    static func gemv(
        transA: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
}

@inline(__always)
private func trans(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: MIScalar {
    @inline(__always) public static func expMinusOne(_ x: Float) -> Float { Foundation.expm1(x) }
    @inline(__always) public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }

    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = BLAS.configured
        cblas_sgemm(CblasRowMajor, trans(transA), trans(transB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    @inline(__always)
    public static func gemv(
        transA: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(CblasRowMajor, trans(transA), Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, 1, beta, y, 1)
    }
}

extension Double: MIScalar {
    @inline(__always) public static func expMinusOne(_ x: Double) -> Double { Foundation.expm1(x) }
    @inline(__always) public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }

    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        _ = BLAS.configured
        cblas_dgemm(CblasRowMajor, trans(transA), trans(transB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    @inline(__always)
    public static func gemv(
        transA: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(CblasRowMajor, trans(transA), Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, 1, beta, y, 1)
    }
}

/// Process-wide BLAS settings.
public enum BLAS {
    /// OpenBLAS runs single-threaded; the engine spreads large products over
    /// the cores itself (`ParallelGemm`), in pieces fixed by shape.
    static let configured: Void = { openblas_set_num_threads(1) }()

    /// Runs `body` with OpenBLAS's own threading at `n` threads (the
    /// benchmark's peak measurement), then returns to one thread.
    public static func withThreads<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
        _ = configured
        openblas_set_num_threads(Int32(max(1, n)))
        defer { openblas_set_num_threads(1) }
        return try body()
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's build description (core type, threading model).
    public static var configuration: String { String(cString: openblas_get_config()) }
}
