import Glibc

/// Descriptors opened for a spawn, closed together.
struct DescriptorSet {
    private var opened: [Int32] = []

    mutating func open(_ path: String, _ flags: Int32) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC)
        if fd < 0 { throw Stage1Error("open \(path): \(String(cString: strerror(errno)))") }
        opened.append(fd)
        return fd
    }

    /// Closes `fd` with the others.
    mutating func adopt(_ fd: Int32) { opened.append(fd) }

    mutating func closeAll() {
        opened.forEach { close($0) }
        opened = []
    }
}
