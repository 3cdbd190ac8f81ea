/// Why an image archive or layout is not a valid App Container Image.
public enum ImageArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A member whose name or link could write outside the image when extracted.
    case unsafe(String, String)
    /// A path other than `manifest` and `rootfs/…`.
    case unrecognized(String)
    case duplicate(String)
    case structure(String)
    case invalidManifest(String)

    public var description: String {
        switch self {
        case .unsafe(let path, let why): return "unsafe entry \(quoted(path)): \(why)"
        case .unrecognized(let path): return "unrecognized file path in image: \(quoted(path)) (only manifest and rootfs/ are allowed)"
        case .duplicate(let path): return "duplicate file entry in archive: \(path)"
        case .structure(let message): return message
        case .invalidManifest(let message): return "image manifest validation failed: \(message)"
        }
    }
}
