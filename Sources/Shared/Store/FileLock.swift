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
}
