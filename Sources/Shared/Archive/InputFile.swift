import Glibc

/// A file opened for reading by name, `-` meaning standard input, with its first bytes already
/// read for content sniffing (they are handed on, so pipes work).
public final class InputFile {
    public let path: String
    public let fileDescriptor: Int32
    /// The first bytes (up to `Compression.sniffLength`), already consumed from the descriptor.
    public let head: [UInt8]
    private let owned: Bool

    /// Opens `path`; `displayName` names it in messages instead (a download named by its URL).
    public init(path: String, displayName: String? = nil) throws {
        self.path = path
        self.displayName = displayName ?? (path == "-" ? "standard input" : path)
        let fd = path == "-" ? STDIN_FILENO : try FileIO.open(path, O_RDONLY)
        fileDescriptor = fd
        owned = path != "-"
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw SystemCallError("read", path: path, code: EISDIR)
        }
        var head = [UInt8](repeating: 0, count: Compression.sniffLength)
        var filled = 0
        while filled < head.count {
            let count = try head.withUnsafeMutableBytes { raw in
                try FileIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), path: path)
            }
            if count == 0 { break }
            filled += count
        }
        self.head = Array(head[..<filled])
    }

    /// The name to show in messages (`standard input` for `-`).
    public let displayName: String

    /// An archive reader over the whole content (the sniffed head included). It reads through its
    /// own descriptor, so it may outlive this object.
    public func archiveReader(format: ArchiveReader.Format = .tar) throws -> ArchiveReader {
        let fd = dup(fileDescriptor)
        if fd < 0 { throw SystemCallError("dup", path: displayName) }
        return try ArchiveReader(fileDescriptor: fd, prefix: head, name: displayName, format: format, ownsDescriptor: true)
    }

    /// The whole content, refusing more than `limit` bytes.
    public func readAll(limit: Int) throws -> [UInt8] {
        guard head.count < limit else { throw FileTooLargeError(path: displayName, limit: limit) }
        return head + (try FileIO.readAll(fileDescriptor, path: displayName, limit: limit - head.count))
    }

    /// Runs `body` with a descriptor positioned at the start of the content: the file itself
    /// rewound, or for a pipe a temporary copy of it.
    public func withContent<T>(_ body: (Int32) throws -> T) throws -> T {
        if lseek(fileDescriptor, 0, SEEK_SET) == 0 { return try body(fileDescriptor) }
        let staging = try TemporaryDirectory(prefix: "rkt-input")
        let file = try FileDescriptor.open("\(staging.path)/content", O_RDWR | O_CREAT | O_EXCL, mode: 0o600)
        let copy = file.rawValue
        try FileIO.writeAll(copy, head, path: displayName)
        try ReadAhead.forEach(fileDescriptor: fileDescriptor, path: displayName) { try FileIO.writeAll(copy, $0, path: displayName) }
        lseek(copy, 0, SEEK_SET)
        return try body(copy)
    }

    deinit { if owned { close(fileDescriptor) } }
}
