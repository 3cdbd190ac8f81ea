import Glibc

/// Walks a directory tree depth-first with siblings in byte order (the order of Go's
/// `filepath.Walk`), never following symlinks, working relative to directory descriptors so a
/// concurrent rename cannot redirect the walk.
public enum DirectoryWalker {
    /// One file found by the walk.
    public struct Entry {
        /// The path below the walk's root (`bin/sh`).
        public let relativePath: String
        /// The name within its directory.
        public let name: String
        /// A descriptor of the directory holding it, valid during the visit only.
        public let directoryDescriptor: Int32
        /// Its `lstat` information.
        public let info: stat
    }

    /// Calls `visit` for every file and directory below `root` (not `root` itself).
    public static func walk(_ root: String, visit: (Entry) throws -> Void) throws {
        let directory = try FileDescriptor.open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        try walk(directory: directory.rawValue, prefix: "", rootPath: root, visit: visit)
    }

    /// The names in the directory at `path`, sorted by bytes.
    public static func sortedNames(atPath path: String) throws -> [String] {
        let directory = try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY)
        return try sortedNames(directory.rawValue, path: path)
    }

    /// The names in an open directory, sorted by bytes; names that are not UTF-8 are an error.
    public static func sortedNames(_ fd: Int32, path: String) throws -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw SystemCallError("open directory", path: path)
        }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        errno = 0
        while let item = readdir(stream) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        if errno != 0 { throw SystemCallError("read directory", path: path) }
        names.sort { $0.lexicographicallyPrecedes($1) }
        return try names.map { bytes in
            guard let name = String(validating: bytes, as: UTF8.self) else {
                throw SystemCallError("file name is not valid UTF-8 in", path: path, code: EILSEQ)
            }
            return name
        }
    }

    private static func walk(directory fd: Int32, prefix: String, rootPath: String, visit: (Entry) throws -> Void) throws {
        let here = prefix.isEmpty ? rootPath : "\(rootPath)/\(prefix)"
        for name in try sortedNames(fd, path: here) {
            var info = stat()
            if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 { throw SystemCallError("stat", path: "\(here)/\(name)") }
            let relative = prefix.isEmpty ? name : "\(prefix)/\(name)"
            try visit(Entry(relativePath: relative, name: name, directoryDescriptor: fd, info: info))
            if info.st_mode & S_IFMT == S_IFDIR {
                guard let child = FileDescriptor(checking: openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) else {
                    throw SystemCallError("open", path: "\(here)/\(name)")
                }
                try walk(directory: child.rawValue, prefix: relative, rootPath: rootPath, visit: visit)
            }
        }
    }
}
