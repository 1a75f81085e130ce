/// An MLP read as a classifier: its outputs are class logits, its loss the
/// softmax cross-entropy (`SoftmaxRows`), the objective of the MLP probe.
///
/// `lossAndGradient` is one minibatch of training: the mean cross-entropy
/// of the rows and its exact gradient in the network's store (the residual
/// softmax - onehot, divided by the rows, backpropagated; no input
/// gradient). `score` and `predict` read many rows in fixed chunks, with
/// losses summed in Double in row order, so they are the same bits on any
/// number of cores.
final class SoftmaxNetwork<T: MIScalar> {
    let network: MLP<T>
    private let residual = Scratch<T>()
    private let columnSums = Scratch<Double>()

    /// Rows per forward pass of `score` and `predict`.
    static var chunkRows: Int { 1024 }

    init(_ network: MLP<T>) { self.network = network }

    var classes: Int { network.outputSize }

    /// The mean cross-entropy of `rows` rows of `x` with `labels`; the
    /// store's gradients are overwritten with its gradient.
    func lossAndGradient(_ x: UnsafePointer<T>, labels: UnsafePointer<Int>, rows: Int) -> Double {
        let k = classes
        let z = network.forward(x, rows: rows)
        let r = residual.reserve(rows * k)
        r.update(from: z, count: rows * k)
        let sums = columnSums.reserve(k)
        sums.update(repeating: 0, count: k)
        let loss = SoftmaxRows.lossAndResidual(r, rows: rows, classes: k, labels: labels,
                                               scale: 1 / Double(rows), columnSums: sums)
        network.store.zeroGrad()
        network.backward(r, dInput: nil)
        return loss / Double(rows)
    }

    /// The summed cross-entropy of every row of `x` and how many rows the
    /// largest logit classifies correctly.
    func score(_ x: Matrix<T>, labels: [Int]) -> (loss: Double, correct: Int) {
        precondition(x.rows == labels.count && x.cols == network.inputSize, "checked by the probe")
        var loss = 0.0, correct = 0
        let k = classes, chunk = Self.chunkRows
        var predicted = [Int](repeating: 0, count: Swift.min(chunk, x.rows))
        x.storage.withUnsafeBufferPointer { xp in
            labels.withUnsafeBufferPointer { yp in
                predicted.withUnsafeMutableBufferPointer { pp in
                    for start in stride(from: 0, to: x.rows, by: chunk) {
                        let rows = Swift.min(chunk, x.rows - start)
                        let z = network.forward(xp.baseAddress! + start * x.cols, rows: rows)
                        loss += SoftmaxRows.loss(z, rows: rows, classes: k, labels: yp.baseAddress! + start)
                        SoftmaxRows.argmax(z, rows: rows, classes: k, into: pp.baseAddress!)
                        for r in 0..<rows where pp[r] == yp[start + r] { correct += 1 }
                    }
                }
            }
        }
        return (loss, correct)
    }

    /// The class with the largest logit for each row of `x` (the first on a tie).
    func predict(_ x: Matrix<T>) -> [Int] {
        precondition(x.cols == network.inputSize, "checked by the probe")
        var out = [Int](repeating: 0, count: x.rows)
        let chunk = Self.chunkRows
        x.storage.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for start in stride(from: 0, to: x.rows, by: chunk) {
                    let rows = Swift.min(chunk, x.rows - start)
                    let z = network.forward(xp.baseAddress! + start * x.cols, rows: rows)
                    SoftmaxRows.argmax(z, rows: rows, classes: classes, into: op.baseAddress! + start)
                }
            }
        }
        return out
    }
}
