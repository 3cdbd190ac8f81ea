import Glibc

/// Copies a directory tree, keeping types, modes, owners (when root) and modification times; files
/// can be hard-linked instead of copied (same file system, read-mostly content such as a stage1).
public enum TreeCopier {
    /// Copies `source` into `target` (created if missing).
    public static func copy(from source: String, to target: String, hardLinkFiles: Bool) throws {
        try FileIO.makeDirectories(target)
        var directories: [(String, stat)] = []
        try DirectoryWalker.walk(source) { file in
            let from = "\(source)/\(file.relativePath)"
            let to = "\(target)/\(file.relativePath)"
            let info = file.info
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if mkdir(to, 0o700) != 0 && errno != EEXIST { throw SystemCallError("mkdir", path: to) }
                directories.append((to, info))
                return
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = readlink(from, &buffer, buffer.count - 1)
                if count < 0 { throw SystemCallError("readlink", path: from) }
                buffer[count] = 0
                if symlink(buffer, to) != 0 { throw SystemCallError("symlink", path: to) }
            case S_IFREG:
                if !hardLinkFiles || link(from, to) != 0 { try copyFile(from, to, mode: info.st_mode & 0o7777) }
                if hardLinkFiles { return }
            default:
                if mknod(to, info.st_mode, info.st_rdev) != 0 { throw SystemCallError("mknod", path: to) }
            }
            lchown(to, info.st_uid, info.st_gid)
            if info.st_mode & S_IFMT != S_IFLNK { chmod(to, info.st_mode & 0o7777) }
            var times = [info.st_atim, info.st_mtim]
            utimensat(AT_FDCWD, to, &times, AT_SYMLINK_NOFOLLOW)
        }
        for (path, info) in directories.reversed() {
            chown(path, info.st_uid, info.st_gid)
            chmod(path, info.st_mode & 0o7777)
            var times = [info.st_atim, info.st_mtim]
            utimensat(AT_FDCWD, path, &times, 0)
        }
    }

    /// Copies one regular file's content into a new file with `mode`.
    public static func copyFile(_ from: String, _ to: String, mode: mode_t) throws {
        let input = try FileDescriptor.open(from, O_RDONLY)
        let output = try FileDescriptor.open(to, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        try ReadAhead.forEach(fileDescriptor: input.rawValue, path: from) { try FileIO.writeAll(output.rawValue, $0, path: to) }
    }
}
