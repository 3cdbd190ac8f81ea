import COpenSSL

/// Streaming SHA-2 through libcrypto (SHA-NI/AVX2 where the CPU has them).
/// Not thread-safe: one hasher per stream.
public final class ContentHasher {
    public let algorithm: DigestAlgorithm
    private let context = UnsafeMutablePointer<rkt_sha2>.allocate(capacity: 1)
    /// Bytes hashed so far.
    public private(set) var count: Int64 = 0

    public init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .sha256: rkt_sha2_init(context, 256)
        case .sha384: rkt_sha2_init(context, 384)
        case .sha512: rkt_sha2_init(context, 512)
        }
    }

    deinit { context.deallocate() }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        rkt_sha2_update(context, bytes.baseAddress, bytes.count)
        count += Int64(bytes.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest as lowercase hex; the hasher cannot be used afterwards.
    public func finalizeHex() -> String {
        var output = [UInt8](repeating: 0, count: 64)
        let length = Int(rkt_sha2_final(context, &output))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(length * 2)
        for byte in output[..<length] {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The hex digest of a whole buffer.
    public static func hex(_ algorithm: DigestAlgorithm, of bytes: [UInt8]) -> String {
        let hasher = ContentHasher(algorithm)
        hasher.update(bytes)
        return hasher.finalizeHex()
    }
}

extension ContentHasher {
    /// The hex digest of a file's content (`-` for standard input). Reading runs on another core,
    /// one buffer ahead of hashing, so the hash runs at the speed of the hash function.
    public static func hex(_ algorithm: DigestAlgorithm, ofFile path: String) throws -> String {
        let input = try InputFile(path: path)
        let hasher = ContentHasher(algorithm)
        hasher.update(input.head)
        try ReadAhead.forEach(fileDescriptor: input.fileDescriptor, path: path) { hasher.update($0) }
        return hasher.finalizeHex()
    }
}
