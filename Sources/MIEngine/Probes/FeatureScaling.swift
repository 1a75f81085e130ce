/// Per-column standardisation fitted on training features: x -> (x - mean) / sd,
/// as scikit-learn's `StandardScaler` (population standard deviation; a
/// constant column keeps scale 1, so it maps to 0).
///
/// The probes do not standardise by default, as scikit-learn's
/// `LogisticRegression` does not: the L2 penalty then acts on the raw
/// features' weights, and the raw-pixel baseline matches scikit-learn's.
/// Standardising changes the objective (the penalty acts on the weights of
/// standardised features), so it is an option, not an internal detail.
public struct FeatureScaling: Sendable, Equatable {
    /// Column means of the training features.
    public let mean: [Double]
    /// Column standard deviations (1 for a constant column).
    public let scale: [Double]

    /// The means and standard deviations of `features`' columns, summed in
    /// Double in row order.
    public init<T: MIScalar>(fitting features: Matrix<T>) {
        let n = features.rows, d = features.cols
        var sum = [Double](repeating: 0, count: d)
        features.storage.withUnsafeBufferPointer { x in
            for r in 0..<n { for j in 0..<d { sum[j] += Double(x[r * d + j]) } }
        }
        let mean = sum.map { $0 / Double(Swift.max(n, 1)) }
        var squares = [Double](repeating: 0, count: d)
        features.storage.withUnsafeBufferPointer { x in
            for r in 0..<n {
                for j in 0..<d {
                    let v = Double(x[r * d + j]) - mean[j]
                    squares[j] += v * v
                }
            }
        }
        self.mean = mean
        scale = squares.map { s in
            let sd = (s / Double(Swift.max(n, 1))).squareRoot()
            return sd > 0 ? sd : 1
        }
    }

    /// `features` standardised column by column (same width as fitted).
    public func apply<T: MIScalar>(_ features: Matrix<T>) -> Matrix<T> {
        precondition(features.cols == mean.count, "scaling fitted on \(mean.count) columns, given \(features.cols)")
        var out = features
        let d = features.cols
        out.storage.withUnsafeMutableBufferPointer { x in
            for r in 0..<features.rows {
                for j in 0..<d { x[r * d + j] = T((Double(x[r * d + j]) - mean[j]) / scale[j]) }
            }
        }
        return out
    }
}
