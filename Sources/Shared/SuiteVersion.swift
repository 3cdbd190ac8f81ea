/// The version of the rkt suite's tools.
public enum SuiteVersion {
    public static let current = "0.1.0"
}
