import Glibc

/// A file opened for reading by name, `-` meaning standard input, with its first bytes already
/// read for content sniffing (they are handed on, so pipes work).
public final class InputFile {
    public let path: String
    public let fileDescriptor: Int32
    /// The first bytes (up to `Compression.sniffLength`), already consumed from the descriptor.
    public let head: [UInt8]
    private let owned: Bool

    public init(path: String) throws {
        self.path = path
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
    public var displayName: String { path == "-" ? "standard input" : path }

    /// An archive reader over the whole content (the sniffed head included).
    public func archiveReader(format: ArchiveReader.Format = .tar) throws -> ArchiveReader {
        try ArchiveReader(fileDescriptor: fileDescriptor, prefix: head, name: displayName, format: format)
    }

    /// The whole content, refusing more than `limit` bytes.
    public func readAll(limit: Int) throws -> [UInt8] {
        guard head.count < limit else { throw FileTooLargeError(path: displayName, limit: limit) }
        return head + (try FileIO.readAll(fileDescriptor, path: displayName, limit: limit - head.count))
    }

    deinit { if owned { close(fileDescriptor) } }
}
