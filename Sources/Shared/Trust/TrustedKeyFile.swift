/// A key file of the trust store: where it is, what it covers, and its armored content.
public struct TrustedKeyFile: Sendable, Equatable {
    public enum Layer: String, Sendable {
        case system, local
    }

    public var scope: TrustScope
    /// The lowercase 40-hex fingerprint the file is named by.
    public var fingerprint: String
    public var path: String
    public var layer: Layer
    public var contents: [UInt8]
}
