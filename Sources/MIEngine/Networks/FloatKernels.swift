import CKernels

/// The C kernels (Sources/CKernels) for the vector width this CPU runs
/// best, behind the Float cases of `RowKernels`, `DropoutKernels` and `Adam`.
///
/// The engine is built for the x86-64 baseline so that a binary runs on
/// any x86-64 CPU; these few loops, where wide vectors pay (Adam's update
/// runs 2x faster with AVX2 than with SSE2), are compiled per width and
/// one set is chosen once, at first use. Each performs the same IEEE
/// operations in the same order as the Swift loop it stands for (no fused
/// multiply-add, sums in order), so the numbers do not depend on the path
/// (`FloatKernelTests` compares every path the CPU runs with the Swift loops).
enum FloatKernels {
    /// The kernels in use.
    static let active: CKKernels = ck_kernels().pointee

    /// The kernels of every path this CPU runs, narrowest first (for tests).
    static var available: [CKKernels] {
        (0..<Int(CK_PATH_COUNT)).compactMap { ck_kernels_for(Int32($0))?.pointee }
    }

    /// Reinterprets a pointer to a generic scalar known to be Float.
    @inline(__always)
    static func f<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    @inline(__always)
    static func f<T>(_ p: UnsafePointer<T>) -> UnsafePointer<Float> {
        UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    /// Reinterprets a scalar known to be Float.
    @inline(__always)
    static func f<T: MIScalar>(_ x: T) -> Float { unsafeBitCast(x, to: Float.self) }
}

/// Which vector width the engine's elementwise kernels use on this CPU.
public enum KernelPath {
    /// `avx512f`, `avx2` or `baseline` (SSE2, any x86-64), as `mi bench` reports it.
    public static var name: String { String(cString: FloatKernels.active.name) }
}

// A table of C function pointers and a name, all pointing at constant data.
extension CKKernels: @retroactive @unchecked Sendable {}
