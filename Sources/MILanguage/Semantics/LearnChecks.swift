/// Checks of a `learn` through a bound that look at several of its parts
/// together: the gradient penalty (`lipschitz=gp`, wpc's and wdm's default)
/// runs through the encoders and needs their tangent passes, spectral
/// normalisation is not offered, and `penalty=` weighs a penalty some run
/// must have. Only names written in the command are checked; values of
/// variables are checked when the run starts (`RepresentationTrainer.check`).
extension Resolver {
    mutating func checkLearnLipschitz(_ c: Command) {
        guard let subject = c.subject else { return }
        let estimators = names(in: subject, where: { if case .estimator(let n) = $0 { return n } else { return nil } })
        let given = c.options.first { $0.name == "lipschitz" }
        let givenWords = given?.value.map(words(in:)) ?? []
        if let value = given?.value, givenWords.contains("sn") {
            report("learn keeps critic(g1(x1), g2(x2)) Lipschitz with the gradient penalty (lipschitz=gp) or not at "
                   + "all: spectral normalisation of the critic alone does not bound it in the views", value.range)
        }
        // Whether some run has a penalty (unknown when the estimators are not all written out).
        let known = !estimators.isEmpty && (given == nil || !givenWords.isEmpty)
        let penalised = given != nil ? givenWords.contains("gp")
            : estimators.contains { registry.estimator($0)?.defaultLipschitz == "gp" }
        if known && !penalised, let penalty = c.options.first(where: { $0.name == "penalty" }) {
            report("penalty= weighs the gradient penalty, which \(estimators.joined(separator: " and ")) "
                   + "\(estimators.count == 1 ? "trains" : "train") without; add lipschitz=gp", penalty.nameRange)
        }
        guard penalised, let encoder = c.options.first(where: { $0.name == "encoder" })?.value else { return }
        let items: [Expr]
        if case .list(let l) = encoder.kind { items = l } else { items = [encoder] }
        for item in items {
            let name: String
            switch item.kind {
            case .identifier(let n) where scope[n] == nil: name = n
            case .call(let n, _, _): name = n
            default: continue
            }
            if registry.encoder(name) != nil, !Registry.penaltyEncoders.names.contains(name) {
                report("the gradient penalty keeps critic(g1(x1), g2(x2)) Lipschitz in the views, so it runs through "
                       + "the encoders (double backpropagation); \(name) has no tangent pass for it: "
                       + Registry.penaltyEncoders.reason, item.range)
            }
        }
    }
}
