import Glibc

/// Writes a directory tree into a tar, reproducibly: members in `filepath.Walk` order (depth-first,
/// siblings in byte order), times in whole seconds, owners from the files (or root), hard links by
/// device and inode, extended attributes in name order, sockets skipped.
public struct TreeArchiver {
    /// Record every member as owned by root:root.
    public var ownerRoot: Bool
    /// Use this modification time for every member instead of the files'.
    public var fixedTime: Int64?
    /// Name owners from this system's user and group databases (as Go's tar does for `actool
    /// build`). Off for trees that come from images: their members then carry numbers only, so an
    /// image gives the same bytes, and the same ID, on every host.
    public var hostOwnerNames: Bool

    public init(ownerRoot: Bool = false, fixedTime: Int64? = nil, hostOwnerNames: Bool = true) {
        self.ownerRoot = ownerRoot
        self.fixedTime = fixedTime
        self.hostOwnerNames = hostOwnerNames
    }

    /// Writes the members below `root`, named `prefix` + relative path (`rootfs/bin/sh`). With a
    /// non-empty `prefix`, the directory itself comes first as a member named `prefix` minus its slash.
    public func write(_ root: String, prefix: String, to writer: ArchiveWriter) throws {
        var owners = OwnerNames()
        if !prefix.isEmpty {
            var info = stat()
            if lstat(root, &info) != 0 { throw SystemCallError("stat", path: root) }
            try writer.writeHeader(entry(for: String(prefix.dropLast()), info: info, fullPath: root, owners: &owners))
        }
        var hardlinks: [FileIdentity: String] = [:]
        try DirectoryWalker.walk(root) { file in
            let fileType = file.info.st_mode & S_IFMT
            if fileType == S_IFSOCK { return }
            let path = prefix + file.relativePath
            let fullPath = "\(root)/\(file.relativePath)"
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
                try copyContents(of: file, expecting: member.size, fullPath: fullPath, to: writer)
            }
        }
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
        var member = ArchiveEntry(
            path: path, type: type, permissions: UInt32(info.st_mode & 0o7777),
            size: type == .regular ? Int64(info.st_size) : 0,
            uid: ownerRoot ? 0 : Int64(info.st_uid), gid: ownerRoot ? 0 : Int64(info.st_gid),
            userName: ownerRoot ? "root" : hostOwnerNames ? owners.user(info.st_uid) : nil,
            groupName: ownerRoot ? "root" : hostOwnerNames ? owners.group(info.st_gid) : nil,
            modificationTime: fixedTime ?? Int64(info.st_mtim.tv_sec), linkTarget: linkTarget)
        if type == .characterDevice || type == .blockDevice {
            let device = UInt64(info.st_rdev)
            member.deviceMajor = UInt32(((device >> 8) & 0xFFF) | ((device >> 32) & ~UInt64(0xFFF)))
            member.deviceMinor = UInt32((device & 0xFF) | ((device >> 12) & ~UInt64(0xFF)))
        }
        member.extendedAttributes = try ExtendedAttributes.read(fullPath)
        return member
    }

    private func copyContents(of file: DirectoryWalker.Entry, expecting size: Int64, fullPath: String,
                              to writer: ArchiveWriter) throws {
        guard let opened = FileDescriptor(checking: openat(file.directoryDescriptor, file.name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) else {
            throw SystemCallError("open", path: fullPath)
        }
        try writer.writeData(readingFile: opened.rawValue, size: size, path: fullPath)
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
