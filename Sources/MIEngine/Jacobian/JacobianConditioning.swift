/// How invertible an encoder is near given inputs: the condition number
/// sigma_max / sigma_min of its Jacobian (001 sec. 3.1: by the implicit
/// function theorem g is locally invertible where J is non-singular, and
/// numerically harder to invert the larger the ratio; Fig. 2c and
/// Appendix F Fig. 5 follow its distribution over 128 sampled inputs
/// during training).
///
/// The singular values come from LAPACK's dgesvd (OpenBLAS) in Double: the
/// Float Jacobian is widened first, so the decomposition adds no error of
/// its own to the Jacobian's Float rounding (relative to sigma_max about
/// 1e-7, which bounds the condition numbers a Float encoder can resolve
/// at about 1e7). Each input's decomposition is independent and
/// single-threaded, so several run at once when allowed and the bits do
/// not depend on the number of cores.
///
/// For an m x n Jacobian with m != n there are min(m, n) singular values
/// and the ratio is over those: for an encoder that narrows (the MLP
/// 392 -> 100 of 001 sec. 3.2) it measures how evenly g stretches the
/// 100 directions it keeps, not invertibility, which a map to fewer
/// dimensions never has.
public enum JacobianConditioning {
    /// The condition number of g's Jacobian at each row of `inputs`, in row order.
    public static func conditionNumbers(of encoder: FloatEncoder, at inputs: Matrix<Float>,
                                        parallelism: Parallelism = .allCores) -> [Double] {
        let saved = encoder.parallelism
        encoder.parallelism = parallelism
        defer { encoder.parallelism = saved }
        return compute(encoder, inputs: inputs, parallelism: parallelism)
    }

    /// The condition numbers for any encoder (tests run it in Double).
    public static func conditionNumbers<T: MIScalar>(of encoder: any FeatureEncoder<T>, at inputs: Matrix<T>,
                                                     parallelism: Parallelism = .allCores) -> [Double] {
        let saved = encoder.parallelism
        encoder.parallelism = parallelism
        defer { encoder.parallelism = saved }
        return compute(GenericEncoderPass(encoder: encoder), inputs: inputs, parallelism: parallelism)
    }

    /// sigma_max / sigma_min of a matrix: infinite when sigma_min is 0
    /// (a singular Jacobian), NaN when an entry is not finite.
    public static func conditionNumber<T: MIScalar>(_ matrix: Matrix<T>) -> Double {
        if matrix.storage.contains(where: { !$0.isFinite }) { return .nan }
        return conditionNumber(singularValues: matrix.converted(to: Double.self).singularValues)
    }

    /// sigma_max / sigma_min of singular values (in any order): infinite
    /// when the smallest is 0, NaN when there are none.
    public static func conditionNumber(singularValues s: [Double]) -> Double {
        guard let largest = s.max(), let smallest = s.min() else { return .nan }
        if smallest.isNaN || largest.isNaN { return .nan }
        return smallest > 0 ? largest / smallest : .infinity
    }

    private static func compute<E: EncoderPass>(_ e: E, inputs: Matrix<E.Scalar>,
                                                parallelism: Parallelism) -> [Double] {
        var out = [Double](repeating: .nan, count: inputs.rows)
        let m = e.outputSize, n = e.inputSize
        var done = 0
        out.withUnsafeMutableBufferPointer { buffer in
            let results = SharedPointer(buffer.baseAddress!)
            EncoderJacobian.forEachGroup(e, inputs: inputs) { group, count in
                let source = UncheckedBox(group)
                let offset = done
                parallelism.forEach(count) { i in
                    let start = source.value + i * m * n
                    let j = Matrix(rows: m, cols: n, storage: Array(UnsafeBufferPointer(start: start, count: m * n)))
                    results.base[offset + i] = conditionNumber(j)
                }
                done += count
            }
        }
        return out
    }
}

/// The distribution of condition numbers over sampled inputs as 001
/// Fig. 2c draws it: its 0th, 20th, ..., 100th percentiles.
public struct ConditionSummary: Sendable, Equatable {
    /// The percentiles reported (001 Fig. 2c: 0, 20, ..., 100).
    public static let levels: [Double] = [0, 20, 40, 60, 80, 100]

    /// One condition number per sampled input, in input order.
    public let conditionNumbers: [Double]
    /// The percentiles at `levels` (`Percentile.linear`).
    public let percentiles: [Double]

    public init(_ conditionNumbers: [Double]) {
        self.conditionNumbers = conditionNumbers
        percentiles = Self.levels.map { Percentile.linear(conditionNumbers, $0) }
    }

    /// "cond_p0", "cond_p20", ..., "cond_p100" with their percentiles.
    public var metrics: [String: Double] {
        var out: [String: Double] = [:]
        for (level, value) in zip(Self.levels, percentiles) { out["cond_p\(Int(level))"] = value }
        return out
    }
}

/// Percentiles of a sample.
public enum Percentile {
    /// The q-th percentile (0...100) by linear interpolation between order
    /// statistics, numpy's default (`method='linear'`, Hyndman & Fan type
    /// 7): with the values sorted v_0 <= ... <= v_{n-1} and h = (n - 1) q / 100,
    /// v_floor(h) + (h - floor(h)) (v_floor(h)+1 - v_floor(h)). Infinite
    /// values (singular Jacobians) sort last and an interpolation toward
    /// one is infinite, where numpy gives NaN beyond the first (inf - inf);
    /// any NaN, or no values, gives NaN.
    public static func linear(_ values: [Double], _ q: Double) -> Double {
        precondition(q >= 0 && q <= 100, "a percentile lies in 0...100, got \(q)")
        if values.isEmpty || values.contains(where: \.isNaN) { return .nan }
        let v = values.sorted()
        let h = Double(v.count - 1) * q / 100
        let lo = Int(h.rounded(.down)), fraction = h - Double(lo)
        if fraction == 0 || lo + 1 >= v.count { return v[lo] }
        let (a, b) = (v[lo], v[lo + 1])
        if b == .infinity { return .infinity }
        return a + fraction * (b - a)
    }
}
