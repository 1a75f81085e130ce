import Foundation
import MIEngine

/// The most MI a correlated Gaussian can carry for the training data to
/// mean anything (`GaussianMI.maximumPerCoordinate`), as a message for
/// every place the language builds one: `gaussian(...)`, the default data
/// of `estimate`, `staircase(levels=...)` and `analyze mi=[...]`.
enum GaussianLimit {
    /// Why `mi` nats over `dim` coordinate pairs cannot be built, or nil.
    static func check(mi: Double, dim: Int) -> String? {
        guard dim > 0, mi > GaussianMI.maximum(dim: dim) else { return nil }
        let most = formatNumber(GaussianMI.maximum(dim: dim))
        return "mi=\(formatNumber(mi)) is more than a Gaussian of dim=\(dim) can carry: at most \(most) nats "
            + "(\(formatNumber(GaussianMI.maximumPerCoordinate)) per coordinate; beyond that rho = "
            + "sqrt(1 - e^(-2 mi/dim)) is too close to 1 for Float data); use mi=\(most) or less, or a larger dim"
    }

    /// Why a correlation `rho` cannot be used, or nil.
    static func check(rho: Double) -> String? {
        guard abs(rho) > GaussianMI.maximumRho else { return nil }
        // The bound rounded down to 8 decimals, so that it is itself allowed.
        let most = String(format: "%.8f", (GaussianMI.maximumRho * 1e8).rounded(.down) / 1e8)
        return "rho=\(rho) is too close to \(rho > 0 ? "" : "-")1: |rho| may be at most \(most) "
            + "(\(formatNumber(GaussianMI.maximumPerCoordinate)) nats per coordinate; beyond that Float data "
            + "cannot hold the correlation)"
    }
}
