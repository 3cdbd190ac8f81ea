import Glibc

/// Removes files and whole directory trees without ever following a symlink.
public enum TreeRemover {
    /// Removes `name` inside the open directory `directory` (a file, link or tree); `path` names it in errors.
    public static func remove(_ name: String, in directory: Int32, path: String) throws {
        if unlinkat(directory, name, 0) == 0 || errno == ENOENT { return }
        guard errno == EISDIR else { throw SystemCallError("remove", path: path) }
        let fd = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw SystemCallError("open", path: path) }
        do {
            for child in try DirectoryWalker.sortedNames(fd, path: path) {
                try remove(child, in: fd, path: "\(path)/\(child)")
            }
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        if unlinkat(directory, name, AT_REMOVEDIR) != 0 && errno != ENOENT { throw SystemCallError("remove directory", path: path) }
    }

    /// Removes a path (file, link or tree); nothing if it does not exist.
    public static func remove(_ path: String) throws {
        let slash = path.lastIndex(of: "/")
        let parent = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let directory = FileDescriptor(checking: open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) else { return }
        try remove(name, in: directory.rawValue, path: path)
    }
}
