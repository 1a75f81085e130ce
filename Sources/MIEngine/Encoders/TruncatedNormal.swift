/// Fills `w[0..<count]` with N(0, std^2) draws truncated to two standard
/// deviations (a draw beyond is redrawn): TensorFlow's `truncated_normal`
/// initialiser, which 001's code used with std 1e-4 for its residual and
/// RealNVP encoders, so that both start close to the identity.
func truncatedNormal<T: MIScalar>(_ w: UnsafeMutablePointer<T>, count: Int, std: Double, rng: inout RNG) {
    for i in 0..<count {
        var z = rng.normal()
        while abs(z) > 2 { z = rng.normal() }
        w[i] = T(std * z)
    }
}
