import Glibc

/// Builds an App Container Image archive from a layout, reproducibly: members in `filepath.Walk`
/// order (`rootfs`, then its tree depth-first in byte order), times in whole seconds, owners
/// from the files (or root with `ownerRoot`), hard links by device and inode, extended
/// attributes in name order, sockets skipped, and the canonical manifest last.
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
        let rootfsPath = "\(layout.directory)/rootfs"
        var rootInfo = stat()
        if lstat(rootfsPath, &rootInfo) != 0 { throw SystemCallError("stat", path: rootfsPath) }
        var owners = OwnerNames()
        try writer.writeHeader(entry(for: "rootfs", info: rootInfo, fullPath: rootfsPath, owners: &owners))
        var hardlinks: [FileIdentity: String] = [:]
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        try DirectoryWalker.walk(rootfsPath) { file in
            let fileType = file.info.st_mode & S_IFMT
            if fileType == S_IFSOCK { return }
            let path = "rootfs/\(file.relativePath)"
            let fullPath = "\(layout.directory)/\(path)"
            var member = try entry(for: path, info: file.info, fullPath: fullPath, owners: &owners)
            if fileType == S_IFREG && file.info.st_nlink > 1 {
                let identity = FileIdentity(device: UInt64(file.info.st_dev), inode: UInt64(file.info.st_ino))
                if let first = hardlinks[identity] {
                    member.type = .hardlink
                    member.linkTarget = first
                    member.size = 0
                    member.extendedAttributes = []
                    try writer.writeHeader(member)
                    return
                }
                hardlinks[identity] = path
            }
            try writer.writeHeader(member)
            if fileType == S_IFREG {
                try copyContents(of: file, expecting: member.size, fullPath: fullPath, to: writer, buffer: &buffer)
            }
        }
        let manifestBytes = layout.manifest.compactJSON
        var manifest = ArchiveEntry(path: "manifest", type: .regular, permissions: 0o644, size: Int64(manifestBytes.count),
                                    uid: 0, gid: 0, userName: "root", groupName: "root",
                                    modificationTime: manifestTime ?? layout.manifestModificationTime)
        manifest.extendedAttributes = []
        try writer.writeHeader(manifest)
        try manifestBytes.withUnsafeBytes { try writer.writeData($0) }
        try writer.finish()
    }

    private func entry(for path: String, info: stat, fullPath: String, owners: inout OwnerNames) throws -> ArchiveEntry {
        let type: ArchiveEntry.FileType
        var linkTarget: String?
        switch info.st_mode & S_IFMT {
        case S_IFDIR: type = .directory
        case S_IFLNK:
            type = .symlink
            linkTarget = try Self.readLink(fullPath)
        case S_IFCHR: type = .characterDevice
        case S_IFBLK: type = .blockDevice
        case S_IFIFO: type = .fifo
        default: type = .regular
        }
        let uid = ownerRoot ? 0 : Int64(info.st_uid)
        let gid = ownerRoot ? 0 : Int64(info.st_gid)
        var member = ArchiveEntry(
            path: path, type: type, permissions: UInt32(info.st_mode & 0o7777),
            size: type == .regular ? Int64(info.st_size) : 0, uid: uid, gid: gid,
            userName: ownerRoot ? "root" : owners.user(info.st_uid), groupName: ownerRoot ? "root" : owners.group(info.st_gid),
            modificationTime: Int64(info.st_mtim.tv_sec), linkTarget: linkTarget)
        if type == .characterDevice || type == .blockDevice {
            let device = UInt64(info.st_rdev)
            member.deviceMajor = UInt32(((device >> 8) & 0xFFF) | ((device >> 32) & ~UInt64(0xFFF)))
            member.deviceMinor = UInt32((device & 0xFF) | ((device >> 12) & ~UInt64(0xFF)))
        }
        member.extendedAttributes = try ExtendedAttributes.read(fullPath)
        return member
    }

    private func copyContents(of file: DirectoryWalker.Entry, expecting size: Int64, fullPath: String,
                              to writer: ArchiveWriter, buffer: inout [UInt8]) throws {
        let fd = openat(file.directoryDescriptor, file.name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw SystemCallError("open", path: fullPath) }
        defer { close(fd) }
        var total: Int64 = 0
        while total < size {
            let count = try buffer.withUnsafeMutableBytes { raw in
                try FileIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<min(raw.count, Int(size - total))]), path: fullPath)
            }
            if count == 0 { break }
            try buffer.withUnsafeBytes { try writer.writeData(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            total += Int64(count)
        }
        if total != size { throw ArchiveError("\(fullPath): file changed size while the image was being built") }
    }

    private static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        if count < 0 { throw SystemCallError("readlink", path: path) }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }
}
