/// The hash functions the suite verifies content with.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case sha256, sha384, sha512

    /// Hex digits of a digest of this algorithm.
    public var hexLength: Int {
        switch self {
        case .sha256: return 64
        case .sha384: return 96
        case .sha512: return 128
        }
    }
}
