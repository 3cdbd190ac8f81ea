/// Somewhere bytes are written in order: a file, standard output, a compressor in front of one.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes what is buffered; the sink takes no more bytes afterwards.
    func finish() throws
}

/// Writes straight to a file descriptor (which it does not close).
public final class FileSink: ByteSink {
    public let fileDescriptor: Int32
    private let name: String

    public init(fileDescriptor: Int32, name: String) {
        self.fileDescriptor = fileDescriptor
        self.name = name
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try FileIO.writeAll(fileDescriptor, bytes, path: name)
    }

    public func finish() throws {}
}
