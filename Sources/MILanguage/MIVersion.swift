/// The version of `mi` shown to people (`mi --version`, document footers).
/// Caches do not key on it: they key on the build itself (MINotebook's
/// `BuildIdentity`), which changes with every change to the code.
public enum MIVersion {
    public static let release = "0.1.0"
}
