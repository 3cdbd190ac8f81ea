/// What the metadata service knows of one registered pod.
public struct MetadataPod: Sendable {
    public let uuid: PodUUID
    /// The secret in the pod's `AC_METADATA_URL` that stands for the pod.
    public let token: String
    /// The pod manifest as registered (served as it came).
    public let manifestBytes: [UInt8]
    public let manifest: PodManifest
    /// The image manifests of the pod's apps, by app name, as registered.
    public var imageManifests: [String: [UInt8]] = [:]
    /// The pod's own HMAC key: a signature of one pod verifies with no other pod's key.
    public let hmacKey: [UInt8]

    /// Reads the manifest; a new random HMAC key is made for the pod.
    public init(uuid: PodUUID, token: String, manifest manifestBytes: [UInt8]) throws {
        self.uuid = uuid
        self.token = token
        self.manifestBytes = manifestBytes
        manifest = try PodManifest.decode(manifestBytes)
        hmacKey = MetadataToken.randomBytes(64)
    }

    /// The pod's app named `name`, if any.
    public func app(_ name: String) -> RuntimeApp? {
        manifest.apps?.first { $0.name.value == name }
    }

    /// The HMAC-SHA-512 of the pod's UUID followed by `content`, under the pod's key (rkt's scheme).
    public func sign(_ content: [UInt8]) -> [UInt8] {
        HMAC.sha512(key: hmacKey, uuid.bytes, content)
    }
}
