/// Which stage1 a pod runs with (`--stage1-*` flags, `stage1.d`, or the built-in default).
public enum Stage1Selection: Sendable, Equatable {
    case builtin(Flavor)
    /// An image file.
    case path(String)
    /// An image to fetch (http(s), docker, or file URL).
    case url(String)
    /// An image in the store, by name[:version].
    case name(String)
    /// An image in the store, by ID.
    case hash(String)
    /// A file in the stage1-images directory (`paths.d`).
    case fromDirectory(String)
    /// The default of `stage1.d`: the stored image of that name and version, else its location
    /// (a file, relative to the stage1-images directory, or a URL).
    case configured(name: String, version: String, location: String)

    /// The stage1 annotation names (the stage1 ABI).
    public static let runAnnotation = "coreos.com/rkt/stage1/run"
    public static let enterAnnotation = "coreos.com/rkt/stage1/enter"
    public static let gcAnnotation = "coreos.com/rkt/stage1/gc"
    public static let stopAnnotation = "coreos.com/rkt/stage1/stop"
    public static let interfaceVersionAnnotation = "coreos.com/rkt/stage1/interface-version"
}
