/// The exact Jacobian J(x) = d g(x) / d x of an encoder at given inputs,
/// from its own backward pass (001 sec. 3.1 analyses J of g1).
///
/// Row o of J(x) is the input gradient of the o-th feature, so one
/// backward pass gives all of J: the input row x is repeated m =
/// outputSize times, run forward, and the m x m identity is backpropagated
/// as d loss / d features; the input gradient (m x n) is then J(x), row o
/// being d g_o / d x. Encoders treat rows independently (no batch
/// statistics), so each repeated row sees x alone.
///
/// The repeated rows of all inputs form one long sequence, m per input,
/// cut into passes of at most `chunkRows` rows so that memory stays that
/// of one pass's activations: several inputs per pass when m is small, an
/// input spread over several passes when m exceeds `chunkRows`. The cut
/// depends only on the shapes, so the same inputs give the same bits on
/// any number of cores. The backward passes also accumulate parameter
/// gradients (the encoders always do); the stores' gradients are saved
/// before and restored after, so the computation leaves the encoder's
/// parameters and gradients as it found them (its forward buffers hold the
/// last pass).
public enum EncoderJacobian {
    /// Rows per forward and backward pass (the chunk of
    /// `RepresentationTrainer.encode`, whose activations the trainer's
    /// probes already hold in memory).
    public static let chunkRows = RepresentationTrainer.encodeChunk

    /// J at each row of `inputs` (rows x encoder.inputSize): one
    /// outputSize x inputSize matrix per input, row o holding d g_o / d x.
    public static func jacobians(of encoder: FloatEncoder, at inputs: Matrix<Float>,
                                 parallelism: Parallelism = .allCores) -> [Matrix<Float>] {
        let saved = encoder.parallelism
        encoder.parallelism = parallelism
        defer { encoder.parallelism = saved }
        return collect(encoder, inputs: inputs, chunkRows: chunkRows)
    }

    /// J at each row of `inputs`, for any encoder (gradient checks run it in Double).
    public static func jacobians<T: MIScalar>(of encoder: any FeatureEncoder<T>, at inputs: Matrix<T>,
                                              parallelism: Parallelism = .allCores) -> [Matrix<T>] {
        let saved = encoder.parallelism
        encoder.parallelism = parallelism
        defer { encoder.parallelism = saved }
        return collect(GenericEncoderPass(encoder: encoder), inputs: inputs, chunkRows: chunkRows)
    }

    /// `chunkRows` rows per pass (tests use small ones to cut inputs across passes).
    static func collect<E: EncoderPass>(_ e: E, inputs: Matrix<E.Scalar>, chunkRows: Int) -> [Matrix<E.Scalar>] {
        var out: [Matrix<E.Scalar>] = []
        out.reserveCapacity(inputs.rows)
        let size = e.outputSize * e.inputSize
        forEachGroup(e, inputs: inputs, chunkRows: chunkRows) { group, count in
            for i in 0..<count {
                out.append(Matrix(rows: e.outputSize, cols: e.inputSize,
                                  storage: Array(UnsafeBufferPointer(start: group + i * size, count: size))))
            }
        }
        return out
    }

    /// Computes the Jacobians of consecutive groups of inputs, in input
    /// order, and hands each group to `body(jacobians, inputsInGroup)`;
    /// the group's Jacobians lie one after another (m x n each, row-major)
    /// and stay valid only during the call. A group holds
    /// max(1, chunkRows / m) inputs, so its Jacobians take about
    /// chunkRows x n values. The passes run with the encoder's parallelism.
    static func forEachGroup<E: EncoderPass>(
        _ e: E, inputs: Matrix<E.Scalar>, chunkRows: Int = EncoderJacobian.chunkRows,
        _ body: (UnsafePointer<E.Scalar>, Int) -> Void
    ) {
        precondition(chunkRows >= 1, "a pass needs at least one row")
        typealias T = E.Scalar
        let n = e.inputSize, m = e.outputSize, count = inputs.rows
        precondition(inputs.cols == n, "the encoder reads \(n) values per row, the inputs have \(inputs.cols)")
        if count == 0 { return }
        let perGroup = Swift.max(1, chunkRows / m)
        let groupCapacity = Swift.min(perGroup, count)
        let passRows = Swift.min(chunkRows, groupCapacity * m)
        let jacobians = UnsafeMutablePointer<T>.allocate(capacity: groupCapacity * m * n)
        let x = UnsafeMutablePointer<T>.allocate(capacity: passRows * n)
        let dOut = UnsafeMutablePointer<T>.allocate(capacity: passRows * m)
        let dIn = UnsafeMutablePointer<T>.allocate(capacity: passRows * n)
        defer {
            jacobians.deallocate()
            x.deallocate()
            dOut.deallocate()
            dIn.deallocate()
        }
        let saved = e.stores.map { Array($0.grads.prefix($0.count)) }
        defer {
            for (store, grads) in zip(e.stores, saved) {
                grads.withUnsafeBufferPointer { store.grads.baseAddress!.update(from: $0.baseAddress!, count: store.count) }
            }
        }

        inputs.storage.withUnsafeBufferPointer { source in
            let src = source.baseAddress!
            for first in stride(from: 0, to: count, by: perGroup) {
                let inGroup = Swift.min(perGroup, count - first)
                let total = inGroup * m
                for start in stride(from: 0, to: total, by: passRows) {
                    let rows = Swift.min(passRows, total - start)
                    dOut.update(repeating: 0, count: rows * m)
                    for r in 0..<rows {
                        let (input, feature) = (start + r).quotientAndRemainder(dividingBy: m)
                        (x + r * n).update(from: src + (first + input) * n, count: n)
                        dOut[r * m + feature] = 1
                    }
                    _ = e.forward(x, rows: rows)
                    e.backward(dOut, dInput: dIn)
                    // Row start + r of the group's sequence is row `feature` of J(input).
                    (jacobians + start * n).update(from: dIn, count: rows * n)
                }
                body(jacobians, inGroup)
            }
        }
    }
}
