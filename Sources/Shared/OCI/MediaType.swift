/// Media types of the OCI image format and their Docker schema-2 equivalents.
public enum MediaType {
    public static let descriptor = "application/vnd.oci.descriptor.v1+json"
    public static let layoutHeader = "application/vnd.oci.layout.header.v1+json"
    public static let imageIndex = "application/vnd.oci.image.index.v1+json"
    public static let imageManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let imageConfig = "application/vnd.oci.image.config.v1+json"
    public static let layer = "application/vnd.oci.image.layer.v1.tar"
    public static let layerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let layerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let layerNondistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar"
    public static let layerNondistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    public static let layerNondistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
    public static let empty = "application/vnd.oci.empty.v1+json"

    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let dockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"

    /// Index-like types (an OCI index or a Docker manifest list).
    public static func isIndex(_ type: String) -> Bool { type == imageIndex || type == dockerManifestList }

    /// Manifest-like types (an OCI manifest or a Docker schema-2 manifest).
    public static func isManifest(_ type: String) -> Bool { type == imageManifest || type == dockerManifest }

    /// Config types.
    public static func isConfig(_ type: String) -> Bool { type == imageConfig || type == dockerConfig }

    /// Layer types, and the compression their name promises.
    public static func layerCompression(_ type: String) -> Compression? {
        switch type {
        case layer, layerNondistributable: return Compression.none
        case layerGzip, layerNondistributableGzip, dockerLayerGzip, dockerForeignLayerGzip: return .gzip
        case layerZstd, layerNondistributableZstd: return .zstd
        default: return nil
        }
    }

    /// Whether `type` follows the media-type grammar (`type/subtype`, RFC 6838 characters, ≤127 each).
    public static func isValid(_ type: String) -> Bool {
        let parts = type.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let allowed = Set("!#$&^_.+-".utf8)
        return parts.allSatisfy { part in
            guard let first = part.utf8.first, first.isASCIILetter || first.isASCIIDigit, part.utf8.count <= 127 else { return false }
            return part.utf8.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || allowed.contains($0) }
        }
    }
}
