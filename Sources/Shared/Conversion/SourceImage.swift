import Glibc

/// A container image ready to flatten or convert, whatever it came from: an OCI layout, an OCI
/// archive, or a docker-archive tar. Keeps any temporary extraction alive while it lives.
public final class SourceImage {
    public let config: ImageConfig
    public let configBytes: [UInt8]
    public let layers: [LayerSource]
    /// The reference the image was found by (`docker.io/library/busybox:latest`, or a tag).
    public let reference: String?
    private let temporary: TemporaryDirectory?

    init(config: ImageConfig, configBytes: [UInt8], layers: [LayerSource], reference: String?, temporary: TemporaryDirectory?) {
        self.config = config
        self.configBytes = configBytes
        self.layers = layers
        self.reference = reference
        self.temporary = temporary
    }

    /// Opens `LOCATION[:TAG]`: an OCI layout directory, or a tar (possibly compressed) holding an OCI
    /// layout or a `docker save`/`skopeo copy docker-archive:` image; `platform` picks from indexes.
    public static func open(_ location: String, platform: Platform) throws -> SourceImage {
        let (path, tag) = splitTag(location)
        var info = stat()
        guard stat(path, &info) == 0 else { throw SystemCallError("open", path: path) }
        if info.st_mode & S_IFMT == S_IFDIR { return try fromLayout(OCILayout(path: path), tag: tag, platform: platform, temporary: nil) }
        let temporary = try TemporaryDirectory(prefix: "rkt-image")
        try extractArchive(path, into: temporary.path)
        if access("\(temporary.path)/oci-layout", F_OK) == 0 {
            return try fromLayout(OCILayout(path: temporary.path), tag: tag, platform: platform, temporary: temporary)
        }
        if access("\(temporary.path)/manifest.json", F_OK) == 0 {
            return try DockerArchive.open(temporary, tag: tag, source: path)
        }
        throw OCILayoutError("\(path) is neither an OCI image layout archive nor a docker-archive (no oci-layout or manifest.json)")
    }

    /// Splits `path:tag` at the first colon after which the path exists (tags may hold colons and
    /// slashes: `layout:example.com/app:1.0`).
    static func splitTag(_ location: String) -> (String, String?) {
        if access(location, F_OK) == 0 { return (location, nil) }
        var index = location.startIndex
        while let colon = location[index...].firstIndex(of: ":") {
            let path = String(location[..<colon])
            if !path.isEmpty && access(path, F_OK) == 0 { return (path, String(location[location.index(after: colon)...])) }
            index = location.index(after: colon)
        }
        return (location, nil)
    }

    private static func fromLayout(_ layout: OCILayout, tag: String?, platform: Platform, temporary: TemporaryDirectory?) throws -> SourceImage {
        let image = try layout.resolve(tag: tag, platform: platform)
        guard image.manifest.layers.count == image.config.diffIDs.count else {
            throw OCILayoutError("manifest \(image.manifestDescriptor.digest) has \(image.manifest.layers.count) layers but its config lists \(image.config.diffIDs.count) diff_ids")
        }
        let layers = image.manifest.layers.map { descriptor in
            LayerSource(name: "layer \(descriptor.digest)") { try layout.layerReader(descriptor) }
        }
        return SourceImage(config: image.config, configBytes: image.configBytes, layers: layers,
                           reference: image.tag, temporary: temporary)
    }

    /// Extracts an archive safely (nothing outside `directory`, no devices).
    static func extractArchive(_ path: String, into directory: String) throws {
        let input = try InputFile(path: path)
        let applier = try LayerApplier(root: directory)
        do {
            try applier.apply(try input.archiveReader(), name: path)
        } catch {
            throw OCILayoutError("cannot read \(path): \(error)")
        }
    }
}
