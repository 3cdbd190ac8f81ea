import Glibc
import Synchronization

/// SIGINT and SIGTERM as a request to stop: once `install`ed, a signal is only noted, and the work
/// in progress (a transfer, an import, a wait for a lock) stops at its next check by throwing
/// `Interrupted`, so that what it made is cleaned up on the way out instead of left behind.
public enum Interruption {
    /// The signal received, 0 while none was.
    private static let received = Atomic<Int32>(0)

    /// Handles SIGINT and SIGTERM from now on (unblocking them: a parent may have started us with
    /// them blocked). Without SA_RESTART, so that a wait for a lock returns to look at the flag.
    public static func install() {
        // The atomic is initialised here, not on first use inside the handler.
        _ = received.load(ordering: .relaxed)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in Interruption.received.store(signal, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM] {
            sigaction(signal, &action, nil)
            sigaddset(&signals, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// The signal that asked to stop, if one did.
    public static var signal: Int32? {
        let signal = received.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    /// Throws `Interrupted` once a signal asked to stop.
    public static func check() throws {
        if let signal { throw Interrupted(signal: signal) }
    }
}
