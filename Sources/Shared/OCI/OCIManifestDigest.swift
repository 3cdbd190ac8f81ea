/// The manifest digest of an image in an OCI layout (`LAYOUT[:TAG]`), what simple signing signs.
public enum OCIManifestDigest {
    public static func resolve(_ location: String, platform: Platform = .host) throws -> Digest {
        let (path, tag) = SourceImage.splitTag(location)
        let image = try OCILayout(path: path).resolve(tag: tag, platform: platform)
        return Digest.sha256(image.manifestBytes)
    }
}
