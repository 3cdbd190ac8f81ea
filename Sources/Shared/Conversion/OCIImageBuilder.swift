import Glibc

/// Builds an OCI image (one gzip layer, a config mapped from the appc manifest, a manifest, and an
/// index tagging it) from an appc image layout or an ACI archive. Reproducible: the same input
/// gives the same digests. Writes a layout directory, or an OCI archive when the target ends in `.tar`.
public struct OCIImageBuilder {
    /// Record every file as owned by root:root.
    public var ownerRoot: Bool

    public init(ownerRoot: Bool = false) { self.ownerRoot = ownerRoot }

    /// From an appc layout directory.
    public func build(_ layout: ImageLayout, tag: String?, to target: String, overwrite: Bool) throws {
        try build(manifest: layout.manifest, tag: tag, to: target, overwrite: overwrite) { writer in
            try TreeArchiver(ownerRoot: ownerRoot).write("\(layout.directory)/rootfs", prefix: "", to: writer)
        }
    }

    /// From an ACI archive, re-writing its rootfs members without extracting them.
    public func build(aci reader: ArchiveReader, manifest: ImageManifest, tag: String?, to target: String, overwrite: Bool) throws {
        try build(manifest: manifest, tag: tag, to: target, overwrite: overwrite) { writer in
            _ = try ImageArchiveScanner.scan(reader) { member in
                guard case .other(var entry) = member else { return }
                let name = ArchivePath.clean(entry.path)
                guard name.hasPrefix("rootfs/") else { return }
                entry.path = String(name.dropFirst("rootfs/".count))
                if entry.type == .hardlink, let target = entry.linkTarget {
                    entry.linkTarget = String(ArchivePath.clean(target).dropFirst("rootfs/".count))
                }
                if ownerRoot { (entry.uid, entry.gid, entry.userName, entry.groupName) = (0, 0, "root", "root") }
                try writer.writeHeader(entry)
                guard entry.type == .regular else { return }
                try writer.writeData(copyingFrom: reader)
            }
        }
    }

    private func build(manifest: ImageManifest, tag: String?, to target: String, overwrite: Bool,
                       writeLayer: (ArchiveWriter) throws -> Void) throws {
        let asArchive = target.hasSuffix(".tar")
        if !overwrite && access(target, F_OK) == 0 { throw AtomicOutput.ExistsError(path: target) }
        // Staged next to the target, so the finished layout is renamed into place.
        let parent = target.lastIndex(of: "/").map { String(target[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
        let staging = try TemporaryDirectory(prefix: ".rkt-oci", parent: asArchive ? nil : parent)
        let layoutPath = "\(staging.path)/layout"
        let layout = try OCILayoutWriter(directory: layoutPath)
        var diffID: Digest?
        let layer = try layout.writeBlob(mediaType: MediaType.layerGzip) { compressed in
            let uncompressed = HashingSink(downstream: ParallelGzipSink(downstream: compressed))
            let writer = try ArchiveWriter(sink: uncompressed, compression: .none, name: "layer")
            try writeLayer(writer)
            try writer.finish()
            diffID = uncompressed.digest()
        }
        let config = ImageConfigMapping.imageConfig(from: manifest, diffIDs: [diffID!])
        let configDescriptor = try layout.writeJSON(config.json, mediaType: MediaType.imageConfig)
        var annotations: [String: String] = [:]
        if let version = manifest.labels["version"] { annotations["org.opencontainers.image.version"] = version }
        annotations["org.opencontainers.image.title"] = manifest.name.value
        if let created = manifest.annotations["created"] { annotations["org.opencontainers.image.created"] = created }
        let ociManifest = OCIManifest(config: configDescriptor, layers: [layer], annotations: annotations)
        var manifestDescriptor = try layout.writeJSON(ociManifest.json, mediaType: MediaType.imageManifest)
        manifestDescriptor.platform = Platform(os: config.os, architecture: config.architecture, variant: config.variant)
        if let tag = tag ?? manifest.labels["version"] {
            manifestDescriptor.annotations[Descriptor.refNameAnnotation] = tag
        }
        try layout.writeIndex([manifestDescriptor])
        if !asArchive {
            if access(target, F_OK) == 0 { try TreeRemover.remove(target) }
            if rename(layoutPath, target) != 0 { throw SystemCallError("rename to", path: target) }
        } else {
            let output = try AtomicOutput(path: target, overwrite: overwrite)
            let writer = try ArchiveWriter(sink: FileSink(fileDescriptor: output.fileDescriptor, name: target), compression: .none, name: target)
            try TreeArchiver(ownerRoot: true, fixedTime: ImageBuilder.sourceDateEpoch ?? 0).write(layoutPath, prefix: "", to: writer)
            try writer.finish()
            try output.commit()
        }
    }
}
