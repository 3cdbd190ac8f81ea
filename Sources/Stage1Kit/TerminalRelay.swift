import CLinux
import Glibc

/// A pseudo-terminal between the user's terminal and a command entered into a pod, as `runc exec
/// -t` and nspawn do it: the command gets a terminal of its own, so it can neither push input
/// into the user's shell (TIOCSTI) nor keep the user's terminal; the bytes are copied both ways,
/// the window size follows, and the user's terminal is restored at the end.
final class TerminalRelay {
    /// The side the command gets (its controlling terminal) and the side copied here.
    private(set) var command: Int32
    private let relay: Int32
    /// Which of the standard streams (0, 1, 2) are terminals: the command gets its own terminal
    /// in their place, and the others as they are.
    let terminals: [Bool]
    private var saved: termios?

    /// A relay when one of the standard streams is a terminal; nil otherwise.
    static func forStandardStreams() throws -> TerminalRelay? {
        let terminals = (0...2).map { isatty(Int32($0)) == 1 }
        guard terminals.contains(true) else { return nil }
        return try TerminalRelay(terminals: terminals)
    }

    private init(terminals: [Bool]) throws {
        self.terminals = terminals
        var relay: Int32 = -1
        var command: Int32 = -1
        if rkt_open_pseudo_terminal(&relay, &command) != 0 { throw Stage1Error("open a pseudo-terminal: \(String(cString: strerror(errno)))") }
        self.relay = relay
        self.command = command
        resize()
    }

    deinit {
        close(relay)
        if command >= 0 { close(command) }
    }

    /// The stream the command gets for standard stream `index`: its terminal, or -1 (inherit).
    func stream(_ index: Int) -> Int32 { terminals[index] ? command : -1 }

    /// Copies between the user's streams and the command's terminal until `pid` (a child) ends;
    /// returns its exit code. SIGTERM, SIGINT and SIGHUP sent here go to it.
    func run(until pid: pid_t) -> Int32 {
        close(command)
        command = -1
        let signals = [SIGCHLD, SIGWINCH, SIGTERM, SIGINT, SIGHUP]
        let signalFD = rkt_signal_descriptor(signals, Int32(signals.count))
        defer { close(signalFD) }
        if terminals[0] { makeRaw() }
        defer { restore() }
        let output: Int32 = terminals[1] ? 1 : 2
        var inputOpen = terminals[0]
        var status: Int32 = 0
        var ended = false
        while !ended {
            var fds = [pollfd(fd: relay, events: Int16(POLLIN), revents: 0), pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inputOpen ? 0 : -1, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, nfds_t(fds.count), -1) < 0 && errno != EINTR { break }
            if fds[0].revents != 0 && !copy(from: relay, to: output) { break }
            if fds[2].revents != 0 && !copy(from: 0, to: relay) { inputOpen = false }
            if fds[1].revents != 0 {
                switch rkt_read_signal(signalFD) {
                case SIGWINCH: resize()
                case SIGCHLD: ended = waitpid(pid, &status, WNOHANG) == pid
                case let signal where signal > 0: kill(pid, signal)
                default: break
                }
            }
        }
        // What the command wrote just before it ended.
        let flags = fcntl(relay, F_GETFL)
        _ = fcntl(relay, F_SETFL, flags | O_NONBLOCK)
        while copy(from: relay, to: output) {}
        if !ended { while waitpid(pid, &status, 0) < 0 && errno == EINTR {} }
        return Spawner.exitCode(status)
    }

    /// Copies what can be read now; false at the end of the input (or an error).
    private func copy(from source: Int32, to destination: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16384)
        let count = read(source, &buffer, buffer.count)
        guard count > 0 else { return count < 0 && errno == EINTR }
        var offset = 0
        while offset < count {
            let written = buffer[offset..<count].withUnsafeBytes { write(destination, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// The command's terminal takes the size of the user's.
    private func resize() {
        var size = winsize()
        guard let terminal = terminals.firstIndex(of: true), ioctl(Int32(terminal), UInt(TIOCGWINSZ), &size) == 0 else { return }
        _ = ioctl(relay, UInt(TIOCSWINSZ), &size)
    }

    /// The user's terminal passes every byte through (the command's terminal interprets them).
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
    }
}
