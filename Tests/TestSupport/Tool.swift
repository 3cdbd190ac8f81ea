import Foundation

/// Runs one of the suite's built executables the way a user would, capturing its output.
package struct Tool: Sendable {
    /// What a program did: its exit status (128 + signal when killed) and its output.
    package struct Result {
        package var status: Int32
        package var stdout: String
        package var stderr: String
        package var stdoutBytes: Data

        package init(status: Int32, stdout: String, stderr: String, stdoutBytes: Data) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
            self.stdoutBytes = stdoutBytes
        }

        /// The result, or an error if the command failed (for setup steps, not for the behaviour under test).
        @discardableResult
        package func check(_ command: String = "command") throws -> Result {
            guard status == 0 else { throw CommandFailed(command: command, result: self) }
            return self
        }

        /// Standard error split into lines (without the empty line after the last newline).
        package var stderrLines: [String] {
            stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        }
    }

    /// The directory holding the built products (next to the running test binary).
    package static let productsDirectory: URL = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent()
    }()

    /// The executable's name in the products directory.
    package let name: String

    package static let actool = Tool(name: "actool")
    package static let rktSign = Tool(name: "rkt-sign")
    package static let rktTrust = Tool(name: "rkt-trust")
    package static let rkt = Tool(name: "rkt")

    /// The executable's path.
    package var path: String { Tool.productsDirectory.appendingPathComponent(name).path }

    /// Runs the tool with `arguments`, optionally feeding `stdin`, in `directory`.
    @discardableResult
    package func run(_ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        try Tool.execute(path, arguments, stdin: stdin, in: directory, environment: environment)
    }

    /// Runs any program (a peer tool such as the reference actool, gpg, skopeo).
    /// A program still running after `timeout` seconds is killed (a hung tool must not hang the test run).
    package static func execute(_ program: String, _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil,
                        environment: [String: String] = [:], timeout: TimeInterval = 600) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let child = try SpawnedProcess(program, arguments, directory: directory?.path, environment: env, standardInput: stdin != nil ? .pipe : .null)
        if let stdin, let writer = child.standardInput {
            DispatchQueue.global().async {
                Tool.writeIgnoringBrokenPipe(stdin, to: writer)
                close(writer)
            }
        }
        let (stdoutData, stderrData) = child.collectOutput(timeout: timeout)
        let status = child.wait()
        return Result(status: status, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self), stdoutBytes: stdoutData)
    }

    /// Writes all of `data` unless the reader goes away: a tool may stop reading early (it refused
    /// its input), which must not kill the test process with SIGPIPE. SIGPIPE is blocked in this
    /// thread only (a process-wide SIG_IGN would be inherited by every tool started) and a pending
    /// one is consumed before unblocking.
    private static func writeIgnoringBrokenPipe(_ data: Data, to fd: Int32) {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        var broken = false
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    broken = errno == EPIPE
                    break
                }
                offset += written
            }
        }
        if broken {
            var now = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeSignal, nil, &now)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    /// Whether a program is installed (peers come from `make setup`).
    package static func installed(_ program: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: program)
    }
}
