import CLinux
import Glibc

/// A pseudo-terminal between the user's terminal and what runs in a pod (its apps, or a command
/// entered into it), as runc's console socket and nspawn do it: the pod gets a terminal of its
/// own, so it can neither push input into the user's shell (TIOCSTI), nor read what the user
/// types elsewhere, nor change the user's terminal; the bytes are copied both ways, the window
/// size follows, and the user's terminal is restored at the end.
public final class TerminalRelay {
    /// The side the pod's processes get.
    public private(set) var pod: Int32
    /// The side copied here (non-blocking).
    private let relay: Int32
    /// Which of the standard streams (0, 1, 2) are terminals: the pod gets its own terminal in
    /// their place, and the others as they are.
    public let terminals: [Bool]
    /// Whether what the user types goes to the pod (standard input is a terminal and forwarded).
    public let forwardsInput: Bool
    /// The pod side's name on the host (for /dev/console).
    public let podName: String
    private var saved: termios?
    /// Input the pod's terminal could not take yet.
    private var pending: [UInt8] = []

    /// A relay when one of the standard streams is a terminal (`input`: standard input may be
    /// forwarded); nil otherwise.
    public static func forStandardStreams(input: Bool) throws -> TerminalRelay? {
        var terminals = (0...2).map { isatty(Int32($0)) == 1 }
        if !input { terminals[0] = false }
        guard terminals.contains(true) else { return nil }
        return try TerminalRelay(terminals: terminals)
    }

    private init(terminals: [Bool]) throws {
        self.terminals = terminals
        forwardsInput = terminals[0]
        var relay: Int32 = -1
        var pod: Int32 = -1
        if rkt_open_pseudo_terminal(&relay, &pod) != 0 { throw SystemCallError("open a pseudo-terminal", path: "") }
        self.relay = relay
        self.pod = pod
        podName = (try? FileIO.link("/proc/self/fd/\(pod)")) ?? "/dev/null"
        _ = fcntl(relay, F_SETFL, fcntl(relay, F_GETFL) | O_NONBLOCK)
        resize()
        if forwardsInput { makeRaw() }
    }

    deinit {
        restore()
        close(relay)
        if pod >= 0 { close(pod) }
    }

    /// The stream the pod gets for standard stream `index`: its terminal, or -1 (inherit).
    public func stream(_ index: Int) -> Int32 { terminals[index] ? pod : -1 }

    /// Closes this process's copy of the pod's side, once what runs in the pod has it.
    public func podStarted() {
        if pod >= 0 { close(pod) }
        pod = -1
    }

    /// What to poll, and for what.
    public var pollDescriptors: [pollfd] {
        var fds = [pollfd(fd: relay, events: Int16(POLLIN) | (pending.isEmpty ? 0 : Int16(POLLOUT)), revents: 0)]
        if forwardsInput && pending.isEmpty { fds.append(pollfd(fd: 0, events: Int16(POLLIN), revents: 0)) }
        return fds
    }

    /// Copies what `polled` (from `pollDescriptors`) says is ready.
    public func service(_ polled: [pollfd]) {
        for entry in polled where entry.revents != 0 {
            if entry.fd == relay {
                if entry.revents & Int16(POLLIN | POLLHUP) != 0 { _ = copyOutput() }
                if entry.revents & Int16(POLLOUT) != 0 { flushInput() }
            } else {
                readInput()
            }
        }
    }

    /// What the pod wrote last, bounded: a process of the pod that goes on writing cannot keep
    /// stage1 from ending.
    public func drain() {
        var budget = 1 << 20
        while budget > 0, let count = copyOutput(), count > 0 { budget -= count }
    }

    /// The pod's terminal takes the size of the user's.
    public func resize() {
        var size = winsize()
        guard let terminal = terminals.firstIndex(of: true), ioctl(Int32(terminal), UInt(TIOCGWINSZ), &size) == 0 else { return }
        _ = ioctl(relay, UInt(TIOCSWINSZ), &size)
    }

    /// Output of the pod to the user's terminal; the byte count, or nil when there is nothing.
    private func copyOutput() -> Int? {
        var buffer = [UInt8](repeating: 0, count: 16384)
        let count = read(relay, &buffer, buffer.count)
        guard count > 0 else { return nil }
        FileIO.writeBestEffort(terminals[1] ? 1 : 2, buffer[..<count])
        return count
    }

    private func readInput() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(0, &buffer, buffer.count)
        guard count > 0 else { return }
        pending = Array(buffer[..<count])
        flushInput()
    }

    private func flushInput() {
        while !pending.isEmpty {
            let written = pending.withUnsafeBytes { write(relay, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            pending.removeFirst(written)
        }
    }

    /// The user's terminal passes every byte through (the pod's terminal interprets them).
    private func makeRaw() {
        var settings = termios()
        guard tcgetattr(0, &settings) == 0 else { return }
        saved = settings
        cfmakeraw(&settings)
        tcsetattr(0, TCSANOW, &settings)
    }

    private func restore() {
        guard var saved else { return }
        tcsetattr(0, TCSANOW, &saved)
        self.saved = nil
    }
}
