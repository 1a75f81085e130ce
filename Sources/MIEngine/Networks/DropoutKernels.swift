/// The passes of a hidden layer under dropout, fused with its bias and
/// nonlinearity like the plain ones in `RowKernels` and `Kernels`.
///
/// With z the pre-activation, a = act(z) and s the mask scale of a unit
/// (1/(1-p) if kept, 0 if dropped), the layer passes h = s a on. Backward
/// needs dL/dz = dL/dh * s act'(z), so the forward pass overwrites the mask
/// buffer with the per-unit Jacobian J = s act'(z) (act' taken from a, as
/// in `Activation`). The activation buffer then holds h, which is what the
/// next layer's products read in both passes, and backward is one multiply
/// by J: exact for the mask drawn, with nothing recomputed. A ReLU unit
/// that is dropped or inactive has J = 0.
enum DropoutKernels {
    /// With m[c] = s on entry: o[c] = s act(a[c] + b[c]), m[c] = s act'.
    /// `o` may be `a`.
    ///
    /// Two passes over the row (it stays in L1): the plain `addActivate`,
    /// then the mask, each a loop over few enough pointers to vectorise.
    @inline(__always)
    static func addActivate<T: MIScalar>(_ o: UnsafeMutablePointer<T>, _ a: UnsafePointer<T>,
                                         _ b: UnsafePointer<T>, _ n: Int, _ act: Activation,
                                         _ m: UnsafeMutablePointer<T>) {
        RowKernels.addActivate(o, a, b, n, act)
        applyMask(o, m, n, act)
    }

    /// With a[c] = act(z) and m[c] = s on entry: a[c] = s a[c], m[c] = s act'.
    @inline(__always)
    static func applyMask<T: MIScalar>(_ a: UnsafeMutablePointer<T>, _ m: UnsafeMutablePointer<T>, _ n: Int,
                                       _ act: Activation) {
        if T.self == Float.self && act == .relu {
            FloatKernels.active.reluApplyMask(FloatKernels.f(a), FloatKernels.f(m), n)
        } else if act == .relu {
            for c in 0..<n {
                let v = a[c], s = m[c]
                let on: T = v > 0 ? 1 : 0
                a[c] = v * s
                m[c] = s * on
            }
        } else {
            for c in 0..<n {
                let v = a[c], s = m[c]
                a[c] = v * s
                m[c] = s * act.derivative(output: v)
            }
        }
    }

    /// As `addActivate` in place over z, returning sum_c h[c] w[c] (the
    /// 1-unit output layer, accumulated in order as `RowKernels.addActivateDot`).
    @inline(__always)
    static func addActivateDot<T: MIScalar>(_ z: UnsafeMutablePointer<T>, _ b: UnsafePointer<T>,
                                            _ w: UnsafePointer<T>, _ n: Int, _ act: Activation,
                                            _ m: UnsafeMutablePointer<T>) -> T {
        addActivate(z, z, b, n, act, m)
        return RowKernels.dot(z, w, n)
    }

    /// d[c] *= j[c] and acc[c] += d[c] (`RowKernels.maskAccumulate` with J).
    @inline(__always)
    static func multiplyAccumulate<T: MIScalar>(_ d: UnsafeMutablePointer<T>, _ j: UnsafePointer<T>, _ n: Int,
                                                _ acc: UnsafeMutablePointer<T>) {
        if T.self == Float.self {
            FloatKernels.active.multiplyAccumulate(FloatKernels.f(d), FloatKernels.f(j), n, FloatKernels.f(acc))
            return
        }
        for c in 0..<n {
            let v = d[c] * j[c]
            d[c] = v
            acc[c] += v
        }
    }

    /// accA[c] += v and accB[c] += v with v = d[c] j[c]
    /// (`RowKernels.maskAccumulateTwice` with J).
    @inline(__always)
    static func multiplyAccumulateTwice<T: MIScalar>(_ d: UnsafePointer<T>, _ j: UnsafePointer<T>, _ n: Int,
                                                     _ accA: UnsafeMutablePointer<T>, _ accB: UnsafeMutablePointer<T>) {
        if T.self == Float.self {
            FloatKernels.active.multiplyAccumulateTwice(FloatKernels.f(d), FloatKernels.f(j), n, FloatKernels.f(accA),
                                                        FloatKernels.f(accB))
            return
        }
        for c in 0..<n {
            let v = d[c] * j[c]
            accA[c] += v
            accB[c] += v
        }
    }

    /// The output layer's backward over the dropped activations h, with
    /// g = dS_r: dw[c] += g h[c]; h[c] <- g w[c] j[c]; db[c] += h[c]
    /// (`RowKernels.outputBackward` with J).
    @inline(__always)
    static func outputBackward<T: MIScalar>(_ h: UnsafeMutablePointer<T>, _ g: T, _ w: UnsafePointer<T>, _ n: Int,
                                            _ j: UnsafePointer<T>, _ dw: UnsafeMutablePointer<T>,
                                            _ db: UnsafeMutablePointer<T>) {
        if T.self == Float.self {
            FloatKernels.active.jacobianOutputBackward(FloatKernels.f(h), FloatKernels.f(g), FloatKernels.f(w), n,
                                                       FloatKernels.f(j), FloatKernels.f(dw), FloatKernels.f(db))
            return
        }
        for c in 0..<n {
            dw[c] += g * h[c]
            let v = g * w[c] * j[c]
            h[c] = v
            db[c] += v
        }
    }
}

extension Kernels {
    /// z[r, c] = s act(z[r, c] + bias[c]) in place, with the masks drawn
    /// into `jacobian` and replaced by J = s act' (see `DropoutKernels`).
    ///
    /// Chunk i draws its rows' masks, row by row, from its own generator
    /// RNG(seed, stream: i); chunks depend only on the shape, so the masks
    /// are the same however many threads run.
    static func addBiasActivateDropout<T: MIScalar>(
        _ z: UnsafeMutablePointer<T>, rows: Int, cols: Int, bias: UnsafePointer<T>, activation: Activation,
        mask: DropoutMask<T>, seed: UInt64, jacobian: UnsafeMutablePointer<T>, parallelism: Parallelism
    ) {
        let zs = SharedPointer(z), js = SharedPointer(jacobian)
        let bs = SharedPointer(UnsafeMutablePointer(mutating: bias))
        forEachChunk(rows: rows, cols: cols, parallelism: parallelism) { ci, range in
            var rng = RNG(seed: seed, stream: UInt64(ci))
            for r in range {
                let row = zs.base + r * cols, j = js.base + r * cols
                mask.fill(j, cols, rng: &rng)
                DropoutKernels.addActivate(row, row, bs.base, cols, activation, j)
            }
        }
    }

    /// d[r, c] *= J[r, c] in place, and dBias[c] += sum_r d[r, c]
    /// (`activationBackward` for a dropped layer).
    static func jacobianBackward<T: MIScalar>(
        _ d: UnsafeMutablePointer<T>, jacobian: UnsafePointer<T>, rows: Int, cols: Int,
        dBias: UnsafeMutablePointer<T>, parallelism: Parallelism
    ) {
        let ds = SharedPointer(d), js = SharedPointer(UnsafeMutablePointer(mutating: jacobian))
        rowsWithBiasSums(rows: rows, cols: cols, dBias: dBias, parallelism: parallelism) { r, partial in
            DropoutKernels.multiplyAccumulate(ds.base + r * cols, js.base + r * cols, cols, partial)
        }
    }
}
