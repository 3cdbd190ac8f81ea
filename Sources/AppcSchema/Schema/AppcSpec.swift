/// The version of the App Container specification this suite implements.
public enum AppcSpec {
    public static let version = SemVer(major: 0, minor: 8, patch: 11)
}
