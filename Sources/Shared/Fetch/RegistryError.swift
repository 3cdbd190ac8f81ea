/// A docker registry that did not give an image: an error status, a manifest rkt cannot use, an
/// authentication it cannot do, or a request for more than rkt gives (credentials over plain http,
/// more bytes than an image or its config may have).
public enum RegistryError: Error, Sendable, CustomStringConvertible {
    /// The registry answered a manifest request with another status than 200 (`body`: the
    /// beginning of its answer, empty when none).
    case manifestStatus(reference: DockerReference, manifest: String, status: Int, body: String)
    /// A manifest list or index that cannot be read.
    case invalidManifestList(reference: DockerReference, cause: any Error)
    /// A manifest list or index without an image for the platform.
    case noImageForPlatform(reference: DockerReference, platform: Platform, available: [String])
    /// A manifest of a type rkt cannot read.
    case unsupportedManifest(reference: DockerReference, mediaType: String)
    /// A manifest that cannot be read.
    case invalidManifest(reference: DockerReference, cause: any Error)
    /// A blob whose digest algorithm rkt cannot check.
    case unsupportedDigest(Digest)
    /// The registry answered a blob request with another status than 200.
    case blobStatus(digest: Digest, status: Int)
    /// A Basic challenge and no credentials in auth.d.
    case credentialsRequired(registry: String)
    /// A challenge neither Basic nor Bearer.
    case unsupportedChallenge(String)
    /// A Bearer challenge without a realm.
    case challengeWithoutRealm(String)
    /// The token realm answered with another status than 200.
    case tokenStatus(realm: String, status: Int)
    /// The token realm's answer has no token.
    case noToken(realm: String)
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
        case .manifestStatus(let reference, let manifest, let status, let body):
            "\(reference): manifest \(manifest): HTTP status \(status)" + (body.isEmpty ? "" : " (\(body))")
        case .invalidManifestList(let reference, let cause):
            "manifest list of \(reference): \(cause)"
        case .noImageForPlatform(let reference, let platform, let available):
            "\(reference) has no image for \(platform) (available: \(available.joined(separator: ", ")))"
        case .unsupportedManifest(let reference, let mediaType):
            "\(reference): unsupported manifest type \(quoted(mediaType))"
        case .invalidManifest(let reference, let cause):
            "manifest of \(reference): \(cause)"
        case .unsupportedDigest(let digest):
            "blob \(digest): unsupported digest algorithm"
        case .blobStatus(let digest, let status):
            "blob \(digest): HTTP status \(status)"
        case .credentialsRequired(let registry):
            "\(registry) requires credentials (configure dockerAuth in auth.d)"
        case .unsupportedChallenge(let challenge):
            "unsupported authentication challenge: \(challenge)"
        case .challengeWithoutRealm(let challenge):
            "authentication challenge without a realm: \(challenge)"
        case .tokenStatus(let realm, let status):
            "token request to \(realm): HTTP status \(status)"
        case .noToken(let realm):
            "token response from \(realm) has no token"
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
