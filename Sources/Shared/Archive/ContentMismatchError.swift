/// Content that did not match what its descriptor (or name) promised. `name` says which content:
/// `blob sha256:…`, `manifest of REFERENCE`.
public enum ContentMismatchError: Error, Sendable, CustomStringConvertible {
    /// The content hashes to `actual` (`algorithm:hex`), not to its digest.
    case digestMismatch(name: String, actual: String)
    /// The content's digest is `actual`, not `expected` (both as `algorithm:hex`).
    case otherDigest(name: String, actual: String, expected: String)
    /// The content does not hash to its digest.
    case notItsDigest(name: String)
    /// The content does not hash to the digest its name holds.
    case notItsName(name: String)
    /// More bytes came than the `promised` size.
    case tooLarge(name: String, promised: Int64)
    /// The content has `actual` bytes, not the `promised` size.
    case sizeMismatch(name: String, actual: Int64, promised: Int64)
    /// The content ended after `actual` bytes, before the `promised` size.
    case truncated(name: String, actual: Int64, promised: Int64)
    /// A layer uncompresses to `actual` (`algorithm:hex`), not to its config's diff_id.
    case diffID(manifest: String, layer: String, actual: String, expected: String)

    public var description: String {
        switch self {
        case .digestMismatch(let name, let actual): "\(name): digest mismatch (content is \(actual))"
        case .otherDigest(let name, let actual, let expected): "\(name): digest is \(actual), not \(expected)"
        case .notItsDigest(let name): "\(name): content does not match its digest"
        case .notItsName(let name): "\(name) does not match its name's digest"
        case .tooLarge(let name, let promised): "\(name): more than the \(promised) bytes its descriptor promises"
        case .sizeMismatch(let name, let actual, let promised): "\(name): \(actual) bytes, but its descriptor says \(promised)"
        case .truncated(let name, let actual, let promised): "\(name): \(actual) bytes, but its descriptor says \(promised) (truncated?)"
        case .diffID(let manifest, let layer, let actual, let expected):
            "\(manifest): layer \(layer) uncompresses to \(actual), but the config's diff_id is \(expected)"
        }
    }
}
