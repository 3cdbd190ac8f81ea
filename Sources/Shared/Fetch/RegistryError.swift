/// A docker registry that asked for more than rkt gives: credentials over plain http, or more
/// bytes than an image or its config may have.
public enum RegistryError: Error, Sendable, CustomStringConvertible {
    /// The registry's token realm would take the credentials over plain http (or another scheme).
    case insecureRealm(registry: String, realm: String)
    /// A config descriptor larger than a config may be.
    case configTooLarge(digest: String, size: Int64, limit: Int64)
    /// A layer, or all of them together, larger than the maximum image size.
    case imageTooLarge(reference: String, what: String, size: Int64, limit: Int64)
    /// A descriptor with a negative size.
    case invalidSize(digest: String, size: Int64)

    public var description: String {
        switch self {
        case .insecureRealm(let registry, let realm):
            "\(registry) wants its credentials sent to the token realm \(realm), which is not https: refused (a realm may use plain http only with --insecure-options=http)"
        case .configTooLarge(let digest, let size, let limit):
            "config \(digest): its descriptor says \(ByteSize.description(size)), more than the \(ByteSize.description(limit)) a config may have"
        case .imageTooLarge(let reference, let what, let size, let limit):
            "\(reference): \(what) is \(ByteSize.description(size)), more than \(ByteSize.description(limit)), the maximum image size (raise it with \(TransferLimits.Variable.maximumImageSize.usage))"
        case .invalidSize(let digest, let size):
            "blob \(digest): its descriptor gives the size \(size)"
        }
    }
}
