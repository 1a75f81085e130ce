/// Innermost loops over one row, written as functions of plain values.
///
/// Inside a closure, a captured count or pointer is read through the
/// closure context on every iteration, and LLVM cannot prove the stores do
/// not change it, so it neither hoists nor vectorises. Passing them as
/// parameters gives loops the optimiser vectorises. ReLU is written as
/// `max(v, 0)` and its derivative as a multiply by a 0/1 mask: a ternary
/// that stores in both arms is left as a branch when the loop works in
/// place, and a branch stops vectorisation.
///
/// Sums over rows accumulate in the working precision within one fixed
/// chunk of rows (as a BLAS product accumulates over its inner dimension)
/// and in Double across chunks (`Kernels.addChunkSums`).
///
/// In Float, the ReLU cases, the plain sums and Adam run the C kernels of
/// the widest vectors the CPU has (`FloatKernels`), which compute exactly
/// what the Swift loops below compute; the test `T.self == Float.self` is
/// resolved when the generic code is specialised.
enum RowKernels {
    /// o[c] = act(a[c] + b[c]).
    @inline(__always)
    static func addActivate<T: MIScalar>(_ o: UnsafeMutablePointer<T>, _ a: UnsafePointer<T>,
                                         _ b: UnsafePointer<T>, _ n: Int, _ act: Activation) {
        if T.self == Float.self && act == .relu {
            FloatKernels.active.addRelu(FloatKernels.f(o), FloatKernels.f(a), FloatKernels.f(b), n)
        } else if act == .relu {
            for c in 0..<n { o[c] = Swift.max(a[c] + b[c], 0) }
        } else {
            for c in 0..<n { o[c] = act.apply(a[c] + b[c]) }
        }
    }

    /// d[c] *= act'(a[c]) and acc[c] += d[c].
    @inline(__always)
    static func maskAccumulate<T: MIScalar>(_ d: UnsafeMutablePointer<T>, _ a: UnsafePointer<T>, _ n: Int,
                                            _ act: Activation, _ acc: UnsafeMutablePointer<T>) {
        if T.self == Float.self && act == .relu {
            FloatKernels.active.reluMaskAccumulate(FloatKernels.f(d), FloatKernels.f(a), n, FloatKernels.f(acc))
        } else if act == .relu {
            for c in 0..<n {
                let mask: T = a[c] > 0 ? 1 : 0
                let v = d[c] * mask
                d[c] = v
                acc[c] += v
            }
        } else {
            for c in 0..<n {
                let v = d[c] * act.derivative(output: a[c])
                d[c] = v
                acc[c] += v
            }
        }
    }

    /// accA[c] += v and accB[c] += v with v = d[c] * act'(a[c]) (or d[c]
    /// when `a` is nil): the reduction of the factorised first layer.
    @inline(__always)
    static func maskAccumulateTwice<T: MIScalar>(_ d: UnsafePointer<T>, _ a: UnsafePointer<T>?, _ n: Int,
                                                 _ act: Activation, _ accA: UnsafeMutablePointer<T>,
                                                 _ accB: UnsafeMutablePointer<T>) {
        if T.self == Float.self && (a == nil || act == .relu) {
            let k = FloatKernels.active
            if let a {
                k.reluMaskAccumulateTwice(FloatKernels.f(d), FloatKernels.f(a), n, FloatKernels.f(accA),
                                          FloatKernels.f(accB))
            } else {
                k.accumulateTwice(FloatKernels.f(d), n, FloatKernels.f(accA), FloatKernels.f(accB))
            }
        } else if let a {
            if act == .relu {
                for c in 0..<n {
                    let mask: T = a[c] > 0 ? 1 : 0
                    let v = d[c] * mask
                    accA[c] += v
                    accB[c] += v
                }
            } else {
                for c in 0..<n {
                    let v = d[c] * act.derivative(output: a[c])
                    accA[c] += v
                    accB[c] += v
                }
            }
        } else {
            for c in 0..<n {
                let v = d[c]
                accA[c] += v
                accB[c] += v
            }
        }
    }

