import CLinux
import Glibc

/// The file operations the stage1 needs, with errors naming the path.
public enum FileSystem {
    public static func read(_ path: String, limit: Int = 16 << 20) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw Stage1Error("open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        return try read(descriptor: fd, path: path, limit: limit)
    }

    /// Everything left to read from `fd`, at most `limit` bytes (`path` names it in errors).
    public static func read(descriptor fd: Int32, path: String, limit: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = Glibc.read(fd, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw Stage1Error("read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return result }
            guard result.count + count <= limit else { throw Stage1Error("\(path) is too large") }
            result.append(contentsOf: chunk[..<count])
        }
    }

    public static func write(_ path: String, _ text: String, mode: mode_t = 0o644) throws {
        let fd = try openForWriting(path, mode: mode)
        defer { close(fd) }
        try writeAll(fd, Array(text.utf8), path: path)
    }

    /// `path` opened for writing (created, truncated).
    public static func openForWriting(_ path: String, mode: mode_t = 0o644) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        if fd < 0 { throw Stage1Error("create \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Writes every byte to `fd` (`path` names it in errors).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { throw Stage1Error("write \(path): \(String(cString: strerror(errno)))") }
            offset += count
        }
    }

    /// Writes `bytes` to `fd` as far as it takes them (a terminal the user closed takes none).
    public static func writeBestEffort(_ fd: Int32, _ bytes: ArraySlice<UInt8>) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            offset += count
        }
    }

    /// `mkdir -p` (existing directories are fine).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        // Usually the parent exists: one call. Otherwise the missing parents first, deepest last.
        if mkdir(path, mode) == 0 || errno == EEXIST { return }
        guard errno == ENOENT, let slash = path.lastIndex(of: "/"), slash > path.startIndex else {
            throw Stage1Error("mkdir \(path): \(String(cString: strerror(errno)))")
        }
        try makeDirectories(String(path[..<slash]), mode: mode)
        if mkdir(path, mode) != 0 && errno != EEXIST { throw Stage1Error("mkdir \(path): \(String(cString: strerror(errno)))") }
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` exists in the tree at `root`, resolved as if `root` were `/` (an image's
    /// absolute symlinks stay in the image).
    public static func exists(_ path: String, inRoot root: String) -> Bool {
        (try? RootDirectory(root))?.existing(path) != nil
    }

    /// The target of a symbolic link.
    public static func link(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        if count < 0 { throw Stage1Error("readlink \(path): \(String(cString: strerror(errno)))") }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Makes `directory` the process's root: bound onto itself (with what is mounted below it),
    /// pivot_root, the old root detached. Nothing outside `directory` stays reachable by path.
    public static func pivotRoot(into directory: String) throws {
        try mount(directory, directory, type: nil, flags: rkt_ms_bind | rkt_ms_rec)
        func check(_ result: Int32, _ step: String) throws {
            if result != 0 { throw Stage1Error("\(step) (\(directory)): \(String(cString: strerror(errno)))") }
        }
        try check(chdir(directory), "enter the new root")
        try check(rkt_pivot_root(".", "."), "pivot_root")
        try check(rkt_umount(".", rkt_mnt_detach), "detach the old root")
        try check(chdir("/"), "chdir /")
    }

    public static func mount(_ source: String?, _ target: String, type: String?, flags: UInt, data: String? = nil) throws {
        if rkt_mount(source, target, type, flags, data) != 0 {
            throw Stage1Error("mount \(source ?? type ?? "") on \(target): \(String(cString: strerror(errno)))")
        }
    }
}
