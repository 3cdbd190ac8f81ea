import Glibc

/// Signals handled synchronously: blocked, then waited for (no handlers, no threads).
enum Signals {
    static let handled: [Int32] = [SIGCHLD, SIGTERM, SIGINT, SIGHUP]

    /// Blocks the handled signals for this process (spawned children start with none blocked).
    static func block() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        sigprocmask(SIG_BLOCK, &set, nil)
        return set
    }

    /// The next handled signal, or nil after `seconds`.
    static func wait(_ set: sigset_t, seconds: Int) -> Int32? {
        var set = set
        var timeout = timespec(tv_sec: seconds, tv_nsec: 0)
        let signal = sigtimedwait(&set, nil, &timeout)
        return signal > 0 ? signal : nil
    }
}
