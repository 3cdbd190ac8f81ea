import Glibc

/// Getting images out of the store: the stored ACI byte for byte, or its files in a directory.
public enum ImageExtraction {
    /// Writes the stored (uncompressed) ACI to `path`, identical to what was imported.
    public static func export(store: ImageStore, record: ImageRecord, to path: String, overwrite: Bool) throws {
        let output: AtomicOutput
        do {
            output = try AtomicOutput(path: path, overwrite: overwrite)
        } catch is AtomicOutput.ExistsError {
            throw StoreError.outputFileExists
        }
        let blob = try store.openBlob(record.key)
        try ReadAhead.forEach(fileDescriptor: blob.rawValue, path: store.blobPath(record.key)) { chunk in
            try FileIO.writeAll(output.fileDescriptor, chunk, path: path)
        }
        try output.commit()
        try store.touch(record.key)
    }

    /// Writes the image's files into `directory` (which must not exist, unless `overwrite`):
    /// `rootfs/` and `manifest`, or the rootfs's content alone with `rootfsOnly`. `rendered` applies
    /// the image's dependencies first (its tree from the tree store).
    public static func extract(store: ImageStore, record: ImageRecord, to directory: String, rootfsOnly: Bool,
                               overwrite: Bool, rendered: Bool) throws {
        guard ArchivePath.clean(directory) != "/" else { throw StoreError.extractionIntoRoot }
        if access(directory, F_OK) == 0 {
            guard overwrite else { throw StoreError.outputDirectoryExists }
            try TreeRemover.remove(directory)
        }
        try FileIO.makeDirectories(directory)
        do {
            let target = rootfsOnly ? directory : "\(directory)/rootfs"
            if !rootfsOnly { try FileIO.makeDirectories(target) }
            let applier = try LayerApplier(root: target)
            applier.allowDevices = geteuid() == 0
            applier.interpretWhiteouts = false
            applier.pathPrefix = "rootfs"
            if rendered {
                let tree = try store.render(record)
                let staging = try TemporaryDirectory(prefix: "rkt-render")
                let archive = "\(staging.path)/tree.tar"
                let output = try FileIO.open(archive, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
                let writer = try ArchiveWriter(sink: FileSink(fileDescriptor: output, name: archive), compression: .none, name: archive)
                try TreeArchiver(hostOwnerNames: false).write(tree.rootfs, prefix: "rootfs/", to: writer)
                try writer.finish()
                close(output)
                try applier.apply(try InputFile(path: archive).archiveReader(), name: record.key)
            } else {
                let input = try InputFile(path: store.blobPath(record.key))
                try applier.apply(try input.archiveReader(), name: record.key)
            }
            if !rootfsOnly { try FileIO.writeFile("\(directory)/manifest", Array(record.manifest)) }
            try store.touch(record.key)
        } catch {
            try? TreeRemover.remove(directory)
            throw error
        }
    }
}
