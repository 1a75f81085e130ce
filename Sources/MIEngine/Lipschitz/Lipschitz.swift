/// How a critic is kept (near) 1-Lipschitz, as the Wasserstein dependency
/// measure and Wasserstein predictive coding require (000 eqs. 2 and 4).
public enum Lipschitz: Sendable, Equatable, CustomStringConvertible {
    /// Unconstrained (wdm is then unbounded; for ablations).
    case none
    /// λ mean (||∇f|| - 1)^2 at interpolates (`GradientPenalty`; 000 sec. 4.1).
    case gradientPenalty(lambda: Double)
    /// Every weight matrix divided by its spectral norm (`SpectralNorm`).
    case spectralNorm

    /// What 000 used: the gradient penalty with Gulrajani et al.'s λ = 10.
    public static let standard = Lipschitz.gradientPenalty(lambda: 10)

    /// `gp(10)`, `sn` or `none`.
    public var description: String {
        switch self {
        case .none: return "none"
        case .gradientPenalty(let lambda): return "gp(\(lambda.formatted))"
        case .spectralNorm: return "sn"
        }
    }

    /// The regularisers that enforce this on `critic`; spectral
    /// normalisation draws its power-iteration vectors from `rng`.
    public func regularizers(for critic: FloatCritic, rng: inout RNG) -> [any CriticRegularizer] {
        switch self {
        case .none: return []
        case .gradientPenalty(let lambda): return [GradientPenalty(lambda: lambda)]
        case .spectralNorm: return [SpectralNormalization(critic: critic, rng: &rng)]
        }
    }
}

extension CriticEstimator {
    /// The Lipschitz constraint attached to the critic.
    public var lipschitz: Lipschitz {
        for r in regularizers {
            if let gp = r as? GradientPenalty { return .gradientPenalty(lambda: gp.lambda) }
            if r is SpectralNormalization { return .spectralNorm }
        }
        return .none
    }

    /// Enforces `lipschitz` on the critic from the next step on, replacing
    /// any Lipschitz constraint attached before (other regularisers stay).
    public func constrain(_ lipschitz: Lipschitz, rng: inout RNG) {
        regularizers.removeAll { $0 is GradientPenalty || $0 is SpectralNormalization }
        regularizers += lipschitz.regularizers(for: critic, rng: &rng)
    }

    /// wdm, the dual Wasserstein dependency measure (000 eq. 2), on a
    /// Lipschitz critic (by default the gradient penalty, as in 000).
    public static func wdm(critic: FloatCritic, lipschitz: Lipschitz = .standard,
                           negatives: NegativeSampling = .all, rng: inout RNG) -> CriticEstimator {
        let e = CriticEstimator(critic: critic, bound: WassersteinDependency(), negatives: negatives)
        e.constrain(lipschitz, rng: &rng)
        return e
    }

    /// wpc, Wasserstein predictive coding (000 eq. 4): InfoNCE on a
    /// Lipschitz critic (by default the gradient penalty, as in 000).
    public static func wpc(critic: FloatCritic, lipschitz: Lipschitz = .standard, rng: inout RNG) -> CriticEstimator {
        let e = CriticEstimator(critic: critic, bound: wassersteinPredictiveCoding())
        e.constrain(lipschitz, rng: &rng)
        return e
    }
}

private extension Double {
    /// 10 rather than 10.0; other values as Swift prints them.
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
