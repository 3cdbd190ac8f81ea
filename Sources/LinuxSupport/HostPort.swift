import Glibc

/// Whether a host port is free, found by binding it: a port forwarded to a pod must not take
/// traffic away from a host service listening on it.
public enum HostPort {
    /// True when `port` (`tcp` or `udp`) can be bound on `address` (IPv4, `0.0.0.0` for all).
    public static func isFree(address: String, port: UInt, protocol name: String) -> Bool {
        let fd = socket(AF_INET, Int32(name == "udp" ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return true }
        let socketDescriptor = FileDescriptor(fd)
        var reuse: Int32 = 1
        // A port in TIME_WAIT is not held by anyone.
        setsockopt(socketDescriptor.rawValue, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else { return true }
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor.rawValue, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0 || errno != EADDRINUSE
    }
}
