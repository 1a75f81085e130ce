import Testing
@testable import MIEngine

/// The gradient penalty's exact parameter gradient (double backprop)
/// against central finite differences of the penalty's value, in Double,
/// and the interpolates it is evaluated at.
@Suite struct GradientPenaltyTests {
    @Test(arguments: LipschitzKind.allCases, Activation.allCases)
    func parameterGradient(_ kind: LipschitzKind, _ act: Activation) {
        var rng = RNG(seed: 23)
        let critic = kind.make(act, rng: &rng)
        check(critic, rng: &rng)
    }

    /// A penalty weight other than 10 scales value and gradient alike.
    @Test func otherLambda() {
        var rng = RNG(seed: 3)
        check(LipschitzKind.concat.make(.tanh, rng: &rng), lambda: 0.7, rng: &rng)
    }

    private func check(_ critic: some LipschitzCritic<Double>, lambda: Double = 10, rng: inout RNG) {
        let penalty = GradientPenalty(lambda: lambda)
        let k = 6
        let x = randomMatrix(k, critic.dimX, rng: &rng), y = randomMatrix(k, critic.dimY, rng: &rng)
        let (xh, yh) = GradientPenalty.interpolates(x: x, y: y, rng: &rng)
        critic.zeroGrad()
        let result = penalty.accumulateGradient(critic, x: xh, y: yh)
        #expect(result.value > 0)
        #expect(abs(result.value - penalty.evaluate(critic, x: xh, y: yh).value) < 1e-12)
        for (si, store) in critic.stores.enumerated() {
            let analytic = Array(store.grads.prefix(store.count))
            let fd = storeGradientFD(store) { penalty.evaluate(critic, x: xh, y: yh).value }
            let err = FiniteDifference.relativeError(analytic, fd)
            #expect(err < gradientTolerance, "\(critic.name) store \(si): relative error \(err)")
        }
    }

    /// Each interpolate lies on the segment from its positive (x_r, y_r) to
    /// some negative (x_a, y_b) with a != b, one ε for both halves; the
    /// same seed gives the same interpolates.
    @Test func interpolatesJoinPositivesToNegatives() {
        var rng = RNG(seed: 9)
        let k = 5
        let x = randomMatrix(k, 2, rng: &rng), y = randomMatrix(k, 3, rng: &rng)
        var r1 = RNG(seed: 1), r2 = RNG(seed: 1)
        let (xh, yh) = GradientPenalty.interpolates(x: x, y: y, rng: &r1)
        let again = GradientPenalty.interpolates(x: x, y: y, rng: &r2)
        #expect(xh == again.x && yh == again.y)
        for r in 0..<k {
            var found = false
            for a in 0..<k {
                for b in 0..<k where a != b {
                    // ε by least squares on u = (x, y), then the residual must vanish.
                    let p = x.row(r) + y.row(r), q = x.row(a) + y.row(b), u = xh.row(r) + yh.row(r)
                    let d = zip(p, q).map { $0 - $1 }
                    let eps = zip(zip(u, q).map { $0 - $1 }, d).reduce(0) { $0 + $1.0 * $1.1 }
                        / d.reduce(0) { $0 + $1 * $1 }
                    let onLine = u.indices.allSatisfy { abs(u[$0] - (q[$0] + eps * d[$0])) < 1e-12 }
                    if onLine && eps >= 0 && eps <= 1 { found = true }
                }
            }
            #expect(found, "interpolate \(r) is not on a positive-to-negative segment")
        }
    }
}
