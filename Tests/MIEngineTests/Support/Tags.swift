import Testing

extension Tag {
    /// Monte Carlo tests over hundreds of batches: tolerances come from
    /// standard errors at fixed seeds. Fast in release
    /// (`swift test -c release --filter ...`), slower in debug.
    @Tag static var statistical: Self
}

/// True in a debug build, where Monte Carlo tests use fewer batches only
/// where the claim stays decisive (each such test says so).
#if DEBUG
let isDebugBuild = true
#else
let isDebugBuild = false
#endif
