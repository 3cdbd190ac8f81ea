/// One image of a layout, resolved to a manifest for a platform: the manifest and config with
/// the exact bytes they were read from.
public struct ResolvedImage: Sendable {
    /// The tag it was found by, if any.
    public var tag: String?
    public var manifestDescriptor: Descriptor
    public var manifest: OCIManifest
    public var manifestBytes: [UInt8]
    public var config: ImageConfig
    public var configBytes: [UInt8]
}
