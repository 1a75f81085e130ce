extension MemoryFootprint {
    /// A V-InfoMax run (`ReconstructionTrainer` with its probes): g1 on the
    /// batch (or a probe chunk) with its dropout Jacobians, the decoder of
    /// `decoder` widths with the loss gradient and the feature gradient,
    /// the batch of views, `evalBatches` test batches kept for the run, the
    /// per-step records of `warmup` decoder steps and `steps` encoder
    /// steps, and the probes' inputs: `probeItems` view-1 rows (summed over
    /// the probes fitted) with their features, and `conditioning` inputs'
    /// Jacobians as `representation` counts them. The views themselves are
    /// loaded before the run is planned and not counted.
    public static func reconstruction(g1: EncoderPlan, decoder: [Int], dropout: Bool, views: (Int, Int), batch k: Int,
                                      steps: Int, warmup: Int, evalBatches: Int, probeItems: Int,
                                      conditioning: Int) -> MemoryFootprint {
        let float = MemoryLayout<Float>.stride, double = MemoryLayout<Double>.stride
        let chunk = RepresentationTrainer.encodeChunk
        let measuring = probeItems > 0 || conditioning > 0
        var f = encoder(g1, rows: max(k, measuring ? chunk : 0))
        if dropout, case .mlp(let sizes) = g1 { f.activations += k * sizes.dropFirst().dropLast().reduce(0, +) * float }
        f = f + mlp(sizes: decoder, rows: k, dropout: false)
        // dL/dy, dL/dfeatures, and the batch of views.
        f.activations += k * ((decoder.last ?? 0) + g1.outputSize + views.0 + views.1) * float
        f.data += evalBatches * k * (views.0 + views.1) * float
        f.data += steps * MemoryLayout<ReconstructionStep>.stride + warmup * double
        if probeItems > 0 {
            // View-1 rows, their features, and the probe's standardised Double copy.
            f.data += probeItems * (views.0 * float + g1.outputSize * (float + 2 * double))
        }
        if conditioning > 0 {
            let m = max(1, g1.outputSize), n = views.0
            let group = min(conditioning, max(1, chunk / m))
            f.data += conditioning * n * float
            f.activations += group * m * n * float + 4 * m * n * double + chunk * (2 * n + m) * float
        }
        return f
    }
}
