import CLinux
import Glibc

/// Signals handled synchronously: blocked, then read from a signalfd (no handlers, no threads),
/// together with a terminal relay's descriptors.
public final class SignalDescriptor {
    private let fd: Int32

    /// Blocks `signals` for this process and reports them here (children start with none blocked).
    public init(_ signals: [Int32]) throws {
        fd = rkt_signal_descriptor(signals, Int32(signals.count))
        if fd < 0 { throw SystemCallError("signalfd", path: "") }
    }

    deinit { close(fd) }

    /// Waits up to `milliseconds` for signals, copying what `relay` has meanwhile; returns the
    /// signals received (none after the timeout).
    public func wait(milliseconds: Int32, relay: TerminalRelay? = nil) -> [Int32] {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)] + (relay?.pollDescriptors ?? [])
        if poll(&fds, nfds_t(fds.count), milliseconds) <= 0 { return [] }
        relay?.service(Array(fds.dropFirst()))
        guard fds[0].revents != 0 else { return [] }
        var received: [Int32] = []
        while let signal = next() { received.append(signal) }
        return received
    }

    /// Waits, without a timeout, for signals or for `descriptor` to become readable; returns the
    /// signals received (none when only `descriptor` is readable).
    public func wait(alongside descriptor: Int32) -> [Int32] {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        guard poll(&fds, nfds_t(fds.count), -1) > 0, fds[0].revents != 0 else { return [] }
        var received: [Int32] = []
        while let signal = next() { received.append(signal) }
        return received
    }

    private func next() -> Int32? {
        var ready = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        guard poll(&ready, 1, 0) > 0 else { return nil }
        let signal = rkt_read_signal(fd)
        return signal > 0 ? signal : nil
    }
}
