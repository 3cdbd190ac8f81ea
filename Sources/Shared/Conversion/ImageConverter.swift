import Glibc

/// Conversions between App Container Images and container images (OCI layouts, OCI archives,
/// docker-archives), and unpacking a container image into an appc image layout.
public enum ImageConverter {
    /// Flattens `source` into `directory` (which must not exist) as an appc layout (`rootfs/` and
    /// `manifest`) and returns the manifest. The name comes from `name`, else from the image's
    /// reference. On failure nothing is left behind.
    @discardableResult
    public static func unpack(_ source: SourceImage, into directory: String, name: String?) throws -> ImageManifest {
        if mkdir(directory, 0o755) != 0 {
            throw errno == EEXIST ? OCILayoutError("\(directory) exists") : SystemCallError("mkdir", path: directory)
        }
        do {
            return try unpackIntoNew(source, directory: directory, name: name)
        } catch {
            try? TreeRemover.remove(directory)
            throw error
        }
    }

    private static func unpackIntoNew(_ source: SourceImage, directory: String, name: String?) throws -> ImageManifest {
        let reference = source.reference.map(ImageReference.init)
        guard let appcName = name ?? reference?.name else {
            throw OCILayoutError("the image has no name to give the ACI (its reference is \(quoted(source.reference ?? "none"))); use --name")
        }
        let manifest = try ImageConfigMapping.imageManifest(
            from: source.config, name: try ImageReference.appcName(appcName), version: reference?.tag)
        let rootfs = "\(directory)/rootfs"
        if mkdir(rootfs, 0o755) != 0 { throw SystemCallError("mkdir", path: rootfs) }
        try ImageFlattener.flatten(source, into: rootfs)
        let output = try AtomicOutput(path: "\(directory)/manifest", overwrite: true)
        try FileIO.writeAll(output.fileDescriptor, JSONWriter.indented(manifest.json) + [0x0A], path: "\(directory)/manifest")
        try output.commit()
        return manifest
    }

    /// A container image to an ACI file (`-` for standard output).
    public static func toACI(_ source: SourceImage, output path: String, name: String?, compression: Compression, overwrite: Bool) throws {
        let staging = try TemporaryDirectory(prefix: "rkt-convert")
        try unpack(source, into: "\(staging.path)/layout", name: name)
        let layout = try ImageLayout(directory: "\(staging.path)/layout")
        let output = try AtomicOutput(path: path, overwrite: overwrite)
        try ImageBuilder(compression: compression, manifestTime: ImageBuilder.sourceDateEpoch ?? 0)
            .build(layout, to: FileSink(fileDescriptor: output.fileDescriptor, name: path), name: path)
        try output.commit()
    }

    /// An ACI file to an OCI layout directory (or an OCI archive when `target` ends in `.tar`).
    public static func toOCI(aci path: String, target: String, tag: String?, overwrite: Bool) throws {
        // The manifest is the last member, so the archive is scanned once to read it, then again to copy.
        let manifest = try ImageArchiveScanner.scan(try InputFile(path: path).archiveReader()).manifest
        let input = try InputFile(path: path)
        try OCIImageBuilder().build(aci: try input.archiveReader(), manifest: manifest, tag: tag, to: target, overwrite: overwrite)
    }
}
