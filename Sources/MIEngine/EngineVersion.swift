/// The engine's numerics version. Notebook caches key cell results on it:
/// bump it whenever a change alters the numbers any computation gives.
public enum EngineVersion {
    public static let current = "1"
}