    /// z[c] = act(z[c] + b[c]); returns sum_c z[c] w[c] (the 1-unit output
    /// layer, accumulated like a BLAS dot product).
    @inline(__always)
    static func addActivateDot<T: MIScalar>(_ z: UnsafeMutablePointer<T>, _ b: UnsafePointer<T>,
                                            _ w: UnsafePointer<T>, _ n: Int, _ act: Activation) -> T {
        if T.self == Float.self && act == .relu {
            let dot = FloatKernels.active.addReluDot(FloatKernels.f(z), FloatKernels.f(b), FloatKernels.f(w), n)
            return unsafeBitCast(dot, to: T.self)
        }
        var dot: T = 0
        if act == .relu {
            for c in 0..<n {
                let a = Swift.max(z[c] + b[c], 0)
                z[c] = a
                dot += a * w[c]
            }
        } else {
            for c in 0..<n {
                let a = act.apply(z[c] + b[c])
                z[c] = a
                dot += a * w[c]
            }
        }
        return dot
    }

    /// sum_c z[c] w[c].
    @inline(__always)
    static func dot<T: MIScalar>(_ z: UnsafePointer<T>, _ w: UnsafePointer<T>, _ n: Int) -> T {
        if T.self == Float.self {
            return unsafeBitCast(FloatKernels.active.dot(FloatKernels.f(z), FloatKernels.f(w), n), to: T.self)
        }
        var dot: T = 0
        for c in 0..<n { dot += z[c] * w[c] }
        return dot
    }

    /// For the output layer's backward: with g = dS_r,
    /// dw[c] += g a[c]; a[c] <- g w[c] act'(a[c]); db[c] += a[c].
    @inline(__always)
    static func outputBackward<T: MIScalar>(_ a: UnsafeMutablePointer<T>, _ g: T, _ w: UnsafePointer<T>, _ n: Int,
                                            _ act: Activation, _ dw: UnsafeMutablePointer<T>,
                                            _ db: UnsafeMutablePointer<T>) {
        if T.self == Float.self && act == .relu {
            FloatKernels.active.reluOutputBackward(FloatKernels.f(a), FloatKernels.f(g), FloatKernels.f(w), n,
                                                   FloatKernels.f(dw), FloatKernels.f(db))
        } else if act == .relu {
            for c in 0..<n {
                let av = a[c]
                dw[c] += g * av
                let mask: T = av > 0 ? 1 : 0
                let v = g * w[c] * mask
                a[c] = v
                db[c] += v
            }
        } else {
            for c in 0..<n {
                let av = a[c]
                dw[c] += g * av
                let v = g * w[c] * act.derivative(output: av)
                a[c] = v
                db[c] += v
            }
        }
    }

    /// dst[c] += src[c].
    @inline(__always)
    static func addTo<T: MIScalar>(_ dst: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>, _ n: Int) {
        if T.self == Float.self {
            FloatKernels.active.addTo(FloatKernels.f(dst), FloatKernels.f(src), n)
            return
        }
        for c in 0..<n { dst[c] += src[c] }
    }

    /// One Adam update over n parameters (see `Adam.step`).
    @inline(__always)
    static func adam<T: MIScalar>(_ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ m: UnsafeMutablePointer<T>,
                                  _ v: UnsafeMutablePointer<T>, _ n: Int, stepSize: T, beta1: T, beta2: T,
                                  epsilon: T, weightDecay: T) {
        if T.self == Float.self {
            FloatKernels.active.adam(FloatKernels.f(p), FloatKernels.f(g), FloatKernels.f(m), FloatKernels.f(v), n,
                                     FloatKernels.f(stepSize), FloatKernels.f(beta1), FloatKernels.f(beta2),
                                     FloatKernels.f(epsilon), FloatKernels.f(weightDecay))
            return
        }
        for i in 0..<n {
            let gi = g[i] + weightDecay * p[i]
            let mi = beta1 * m[i] + (1 - beta1) * gi
            let vi = beta2 * v[i] + (1 - beta2) * gi * gi
            m[i] = mi
            v[i] = vi
            p[i] -= stepSize * mi / (vi.squareRoot() + epsilon)
        }
    }
}
