import Foundation

/// A child process started with posix_spawn, its standard output and error on pipes (and its
/// standard input on a pipe when asked). Pipes are close-on-exec, so tools that tests start at the
/// same time never inherit each other's ends.
final class SpawnedProcess {
    let pid: pid_t
    /// The write end of the child's standard input, when `feedsStandardInput` (the caller closes it).
    let standardInput: Int32?
    private let standardOutput: Int32
    private let standardError: Int32

    init(_ program: String, _ arguments: [String], directory: String?, environment: [String: String], feedsStandardInput: Bool) throws {
        func makePipe() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [-1, -1]
            guard pipe2(&fds, O_CLOEXEC) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            return (fds[0], fds[1])
        }
        let out = try makePipe(), err = try makePipe()
        let input = feedsStandardInput ? try makePipe() : nil
        var child: pid_t = 0
        let result = Self.spawn(&child, program, arguments, environment: environment) { actions in
            if let input {
                posix_spawn_file_actions_adddup2(&actions, input.read, 0)
            } else {
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            }
            posix_spawn_file_actions_adddup2(&actions, out.write, 1)
            posix_spawn_file_actions_adddup2(&actions, err.write, 2)
            if let directory { posix_spawn_file_actions_addchdir_np(&actions, directory) }
        }
        close(out.write)
        close(err.write)
        if let input { close(input.read) }
        guard result == 0 else {
            close(out.read)
            close(err.read)
            if let input { close(input.write) }
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO, userInfo: [NSLocalizedDescriptionKey: "spawn \(program)"])
        }
        pid = child
        standardOutput = out.read
        standardError = err.read
        standardInput = input?.write
    }

    /// posix_spawn of `program` with the signal mask cleared and SIGPIPE at its default (the test
    /// runner's own dispositions must not reach tools); `files` sets up the child's descriptors.
    /// Returns posix_spawn's result.
    static func spawn(_ child: inout pid_t, _ program: String, _ arguments: [String], environment: [String: String],
                      files: (inout posix_spawn_file_actions_t) -> Void) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        files(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), defaults = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        return posix_spawn(&child, program, &actions, &attributes, argv, envp)
    }

    /// Reads standard output and error to their ends (both at once, so a chatty child cannot block
    /// on a full pipe), killing the child if it runs past `timeout` seconds.
    func collectOutput(timeout: TimeInterval) -> (Data, Data) {
        var outputs = [Data(), Data()]
        var fds = [pollfd(fd: standardOutput, events: Int16(POLLIN), revents: 0), pollfd(fd: standardError, events: Int16(POLLIN), revents: 0)]
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while fds.contains(where: { $0.fd >= 0 }) {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                kill(pid, SIGKILL)
                break
            }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining, 1) * 1000))
            if ready < 0 && errno != EINTR { break }
            for index in fds.indices where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = read(fds[index].fd, &buffer, buffer.count)
                if count > 0 {
                    outputs[index].append(contentsOf: buffer[..<count])
                } else if count == 0 || errno != EINTR {
                    close(fds[index].fd)
                    fds[index].fd = -1
                }
            }
        }
        for item in fds where item.fd >= 0 { close(item.fd) }
        return (outputs[0], outputs[1])
    }

    /// Waits for the child; its exit status, or 128 + the signal that killed it.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
