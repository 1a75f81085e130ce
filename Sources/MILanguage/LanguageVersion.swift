/// The language's version. Notebook caches key cell results on it: bump it
/// when a change alters what a program outputs.
public enum LanguageVersion {
    public static let current = "1"
}
