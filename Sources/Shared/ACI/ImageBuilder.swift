import Glibc

/// Builds an App Container Image archive from a layout, reproducibly (`TreeArchiver` for the
/// rootfs, then the canonical manifest as the last member).
public struct ImageBuilder {
    public var compression: Compression
    /// Write every member as owned by root:root.
    public var ownerRoot: Bool
    /// The time of the manifest member; nil uses the manifest file's modification time.
    public var manifestTime: Int64?

    public init(compression: Compression = .gzip, ownerRoot: Bool = false, manifestTime: Int64? = nil) {
        self.compression = compression
        self.ownerRoot = ownerRoot
        self.manifestTime = manifestTime
    }

    /// The manifest time from `SOURCE_DATE_EPOCH` (reproducible-builds.org), if set and valid.
    public static var sourceDateEpoch: Int64? {
        getenv("SOURCE_DATE_EPOCH").flatMap { Int64(String(cString: $0)) }
    }

    /// Writes the image to `sink` (which the caller commits or discards).
    public func build(_ layout: ImageLayout, to sink: ByteSink, name: String) throws {
        let writer = try ArchiveWriter(sink: sink, compression: compression, name: name)
        try TreeArchiver(ownerRoot: ownerRoot).write("\(layout.directory)/rootfs", prefix: "rootfs/", to: writer)
        let manifestBytes = layout.manifest.compactJSON
        let manifest = ArchiveEntry(path: "manifest", type: .regular, permissions: 0o644, size: Int64(manifestBytes.count),
                                    uid: 0, gid: 0, userName: "root", groupName: "root",
                                    modificationTime: manifestTime ?? layout.manifestModificationTime)
        try writer.writeHeader(manifest)
        try writer.writeData(manifestBytes)
        try writer.finish()
    }
}
