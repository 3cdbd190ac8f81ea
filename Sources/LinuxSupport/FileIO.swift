import Glibc

/// Small, careful wrappers around read(2)/write(2)/open(2) that retry on EINTR and report
/// errors with the path involved.
public enum FileIO {
    /// Opens `path` with `flags` (O_CLOEXEC added); throws with the path on failure.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw SystemCallError("open", path: path) }
        }
    }

    /// The buffer size for streaming copies: syscalls per byte cost nothing at this size, and a
    /// short command does not fault in a megabyte of fresh pages per buffer.
    public static let chunkSize = 64 * 1024

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw SystemCallError("read", path: path) }
        }
    }

    /// Reads the whole file, refusing files larger than `limit` bytes. A regular file is read
    /// into one buffer of its size (one byte more, to see its end); pipes and /proc files into a
    /// buffer that doubles as it fills.
    public static func readAll(_ fd: Int32, path: String, limit: Int) throws -> [UInt8] {
        var info = stat()
        let size = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
        guard limit >= 0, size <= limit else { throw FileTooLargeError(path: path, limit: limit) }
        var result = [UInt8](repeating: 0, count: min(max(size, 4096), limit) + 1)
        var used = 0
        while true {
            // used ≥ 1 and ≤ limit here: no overflow even for limit == Int.max.
            if used == result.count { result.append(contentsOf: repeatElement(0, count: min(result.count, limit - used + 1))) }
            let count = try result.withUnsafeMutableBytes { try read(fd, into: .init(rebasing: $0[used...]), path: path) }
            if count == 0 { break }
            used += count
            if used > limit { throw FileTooLargeError(path: path, limit: limit) }
        }
        result.removeLast(result.count - used)
        return result
    }

    /// Reads a whole file by path (see `readAll(_:path:limit:)`).
    public static func readFile(_ path: String, limit: Int = 16 << 20) throws -> [UInt8] {
        let file = try FileDescriptor.open(path, O_RDONLY)
        return try readAll(file.rawValue, path: path, limit: limit)
    }

    /// Writes every byte, retrying short writes.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("write", path: path)
            }
            offset += count
        }
    }

    /// Creates (or truncates) a file with `bytes`.
    public static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        let file = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        try writeAll(file.rawValue, bytes, path: path)
    }

    /// Creates (or truncates) a file with `text`.
    public static func writeFile(_ path: String, _ text: String, mode: mode_t = 0o644) throws {
        try writeFile(path, Array(text.utf8), mode: mode)
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

    /// Whether anything (a dangling symlink too) is at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` is a directory (symlinks followed).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The target of a symbolic link.
    public static func link(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        if count < 0 { throw SystemCallError("readlink", path: path) }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates a directory and any missing parents (`mkdir -p`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        // Usually the parent exists: one call. Otherwise the missing parents first, deepest last.
        if mkdir(path, mode) == 0 || errno == EEXIST { return }
        guard errno == ENOENT, let slash = path.lastIndex(of: "/"), slash > path.startIndex else {
            throw SystemCallError("mkdir", path: path)
        }
        try makeDirectories(String(path[..<slash]), mode: mode)
        if mkdir(path, mode) != 0 && errno != EEXIST { throw SystemCallError("mkdir", path: path) }
    }

    /// Writes every byte of an array.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Writes every byte of `text` in UTF-8.
    public static func writeAll(_ fd: Int32, _ text: String, path: String) throws {
        var text = text
        try text.withUTF8 { try writeAll(fd, UnsafeRawBufferPointer($0), path: path) }
    }
}
