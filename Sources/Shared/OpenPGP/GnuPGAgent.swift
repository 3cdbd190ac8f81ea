import Glibc

/// The gpg-agent of a GnuPG home: signing and key generation need one, and a one-shot command
/// must not leave one behind that it started.
public enum GnuPGAgent {
    /// Whether an agent is serving `home`: its socket accepts a connection.
    public static func isRunning(home: String) -> Bool {
        let listing = Subprocess.run("/usr/bin/gpgconf", ["--homedir", home, "--list-dirs", "agent-socket"])
        let path = String(decoding: listing.output, as: UTF8.self).trimmingSpaces()
        guard listing.status == 0, !path.isEmpty else { return false }
        guard let socket = FileDescriptor(checking: socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)) else {
            return false
        }
        let fd = socket.rawValue
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    /// Stops the agent (and other GnuPG daemons) of `home`.
    public static func stop(home: String) {
        Subprocess.run("/usr/bin/gpgconf", ["--homedir", home, "--kill", "all"])
    }
}
