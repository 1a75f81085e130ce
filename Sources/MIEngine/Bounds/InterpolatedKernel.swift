import RealModule

/// I_alpha (004 eq. 11, leave-one-out form of `Interpolated`) in a scaled
/// linear domain: the same value and gradient as `referenceEvaluate` with
/// one exp and one log per score instead of ~15 transcendental calls, which
/// is what makes optimal-critic sweeps at K = 512 affordable.
///
/// Column j (y_j) with scores c_i = S_ij, M = max_i c_i and E_i = e^{c_i - M}:
///   leave-one-out sums   L_m = sum_{i != m} E_i  (= total - E_m, except at
///                        the argmax, where it is summed directly, so no
///                        digits are lost when one score dominates)
///   denominators         U_m = alpha/(K-1) e^M L_m + (1 - alpha) e^{b_j} = e^Q u_m
///                        u_m = kappa L_m + beta,  kappa = alpha/(K-1) e^{M-Q},
///                        beta = (1 - alpha) e^{b_j - Q},
///                        Q = max(log(alpha/(K-1)) + M + log total, log(1 - alpha) + b_j)
/// so u_m lies in [min(1, L_m)/K, 2] and needs no exp; only u at the argmax
/// can be small (L_am < 1), so the kernel declines columns where L_am < 1e-140
/// (its square must not underflow). With c = 1/(K(K-1)) and
/// w = sum_{m != j} 1/u_m, the column's terms are
///   joint       sum_{m != j} (S_jj - log U_m) = (K-1)(S_jj - Q) - sum_{m != j} log u_m
///   marginal    sum_{i != j} e^{S_ij} / U_j = e^{M-Q} L_j / u_j
///   dI/dS_ij    = -c kappa E_i (w - [i != j] / u_i)            (joint, via U_m)
///                 - [i != j] c e^{M-Q} E_i beta / u_j^2          (marginal, direct + via U_j)
///                 (at i = argmax != j, w - 1/u_i is summed directly, not subtracted)
///                 + [i == j] / K
///   dI/db_j     = c beta (e^{M-Q} L_j / u_j^2 - w)
/// The marginal gradient's two parts, -1/u_j + kappa L_j / u_j^2, combine
/// exactly into -beta / u_j^2, so nothing cancels.
extension Interpolated {
    /// nil when a column is too extreme for the scaled domain (its scores
    /// other than the largest all more than ~320 nats below it, or non-finite
    /// values); the caller then uses the log-domain reference.
    func scaledEvaluate(_ v: [Double], k: Int, logBaseline b: [Double]) -> BoundResult? {
        let logKappa = alpha > 0 ? Double.log(alpha) - Double.log(Double(k - 1)) : -Double.infinity
        let logOneMinusAlpha = alpha < 1 ? Double.log(1 - alpha) : -Double.infinity
        let c = 1 / (Double(k) * Double(k - 1))
        let invK = 1 / Double(k)

        // Columns are contiguous after one transpose.
        var cols = [Double](repeating: 0, count: k * k)
        var dCols = [Double](repeating: 0, count: k * k)
        var db = [Double](repeating: 0, count: k)
        var e = [Double](repeating: 0, count: k)
        var loo = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: k)
        var joint = 0.0, marginal = 0.0
        let ok: Bool = cols.withUnsafeMutableBufferPointer { colsBuf in
            dCols.withUnsafeMutableBufferPointer { dBuf in
                e.withUnsafeMutableBufferPointer { e in
                    loo.withUnsafeMutableBufferPointer { loo in
                        u.withUnsafeMutableBufferPointer { u in
                            v.withUnsafeBufferPointer { src in
                                for i in 0..<k { for j in 0..<k { colsBuf[j * k + i] = src[i * k + j] } }
                            }
                            for j in 0..<k {
                                let col = colsBuf.baseAddress! + j * k
                                var m = -Double.infinity, am = 0
                                for i in 0..<k where col[i] > m {
                                    m = col[i]
                                    am = i
                                }
                                guard m.isFinite else { return false }
                                var total = 0.0
                                for i in 0..<k {
                                    e[i] = Double.exp(col[i] - m)
                                    total += e[i]
                                }
                                var rest = 0.0
                                for i in 0..<k where i != am { rest += e[i] }
                                guard total.isFinite, rest > 1e-140 else { return false }
                                for i in 0..<k { loo[i] = total - e[i] }
                                loo[am] = rest

                                let logBeta = logOneMinusAlpha + b[j]
                                let q = Swift.max(logKappa + m + Double.log(total), logBeta)
                                guard q.isFinite else { return false }
                                let kappa = Double.exp(logKappa + m - q)
                                let beta = Double.exp(logBeta - q)
                                let emq = Double.exp(m - q)
                                guard emq.isFinite else { return false }

                                // wRest leaves out the argmax too: its 1/u can dwarf the
                                // rest, and w - 1/u_am would then cancel.
                                var logSum = 0.0, wRest = 0.0
                                for i in 0..<k { u[i] = kappa * loo[i] + beta }
                                for i in 0..<k where i != j {
                                    logSum += Double.log(u[i])
                                    if i != am { wRest += 1 / u[i] }
                                }
                                let w = am == j ? wRest : wRest + 1 / u[am]
                                let uj = u[j]
                                joint += Double(k - 1) * (col[j] - q) - logSum
                                marginal += emq * loo[j] / uj

                                let dcol = dBuf.baseAddress! + j * k
                                let jointScale = -c * kappa
                                let marginalScale = -c * emq * beta / (uj * uj)
                                for i in 0..<k {
                                    dcol[i] = e[i] * (jointScale * (w - 1 / u[i]) + marginalScale)
                                }
                                if am != j { dcol[am] = e[am] * (jointScale * wRest + marginalScale) }
                                dcol[j] = e[j] * jointScale * w + invK
                                if alpha < 1 { db[j] = c * beta * (emq * loo[j] / (uj * uj) - w) }
                            }
                            return true
                        }
                    }
                }
            }
        }
        guard ok else { return nil }
        var d = [Double](repeating: 0, count: k * k)
        dCols.withUnsafeBufferPointer { src in
            d.withUnsafeMutableBufferPointer { dst in
                for j in 0..<k { for i in 0..<k { dst[i * k + j] = src[j * k + i] } }
            }
        }
        let value = 1 + c * joint - c * marginal
        return BoundResult(estimate: value, objective: value, dScores: d, dLogBaseline: alpha < 1 ? db : nil)
    }
}
