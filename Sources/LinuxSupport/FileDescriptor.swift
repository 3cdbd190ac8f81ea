import Glibc

/// An open file descriptor that closes itself when it goes away. It cannot be copied, so it is
/// neither leaked nor closed twice: code borrows it (`rawValue` for a system call) or hands it on
/// (`consume`), and `take()` gives the number up to a new owner.
public struct FileDescriptor: ~Copyable {
    /// The descriptor's number, for system calls; valid while this value lives.
    public let rawValue: Int32

    /// Takes ownership of `rawValue` (an open descriptor).
    public init(_ rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Takes ownership of what an opening call returned (`open`, `openat`, `socket`…); nil when
    /// the call failed (a negative value), with errno as the call left it.
    public init?(checking rawValue: Int32) {
        guard rawValue >= 0 else { return nil }
        self.rawValue = rawValue
    }

    /// Opens `path` with `flags` (close-on-exec added), retrying on EINTR; throws naming the path.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> FileDescriptor {
        FileDescriptor(try FileIO.open(path, flags, mode: mode))
    }

    /// Gives the number up to a new owner, which must close it; this value no longer does.
    public consuming func take() -> Int32 {
        let fd = rawValue
        discard self
        return fd
    }

    /// Closes the descriptor now rather than when the value goes away.
    public consuming func close() {
        Glibc.close(take())
    }

    deinit { Glibc.close(rawValue) }
}
