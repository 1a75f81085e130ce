/// The geometry of a 2-D convolution with a square kernel, the same stride
/// in both directions and zero padding on every side.
///
/// Activations are channels-last: one sample is `height x width x channels`
/// row-major, so the channels of a pixel are contiguous (an im2col patch row
/// is then a few contiguous runs, one per kernel row).
public struct ConvShape: Sendable, Equatable, CustomStringConvertible {
    public let inChannels: Int
    public let inHeight: Int
    public let inWidth: Int
    public let outChannels: Int
    public let kernel: Int
    public let stride: Int
    public let padding: Int

    public init(inChannels: Int, inHeight: Int, inWidth: Int, outChannels: Int,
                kernel: Int, stride: Int = 1, padding: Int = 0) throws(ShapeError) {
        for (name, v) in [("input channels", inChannels), ("input height", inHeight), ("input width", inWidth),
                          ("output channels", outChannels), ("kernel", kernel), ("stride", stride)] where v < 1 {
            throw ShapeError("\(name) must be at least 1, got \(v)")
        }
        guard padding >= 0 && padding < kernel else {
            throw ShapeError("padding must be in 0..<kernel (\(kernel)), got \(padding)")
        }
        guard inHeight + 2 * padding >= kernel && inWidth + 2 * padding >= kernel else {
            throw ShapeError("a \(kernel)x\(kernel) kernel does not fit a \(inHeight)x\(inWidth) input padded by \(padding)")
        }
        self.inChannels = inChannels
        self.inHeight = inHeight
        self.inWidth = inWidth
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
    }

    /// floor((H + 2p - k) / s) + 1.
    public var outHeight: Int { (inHeight + 2 * padding - kernel) / stride + 1 }
    public var outWidth: Int { (inWidth + 2 * padding - kernel) / stride + 1 }
    /// Output pixels per sample.
    public var positions: Int { outHeight * outWidth }
    public var inputSize: Int { inChannels * inHeight * inWidth }
    public var outputSize: Int { outChannels * positions }
    /// Inputs under one kernel placement (a row of the im2col matrix).
    public var patchSize: Int { kernel * kernel * inChannels }
    /// Multiply-adds of the dense convolution per sample, padded taps included
    /// (the count profilers report for a convolution).
    public var macs: Int { positions * patchSize * outChannels }

    public var description: String {
        "conv(\(inChannels)x\(inHeight)x\(inWidth) -> \(outChannels)x\(outHeight)x\(outWidth), "
            + "\(kernel)x\(kernel) stride \(stride) padding \(padding))"
    }

    /// The kernel rows that land inside the input for output row `oy`.
    func validKernelRows(_ oy: Int) -> Range<Int> {
        let top = oy * stride - padding
        return Swift.max(0, -top)..<Swift.min(kernel, inHeight - top)
    }

    /// Output rows grouped into bands of consecutive rows whose kernels cover
    /// the same input rows; a band's products skip the kernel rows that would
    /// only ever read padding (for 001's second layer, a 7x14 input with a
    /// 5x5 kernel, stride 2, padding 2: 20% of the multiply-adds).
    func bands() -> [ConvBand] {
        var out: [ConvBand] = []
        var start = 0
        while start < outHeight {
            let ky = validKernelRows(start)
            var end = start + 1
            while end < outHeight && validKernelRows(end) == ky { end += 1 }
            out.append(ConvBand(rows: start..<end, kernelRows: ky, shape: self))
            start = end
        }
        return out
    }
}

extension ConvShape {
    /// Output rows `rows` as one band over every kernel row (padding included).
    func band(rows: Range<Int>) -> ConvBand {
        ConvBand(rows: rows, kernelRows: 0..<kernel, shape: self)
    }
}

/// Output rows `rows` of a convolution, all reading kernel rows `kernelRows`:
/// their im2col matrix has `patch` columns (those kernel rows only) and
/// multiplies the weight rows from `weightRow` on.
struct ConvBand: Sendable {
    let rows: Range<Int>
    let kernelRows: Range<Int>
    /// Output pixels of the band per sample.
    let positions: Int
    /// The first output pixel of the band within a sample.
    let firstPosition: Int
    /// Columns of the band's im2col matrix.
    let patch: Int
    /// The band's first row of the (patchSize x outChannels) weight matrix.
    let weightRow: Int

    init(rows: Range<Int>, kernelRows: Range<Int>, shape: ConvShape) {
        self.rows = rows
        self.kernelRows = kernelRows
        positions = rows.count * shape.outWidth
        firstPosition = rows.lowerBound * shape.outWidth
        patch = kernelRows.count * shape.kernel * shape.inChannels
        weightRow = kernelRows.lowerBound * shape.kernel * shape.inChannels
    }
}

/// A layer or encoder shape that cannot be built, with the reason.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
