import Testing
@testable import MIEngine

/// Every encoder's parameter and input gradients against central finite
/// differences in Double (relative error below 1e-5), through all its
/// layers at once.
@Suite struct FeatureEncoderGradientTests {
    enum Kind: String, CaseIterable, Sendable {
        case mlp, residual, residualTanh, convnet, convnetChannels, convnetNoNorm, convnetPaper, coupling, couplingPaperShape
    }

    static func make(_ kind: Kind, rng: inout RNG) throws -> (encoder: any FeatureEncoder<Double>, rows: Int) {
        switch kind {
        case .mlp:
            return (MLPEncoder<Double>(sizes: [6, 5, 4, 3], rng: &rng), 4)
        case .residual:
            let e = try ResidualEncoder<Double>(width: 7, blocks: 4, initialStd: 0.4, rng: &rng)
            LayerCheck.perturb(e.stores, scale: 0.1, rng: &rng)
            return (e, 5)
        case .residualTanh:
            let e = try ResidualEncoder<Double>(width: 5, blocks: 3, activation: .tanh, initialStd: 0.4, rng: &rng)
            return (e, 3)
        case .convnet:
            let e = try ConvEncoder<Double>(channels: 1, height: 6, width: 9, filters: [3, 4], kernel: 5, stride: 2,
                                            padding: 2, features: 5, rng: &rng)
            LayerCheck.perturb(e.stores, scale: 0.05, rng: &rng)
            return (e, 3)
        case .convnetChannels:
            // Channels-first inputs with several channels go through the transposes.
            let e = try ConvEncoder<Double>(channels: 3, height: 7, width: 6, filters: [4, 2, 3], kernel: 3, stride: 2,
                                            padding: 1, features: 4, activation: .elu, rng: &rng)
            LayerCheck.perturb(e.stores, scale: 0.05, rng: &rng)
            return (e, 3)
        case .convnetNoNorm:
            let e = try ConvEncoder<Double>(channels: 2, height: 5, width: 5, filters: [3], kernel: 3, stride: 1,
                                            padding: 0, features: 2, layerNorm: false, rng: &rng)
            LayerCheck.perturb(e.stores, scale: 0.05, rng: &rng)
            return (e, 4)
        case .convnetPaper:
            // 001's ConvNet on 1 x 14 x 28 halves; a sample of its 219,748 parameters is probed.
            let e = try ConvEncoder<Double>(rng: &rng)
            LayerCheck.perturb(e.stores, scale: 0.01, rng: &rng)
            return (e, 2)
        case .coupling:
            let e = try CouplingEncoder<Double>(width: 7, layers: 3, hidden: 6, rng: &rng)
            LayerCheck.perturb(e.stores, scale: 0.2, rng: &rng)
            return (e, 4)
        case .couplingPaperShape:
            // 001's two hidden layers per shift, several layers, 392 pixels, narrow MLPs.
            let e = try CouplingEncoder<Double>(width: 392, layers: 4, hidden: 16, rng: &rng)
            LayerCheck.perturb(e.stores, scale: 0.05, rng: &rng)
            return (e, 3)
        }
    }

    @Test(arguments: Kind.allCases)
    func gradients(_ kind: Kind) throws {
        var rng = RNG(seed: 31)
        let (e, rows) = try Self.make(kind, rng: &rng)
        let (stores, input) = LayerCheck.encoderErrors(e, rows: rows, probes: 300, seed: 32)
        for (i, err) in stores.enumerated() {
            #expect(err < gradientTolerance, "\(e.name) store \(i): relative error \(err)")
        }
        #expect(input < gradientTolerance, "\(e.name) input: relative error \(input)")
    }
}
