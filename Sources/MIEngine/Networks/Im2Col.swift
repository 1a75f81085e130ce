/// The im2col matrix of a convolution band and its transpose, col2im.
///
/// Row (n, oy, ox) of a band's matrix holds the inputs under the kernel
/// placed at output pixel (oy, ox) of sample n, for the band's kernel rows
/// only, in (ky, kx, c) order: with channels-last inputs each kernel row is
/// one contiguous run of the input, zero-padded at the left and right edges
/// (and all zero when a band keeps a kernel row that lies in the padding).
/// The convolution is then one product with the weight rows of those kernel
/// rows (Chellapilla et al. 2006).
enum Im2Col {
    /// Writes the band's rows for `samples` into `col` (consecutive rows,
    /// `band.patch` columns each, samples in order). `input` points at the
    /// whole batch (rows x shape.inputSize, channels-last).
    static func gather<T: MIScalar>(_ input: UnsafePointer<T>, shape: ConvShape, band: ConvBand,
                                    samples: Range<Int>, into col: UnsafeMutablePointer<T>) {
        let c = shape.inChannels, k = shape.kernel, w = shape.inWidth
        var row = col
        for n in samples {
            let sample = input + n * shape.inputSize
            for oy in band.rows {
                let top = oy * shape.stride - shape.padding
                for ox in 0..<shape.outWidth {
                    let left = ox * shape.stride - shape.padding
                    let lo = Swift.max(0, -left), hi = Swift.min(k, w - left)
                    var dst = row
                    for ky in band.kernelRows {
                        let iy = top + ky
                        if iy >= 0 && iy < shape.inHeight {
                            copyKernelRow(dst, sample + (iy * w + left + lo) * c, lo: lo, hi: hi, kernel: k, channels: c)
                        } else {
                            dst.update(repeating: 0, count: k * c)
                        }
                        dst += k * c
                    }
                    row += band.patch
                }
            }
        }
    }

    /// Adds the band's rows for `samples` (as `gather` lays them out) back
    /// onto the input pixels they were read from: dInput += col2im(col).
    static func scatterAdd<T: MIScalar>(_ col: UnsafePointer<T>, shape: ConvShape, band: ConvBand,
                                        samples: Range<Int>, into dInput: UnsafeMutablePointer<T>) {
        let c = shape.inChannels, k = shape.kernel, w = shape.inWidth
        var row = col
        for n in samples {
            let sample = dInput + n * shape.inputSize
            for oy in band.rows {
                let top = oy * shape.stride - shape.padding
                for ox in 0..<shape.outWidth {
                    let left = ox * shape.stride - shape.padding
                    let lo = Swift.max(0, -left), hi = Swift.min(k, w - left)
                    var src = row
                    for ky in band.kernelRows {
                        let iy = top + ky
                        if iy >= 0 && iy < shape.inHeight {
                            RowKernels.addTo(sample + (iy * w + left + lo) * c, src + lo * c, (hi - lo) * c)
                        }
                        src += k * c
                    }
                    row += band.patch
                }
            }
        }
    }

    /// dst[0..<k*c] = one kernel row: kernel columns lo..<hi from `src`
    /// (the input pixel under column lo), zero in the padding.
    @inline(__always)
    private static func copyKernelRow<T: MIScalar>(_ dst: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>,
                                                   lo: Int, hi: Int, kernel k: Int, channels c: Int) {
        if k * c <= 16 {
            // A few values (a first layer's one channel): a loop, not three library calls.
            let a = lo * c, b = hi * c
            for j in 0..<a { dst[j] = 0 }
            for j in a..<b { dst[j] = src[j - a] }
            for j in b..<(k * c) { dst[j] = 0 }
            return
        }
        if lo > 0 { dst.update(repeating: 0, count: lo * c) }
        (dst + lo * c).update(from: src, count: (hi - lo) * c)
        if hi < k { (dst + hi * c).update(repeating: 0, count: (k - hi) * c) }
    }
}
