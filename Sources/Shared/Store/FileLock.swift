import Glibc

/// An advisory lock (flock) on a file, held until released or the process ends — so a killed
/// process never leaves a lock behind.
public final class FileLock {
    public enum Mode: Sendable { case shared, exclusive }

    private let fd: Int32

    /// Waits for the lock on `path` (created if missing).
    public init(path: String, mode: Mode) throws {
        fd = try FileIO.open(path, O_RDONLY | O_CREAT, mode: 0o644)
        while flock(fd, mode == .exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno != EINTR {
                let error = SystemCallError("lock", path: path)
                close(fd)
                throw error
            }
        }
    }

    /// Takes the lock only if it is free; nil when another process holds it.
    public static func attempt(path: String, mode: Mode) throws -> FileLock? {
        let lock = try FileLock(unlockedPath: path)
        if flock(lock.fd, (mode == .exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 { return nil }
        return lock
    }

    private init(unlockedPath path: String) throws {
        fd = try FileIO.open(path, O_RDONLY | O_CREAT, mode: 0o644)
    }

    deinit { close(fd) }

    /// What `lockOwned` found.
    enum Ownership {
        /// The lock is taken and `path` still names the locked file.
        case owned
        /// Another process holds the lock (only when not waiting).
        case busy
        /// The lock is taken, but its previous holder removed or replaced `path` meanwhile: open it again.
        case gone
    }

    /// Takes the exclusive lock on `fd`, opened on `path`, for a file its holder may remove when done
    /// (a partial download, a staging directory): waits if `wait` (calling `waiting` first), else
    /// answers `.busy`. A wait ends early, throwing `Interrupted`, on SIGINT or SIGTERM.
    static func lockOwned(_ fd: Int32, path: String, wait: Bool, waiting: () -> Void = {}) throws -> Ownership {
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else { throw SystemCallError("lock", path: path) }
            guard wait else { return .busy }
            waiting()
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else { throw SystemCallError("lock", path: path) }
                try Interruption.check()
            }
        }
        var locked = stat()
        var named = stat()
        guard fstat(fd, &locked) == 0, stat(path, &named) == 0, locked.st_dev == named.st_dev, locked.st_ino == named.st_ino else {
            return .gone
        }
        return .owned
    }
}
