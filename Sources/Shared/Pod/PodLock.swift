import Glibc

/// The flock on a pod directory.
public final class PodLock {
    public let fileDescriptor: Int32

    public init(directory: String) throws {
        fileDescriptor = try FileIO.open(directory, O_RDONLY | O_DIRECTORY)
    }

    deinit { close(fileDescriptor) }

    /// Takes the lock if it is free.
    public func tryLock() throws -> Bool {
        if flock(fileDescriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw SystemCallError("lock pod", path: "")
    }

    /// Whether nobody holds the lock (checked by taking and releasing it).
    public func isFree() throws -> Bool {
        guard try tryLock() else { return false }
        flock(fileDescriptor, LOCK_UN)
        return true
    }
}
