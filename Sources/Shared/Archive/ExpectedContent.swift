/// What a stream of bytes must be: its exact size and digest (an OCI descriptor's promise).
public struct ExpectedContent: Sendable {
    public var size: Int64
    public var algorithm: DigestAlgorithm
    public var hex: String
    /// How to name the content in errors (`blob sha256:…`).
    public var name: String

    public init(size: Int64, algorithm: DigestAlgorithm, hex: String, name: String) {
        self.size = size
        self.algorithm = algorithm
        self.hex = hex
        self.name = name
    }
}

