/// Passes bytes on unchanged while counting and hashing them (SHA-256 by default); without a
/// downstream sink, only counts and hashes them.
public final class HashingSink: ByteSink {
    private let downstream: ByteSink?
    private let hasher: ContentHasher

    public init(downstream: ByteSink? = nil, algorithm: DigestAlgorithm = .sha256) {
        self.downstream = downstream
        hasher = ContentHasher(algorithm)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        try downstream?.write(bytes)
    }

    public func finish() throws { try downstream?.finish() }

    /// Bytes written so far.
    public var count: Int64 { hasher.count }

    /// The digest of everything written; call once, after `finish()`.
    public func digest() -> Digest { Digest(algorithm: hasher.algorithm, hex: hasher.finalizeHex()) }
}
