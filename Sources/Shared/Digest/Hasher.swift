import COpenSSL

/// libcrypto set up once, before the first digest (see `rkt_openssl_init`).
private let openSSLInitialised: Void = rkt_openssl_init()

/// Streaming SHA-2 through OpenSSL's EVP interface (SHA-NI/AVX2 where the CPU has them).
/// Not thread-safe: one hasher per stream.
public final class ContentHasher {
    public let algorithm: DigestAlgorithm
    private let context: OpaquePointer
    /// Bytes hashed so far.
    public private(set) var count: Int64 = 0

    public init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        _ = openSSLInitialised
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL: cannot allocate a digest context") }
        self.context = context
        let md: OpaquePointer?
        switch algorithm {
        case .sha256: md = EVP_sha256()
        case .sha384: md = EVP_sha384()
        case .sha512: md = EVP_sha512()
        }
        EVP_DigestInit_ex(context, md, nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
        count += Int64(bytes.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest as lowercase hex; the hasher cannot be used afterwards.
    public func finalizeHex() -> String {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(Int(length) * 2)
        for byte in output[..<Int(length)] {
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
