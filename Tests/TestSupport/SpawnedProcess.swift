import Foundation

/// A child process started with posix_spawn: the one way the tests start programs (tools, peers,
/// local servers, background runs). Its standard streams go to pipes, files or /dev/null; pipes
/// are close-on-exec, so programs that tests start at the same time never inherit each other's
/// ends. Foundation's `Process` is not used: its run() crashes now and then under many concurrent
/// spawns (swift-corelibs-foundation #5472).
package final class SpawnedProcess: @unchecked Sendable {
    /// Where one of the child's standard streams goes.
    package enum Stream {
        /// /dev/null.
        case null
        /// A pipe whose other end the test holds.
        case pipe
        /// A file, created or truncated (read, for standard input).
        case file(String)
    }

    package let pid: pid_t
    /// The write end of the child's standard input, when it is `.pipe`: the caller owns and closes it.
    package let standardInput: Int32?
    private let standardOutput: Int32?
    private let standardError: Int32?
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `program` with `arguments` (without argv[0]) in `directory` with exactly `environment`.
    package init(_ program: String, _ arguments: [String], directory: String? = nil, environment: [String: String],
                 standardInput input: Stream = .null, standardOutput output: Stream = .pipe, standardError error: Stream = .pipe) throws {
        let inputPipe = if case .pipe = input { try PipePair() } else { nil as PipePair? }
        let outputPipe = if case .pipe = output { try PipePair() } else { nil as PipePair? }
        let errorPipe = if case .pipe = error { try PipePair() } else { nil as PipePair? }
        var child: pid_t = 0
        let result = Self.spawn(&child, program, arguments, environment: environment) { actions in
            Self.connect(&actions, 0, input, pipeEnd: inputPipe?.read, flags: O_RDONLY)
            Self.connect(&actions, 1, output, pipeEnd: outputPipe?.write, flags: O_WRONLY | O_CREAT | O_TRUNC)
            Self.connect(&actions, 2, error, pipeEnd: errorPipe?.write, flags: O_WRONLY | O_CREAT | O_TRUNC)
            if let directory { posix_spawn_file_actions_addchdir_np(&actions, directory) }
        }
        for end in [inputPipe?.read, outputPipe?.write, errorPipe?.write].compactMap({ $0 }) { close(end) }
        guard result == 0 else {
            for end in [inputPipe?.write, outputPipe?.read, errorPipe?.read].compactMap({ $0 }) { close(end) }
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO, userInfo: [NSLocalizedDescriptionKey: "spawn \(program)"])
        }
        pid = child
        standardInput = inputPipe?.write
        standardOutput = outputPipe?.read
        standardError = errorPipe?.read
    }

    deinit {
        for fd in [standardOutput, standardError].compactMap({ $0 }) { close(fd) }
    }

    private static func connect(_ actions: inout posix_spawn_file_actions_t, _ target: Int32, _ stream: Stream, pipeEnd: Int32?, flags: Int32) {
        switch stream {
        case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
        case .pipe: posix_spawn_file_actions_adddup2(&actions, pipeEnd!, target)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, target, path, flags, 0o644)
        }
    }

    /// posix_spawn of `program` with the signal mask cleared and SIGPIPE at its default (the test
    /// runner's own dispositions must not reach tools); `files` sets up the child's descriptors.
    /// Returns posix_spawn's result.
    private static func spawn(_ child: inout pid_t, _ program: String, _ arguments: [String], environment: [String: String],
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

    /// Reads standard output and error (those on pipes) to their ends, both at once so that a
    /// chatty child cannot block on a full pipe, killing the child if it runs past `timeout` seconds.
    package func collectOutput(timeout: TimeInterval) -> (Data, Data) {
        var outputs = [Data(), Data()]
        var fds = [standardOutput, standardError].map { pollfd(fd: $0.map { dup($0) } ?? -1, events: Int16(POLLIN), revents: 0) }
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while fds.contains(where: { $0.fd >= 0 }) {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                kill(SIGKILL)
                break
            }
            let ready = Glibc.poll(&fds, nfds_t(fds.count), Int32(min(remaining, 1) * 1000))
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

    /// The next line of standard output (a pipe), without its newline; nil at its end.
    package func readLine() -> String? {
        guard let standardOutput else { return nil }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(standardOutput, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == 0x0A { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    /// The exit status once the child has ended (reaped here), else nil: its exit code, or 128 +
    /// the signal that killed it.
    @discardableResult
    package func poll() -> Int32? {
        lock.withLock {
            if let exitStatus { return exitStatus }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            exitStatus = Self.decode(status)
            return exitStatus
        }
    }

    /// Whether the child has not ended yet.
    package var isRunning: Bool { poll() == nil }

    /// Waits for the child: its exit code, or 128 + the signal that killed it.
    @discardableResult
    package func wait() -> Int32 {
        lock.withLock {
            if let exitStatus { return exitStatus }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exitStatus = Self.decode(status)
            return exitStatus!
        }
    }

    /// Sends `signal` unless the child has been reaped already (its pid may be another's by then).
    package func kill(_ signal: Int32) {
        lock.withLock {
            if exitStatus == nil { _ = Glibc.kill(pid, signal) }
        }
    }

    private static func decode(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
