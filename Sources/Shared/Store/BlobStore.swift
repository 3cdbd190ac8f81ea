import CLinux
import Glibc

/// The content-addressed blobs of the store: uncompressed ACI tars at
/// `cas/blob/sha512/<2 hex>/sha512-<64 hex>`. A blob is written as an unnamed temporary file,
/// fsynced, then linked to its name, so a crash leaves either nothing or a complete blob.
struct BlobStore {
    let root: String

    init(root: String) throws {
        self.root = root
        try FileIO.makeDirectories("\(root)/sha512")
    }

    func path(_ key: String) -> String {
        "\(root)/sha512/\(key.dropFirst("sha512-".count).prefix(2))/\(key)"
    }

    /// An unnamed file to write a blob into.
    func temporaryFile() throws -> FileDescriptor {
        guard let file = FileDescriptor(checking: rkt_open_tmpfile(root, 0o644)) else {
            throw SystemCallError("create a temporary file in", path: root)
        }
        return file
    }

    /// Names a finished temporary file as the blob `key` (after fsync); an existing blob stays.
    func commit(_ fd: Int32, key: String) throws {
        if fsync(fd) != 0 { throw SystemCallError("fsync blob", path: root) }
        let target = path(key)
        try FileIO.makeDirectories(String(target[..<target.lastIndex(of: "/")!]))
        if rkt_link_tmpfile(fd, target) != 0 && errno != EEXIST { throw SystemCallError("store blob", path: target) }
        if let directory = FileDescriptor(checking: open(String(target[..<target.lastIndex(of: "/")!]), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
            fsync(directory.rawValue)
        }
    }

    func exists(_ key: String) -> Bool { access(path(key), F_OK) == 0 }

    func remove(_ key: String) throws {
        if unlink(path(key)) != 0 && errno != ENOENT { throw SystemCallError("remove blob", path: path(key)) }
    }

    /// The keys of every blob on disk.
    func allKeys() throws -> [String] {
        let base = "\(root)/sha512"
        var keys: [String] = []
        for prefix in try DirectoryWalker.sortedNames(atPath: base) {
            let directory = "\(base)/\(prefix)"
            guard let inner = FileDescriptor(checking: open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) else { continue }
            keys += try DirectoryWalker.sortedNames(inner.rawValue, path: directory).filter { $0.hasPrefix("sha512-") }
        }
        return keys
    }
}
