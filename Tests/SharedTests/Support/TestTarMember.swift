import Shared

/// One member of a test tar: its header and, for regular files, its content.
struct TestTarMember {
    var entry: ArchiveEntry
    var content: [UInt8] = []

    static func file(_ path: String, _ text: String, mode: UInt32 = 0o644, uid: Int64 = 0, gid: Int64 = 0, mtime: Int64 = 1_000_000) -> TestTarMember {
        let bytes = Array(text.utf8)
        return TestTarMember(entry: ArchiveEntry(path: path, type: .regular, permissions: mode, size: Int64(bytes.count), uid: uid, gid: gid,
                                                modificationTime: mtime), content: bytes)
    }

    static func directory(_ path: String, mode: UInt32 = 0o755, uid: Int64 = 0, gid: Int64 = 0, mtime: Int64 = 1_000_000) -> TestTarMember {
        TestTarMember(entry: ArchiveEntry(path: path, type: .directory, permissions: mode, uid: uid, gid: gid, modificationTime: mtime))
    }

    static func symlink(_ path: String, to target: String) -> TestTarMember {
        TestTarMember(entry: ArchiveEntry(path: path, type: .symlink, permissions: 0o777, modificationTime: 1_000_000, linkTarget: target))
    }

    static func hardlink(_ path: String, to target: String) -> TestTarMember {
        TestTarMember(entry: ArchiveEntry(path: path, type: .hardlink, permissions: 0o644, modificationTime: 1_000_000, linkTarget: target))
    }

    static func device(_ path: String, major: UInt32, minor: UInt32) -> TestTarMember {
        var entry = ArchiveEntry(path: path, type: .characterDevice, permissions: 0o666)
        entry.deviceMajor = major
        entry.deviceMinor = minor
        return TestTarMember(entry: entry)
    }

    /// A whiteout (an empty regular file).
    static func whiteout(_ path: String) -> TestTarMember { file(path, "", mode: 0) }
}
