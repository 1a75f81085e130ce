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
enum RowKernels {
    /// o[c] = act(a[c] + b[c]).
    @inline(__always)
    static func addActivate<T: MIScalar>(_ o: UnsafeMutablePointer<T>, _ a: UnsafePointer<T>,
                                         _ b: UnsafePointer<T>, _ n: Int, _ act: Activation) {
        if act == .relu {
            for c in 0..<n { o[c] = Swift.max(a[c] + b[c], 0) }
        } else {
            for c in 0..<n { o[c] = act.apply(a[c] + b[c]) }
        }
    }

    /// d[c] *= act'(a[c]) and acc[c] += d[c].
    @inline(__always)
    static func maskAccumulate<T: MIScalar>(_ d: UnsafeMutablePointer<T>, _ a: UnsafePointer<T>, _ n: Int,
                                            _ act: Activation, _ acc: UnsafeMutablePointer<T>) {
        if act == .relu {
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
        if let a {
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
        if act == .relu {
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

    /// One Adam update over n parameters (see `Adam.step`).
    @inline(__always)
    static func adam<T: MIScalar>(_ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ m: UnsafeMutablePointer<T>,
                                  _ v: UnsafeMutablePointer<T>, _ n: Int, stepSize: T, beta1: T, beta2: T,
                                  epsilon: T, weightDecay: T) {
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
