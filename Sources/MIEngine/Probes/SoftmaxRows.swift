import Foundation

/// Softmax cross-entropy over rows of logits, the loss of both probes.
///
/// For logits z (one row, C classes) and label y:
///
///     loss = log sum_c exp(z_c) - z_y = m + log sum_c exp(z_c - m) - z_y,  m = max_c z_c
///     d loss / d z_c = softmax(z)_c - [c == y]
///
/// Shifting by the row maximum keeps every exponential in (0, 1], so no
/// logit overflows. The arithmetic is in Double whatever the logits' type:
/// the exponentials are a small part of a probe's cost next to its
/// products, and the loss is summed in Double anyway.
enum SoftmaxRows {
    /// Overwrites each of `rows` rows of `z` (`classes` wide) with
    /// `scale * (softmax(z) - onehot(label))`, adds the rows' sum of that
    /// residual to `columnSums` (in Double) and returns the rows' summed
    /// loss, summed in row order.
    static func lossAndResidual<T: MIScalar>(
        _ z: UnsafeMutablePointer<T>, rows: Int, classes: Int, labels: UnsafePointer<Int>,
        scale: Double = 1, columnSums: UnsafeMutablePointer<Double>
    ) -> Double {
        var total = 0.0
        let e = UnsafeMutablePointer<Double>.allocate(capacity: classes)
        defer { e.deallocate() }
        for r in 0..<rows {
            let row = z + r * classes
            var m = -Double.infinity
            for c in 0..<classes { m = Swift.max(m, Double(row[c])) }
            var sum = 0.0
            for c in 0..<classes {
                let v = Foundation.exp(Double(row[c]) - m)
                e[c] = v
                sum += v
            }
            let y = labels[r]
            total += m + Foundation.log(sum) - Double(row[y])
            let inverse = 1 / sum
            for c in 0..<classes {
                let residual = e[c] * inverse - (c == y ? 1 : 0)
                columnSums[c] += scale * residual
                row[c] = T(scale * residual)
            }
        }
        return total
    }

    /// The summed loss of `rows` rows of logits, without residuals.
    static func loss<T: MIScalar>(_ z: UnsafePointer<T>, rows: Int, classes: Int, labels: UnsafePointer<Int>) -> Double {
        var total = 0.0
        for r in 0..<rows {
            let row = z + r * classes
            var m = -Double.infinity
            for c in 0..<classes { m = Swift.max(m, Double(row[c])) }
            var sum = 0.0
            for c in 0..<classes { sum += Foundation.exp(Double(row[c]) - m) }
            total += m + Foundation.log(sum) - Double(row[labels[r]])
        }
        return total
    }

    /// The index of each row's largest entry (the first, on a tie).
    static func argmax<T: MIScalar>(_ z: UnsafePointer<T>, rows: Int, classes: Int, into out: UnsafeMutablePointer<Int>) {
        for r in 0..<rows {
            let row = z + r * classes
            var best = 0
            for c in 1..<Swift.max(classes, 1) where row[c] > row[best] { best = c }
            out[r] = best
        }
    }
}
