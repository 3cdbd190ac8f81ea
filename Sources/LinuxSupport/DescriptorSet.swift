import Glibc

/// Descriptors opened for a spawn, closed together.
public struct DescriptorSet {
    private var opened: [Int32] = []

    public init() {}

    /// Opens `path` (close-on-exec added); throws naming it.
    public mutating func open(_ path: String, _ flags: Int32) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC)
        if fd < 0 { throw SystemCallError("open", path: path) }
        opened.append(fd)
        return fd
    }

    /// Closes `fd` with the others.
    public mutating func adopt(_ fd: Int32) { opened.append(fd) }

    public mutating func closeAll() {
        opened.forEach { close($0) }
        opened = []
    }
}
