/// A file larger than the limit set for its kind (a manifest, a key, a page).
public enum FileTooLargeError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(path: String, limit: Int)

    public init(path: String, limit: Int) {
        self = .tooLarge(path: path, limit: limit)
    }

    public var description: String {
        switch self {
        case .tooLarge(let path, let limit): "\(path) is larger than \(limit / 1024) KiB, the limit for this kind of file"
        }
    }
}
