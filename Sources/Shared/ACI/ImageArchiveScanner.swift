/// Reads an App Container Image archive member by member and checks it fully: only `manifest`
/// and `rootfs/…`, no duplicates, no absolute or `..` names, nothing beneath a symlink or file,
/// hard links only to earlier members inside the image, a manifest that is at most
/// `ImageManifest.maximumSize` and valid. The first problem stops the scan with an
/// `ImageArchiveError`; nothing is ever extracted here.
public struct ImageArchiveScanner {
    private var seen: [String: ArchiveEntry.FileType] = [:]
    private var impliedDirectories: Set<String> = []
    private var manifest: (bytes: [UInt8], manifest: ImageManifest)?
    private var sawRootfs = false

    /// Scans the archive; `visit` sees every member in order (use `reader` to read a member's data).
    /// Returns the manifest's bytes and decoded form.
    public static func scan(
        _ reader: ArchiveReader, visit: (ImageArchiveMember) throws -> Void = { _ in }
    ) throws -> (bytes: [UInt8], manifest: ImageManifest) {
        var scanner = ImageArchiveScanner()
        while let entry = try reader.next() {
            guard let name = try scanner.admit(entry) else { continue }
            if name == "manifest" {
                let result = try scanner.readManifest(entry, reader)
                try visit(.manifest(bytes: result.bytes, manifest: result.manifest))
            } else {
                try visit(.other(entry))
            }
        }
        return try scanner.finish()
    }

    /// Checks one member; returns its clean name, or nil for the archive root (`.`).
    mutating func admit(_ entry: ArchiveEntry) throws -> String? {
        let raw = entry.path
        if raw.hasPrefix("/") { throw ImageArchiveError.unsafe(raw, "absolute path") }
        if ArchivePath.hasParentReference(raw) { throw ImageArchiveError.unsafe(raw, "path contains \"..\"") }
        let name = ArchivePath.clean(raw)
        if name == "." { return nil }
        switch name {
        case "manifest":
            guard entry.type == .regular else { throw ImageArchiveError.structure("manifest is not a regular file") }
        case "rootfs":
            guard entry.type == .directory else { throw ImageArchiveError.structure("rootfs is not a directory") }
            sawRootfs = true
        default:
            guard name.hasPrefix("rootfs/") else { throw ImageArchiveError.unrecognized(name) }
        }
        if seen[name] != nil { throw ImageArchiveError.duplicate(name) }
        for ancestor in ArchivePath.ancestors(of: name) {
            if let type = seen[ancestor], type != .directory {
                throw ImageArchiveError.unsafe(raw, "\(quoted(ancestor)) above it is a \(type.word), not a directory")
            }
            impliedDirectories.insert(ancestor)
        }
        if entry.type != .directory, impliedDirectories.contains(name) {
            throw ImageArchiveError.unsafe(raw, "a \(entry.type.word) where earlier members need a directory")
        }
        if entry.type == .hardlink {
            let target = ArchivePath.clean(entry.linkTarget ?? "")
            guard let targetType = seen[target], target.hasPrefix("rootfs/"),
                  targetType != .directory, !ArchivePath.hasParentReference(entry.linkTarget ?? "")
            else {
                throw ImageArchiveError.unsafe(raw, "hard link to \(quoted(entry.linkTarget ?? "")), which is not an earlier file of the image")
            }
        }
        seen[name] = entry.type
        return name
    }

    private mutating func readManifest(_ entry: ArchiveEntry, _ reader: ArchiveReader) throws -> (bytes: [UInt8], manifest: ImageManifest) {
        guard entry.size <= ImageManifest.maximumSize else {
            throw ImageArchiveError.structure("manifest is \(entry.size) bytes, more than the \(ImageManifest.maximumSize / 1024) KiB limit")
        }
        let bytes = try reader.readAll(limit: ImageManifest.maximumSize)
        do {
            let decoded = try ImageManifest.decode(bytes)
            manifest = (bytes, decoded)
            return (bytes, decoded)
        } catch {
            throw ImageArchiveError.invalidManifest("\(error)")
        }
    }

    mutating func finish() throws -> (bytes: [UInt8], manifest: ImageManifest) {
        guard let manifest else { throw ImageArchiveError.structure("no image manifest found in archive") }
        guard sawRootfs else { throw ImageArchiveError.structure("no rootfs found in archive") }
        return manifest
    }
}

extension ArchiveEntry.FileType {
    /// A noun for messages.
    var word: String {
        switch self {
        case .regular: return "file"
        case .directory: return "directory"
        case .symlink: return "symlink"
        case .hardlink: return "hard link"
        case .characterDevice: return "character device"
        case .blockDevice: return "block device"
        case .fifo: return "fifo"
        case .socket: return "socket"
        }
    }
}
