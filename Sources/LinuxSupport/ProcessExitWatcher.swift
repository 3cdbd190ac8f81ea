import CLinux
import Glibc
import Synchronization

/// Processes to learn the end of, each under a key: pidfds in an epoll set, whose descriptor
/// becomes readable when one of them ends. A pidfd names its process only, never a later one
/// with the same pid. Watching is thread-safe; collecting is for one thread.
public final class ProcessExitWatcher: Sendable {
    /// Readable (poll) while a watched process has ended and `collectEnded` has not taken it.
    public let descriptor: Int32
    private let keys = Mutex<[Int32: String]>([:])

    public init() throws {
        descriptor = rkt_readiness_set()
        if descriptor < 0 { throw SystemCallError("epoll_create1", path: "") }
    }

    deinit {
        keys.withLock { keys in keys.keys.forEach { close($0) } }
        close(descriptor)
    }

    /// Watches `pid` under `key`; throws when the process has already gone (ESRCH).
    public func watch(_ pid: pid_t, key: String) throws {
        let pidfd = rkt_pidfd_open(pid)
        if pidfd < 0 { throw SystemCallError("pidfd_open", path: String(pid)) }
        keys.withLock { $0[pidfd] = key }
        if rkt_readiness_add(descriptor, pidfd) != 0 {
            let error = SystemCallError("epoll_ctl", path: String(pid))
            keys.withLock { _ = $0.removeValue(forKey: pidfd) }
            close(pidfd)
            throw error
        }
    }

    /// The keys of the watched processes that have ended since the last call (without waiting);
    /// they are no longer watched.
    public func collectEnded() -> [String] {
        var ready = [Int32](repeating: -1, count: 64)
        var ended: [String] = []
        while true {
            let count = rkt_readiness_take(descriptor, &ready, Int32(ready.count))
            guard count > 0 else { return ended }
            for pidfd in ready[..<Int(count)] {
                close(pidfd)
                if let key = keys.withLock({ $0.removeValue(forKey: pidfd) }) { ended.append(key) }
            }
        }
    }
}
