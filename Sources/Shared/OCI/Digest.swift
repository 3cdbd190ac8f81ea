/// A content digest, `algorithm:encoded` (`sha256:e3b0…`), following the OCI grammar.
/// sha256, sha384, sha512 and blake3 must be lowercase hex of their length; other algorithms that
/// fit the grammar are accepted. Only the SHA-2 ones can be verified.
public struct Digest: JSONRepresentable, Hashable, CustomStringConvertible {
    public let algorithm: String
    public let encoded: String

    /// Registered algorithms (image-spec descriptor.md) we cannot verify, and their hex digits.
    private static let unverifiableHexLengths = ["blake3": 64]

    public init(_ text: String) throws {
        guard let colon = text.firstIndex(of: ":") else { throw JSONDecodingError("invalid digest \(quoted(text)): no algorithm") }
        let algorithm = String(text[..<colon])
        let encoded = String(text[text.index(after: colon)...])
        let components = algorithm.split(omittingEmptySubsequences: false) { "+._-".contains($0) }
        guard !components.isEmpty, components.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0.isASCIIDigit || (0x61...0x7A).contains($0) } })
        else { throw JSONDecodingError("invalid digest \(quoted(text)): bad algorithm") }
        guard !encoded.isEmpty, encoded.utf8.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || "=_-".utf8.contains($0) }) else {
            throw JSONDecodingError("invalid digest \(quoted(text)): bad encoded part")
        }
        if let hexLength = DigestAlgorithm(rawValue: algorithm)?.hexLength ?? Self.unverifiableHexLengths[algorithm] {
            guard encoded.utf8.count == hexLength,
                  encoded.utf8.allSatisfy({ $0.isASCIIDigit || (0x61...0x66).contains($0) })
            else { throw JSONDecodingError("invalid digest \(quoted(text)): \(algorithm) needs \(hexLength) lowercase hex digits") }
        }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    public init(algorithm: DigestAlgorithm, hex: String) {
        self.algorithm = algorithm.rawValue
        encoded = hex
    }

    public init(json: JSONValue) throws { try self.init(json.stringValue()) }

    /// The SHA-256 digest of some bytes.
    public static func sha256(_ bytes: [UInt8]) -> Digest {
        Digest(algorithm: .sha256, hex: ContentHasher.hex(.sha256, of: bytes))
    }

    /// The algorithm, when it is one we can verify.
    public var verifiableAlgorithm: DigestAlgorithm? { DigestAlgorithm(rawValue: algorithm) }

    public var json: JSONValue { .string(description) }
    public var description: String { "\(algorithm):\(encoded)" }
}
