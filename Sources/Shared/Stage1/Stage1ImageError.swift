/// A stage1 image that cannot be found, and what to do about it.
public enum Stage1ImageError: Error, Sendable, CustomStringConvertible {
    /// `--stage1-from-dir` without a stage1-images directory in paths.d.
    case noImagesDirectory
    /// stage1.d's default image, not in the store and without a location to fetch it from.
    case configuredImageUnavailable(name: String, version: String)
    /// The built-in stage1 executable is not beside the tools.
    case builtinMissing(path: String)

    public var description: String {
        switch self {
        case .noImagesDirectory:
            "--stage1-from-dir needs a stage1-images directory in paths.d"
        case .configuredImageUnavailable(let name, let version):
            "stage1 \(name):\(version) of stage1.d is not in the store and has no location"
        case .builtinMissing(let path):
            "the built-in stage1 executable is missing: \(path) (build it with `swift build`)"
        }
    }
}
