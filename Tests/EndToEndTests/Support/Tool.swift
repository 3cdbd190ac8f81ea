import Foundation
import Testing

/// Runs one of the suite's built executables the way a user would, capturing its output.
struct Tool {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: Data
    }

    /// The directory holding the built products (next to the running test binary).
    static let productsDirectory: URL = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent()
    }()

    let name: String

    static let actool = Tool(name: "actool")
    static let rktSign = Tool(name: "rkt-sign")
    static let rktTrust = Tool(name: "rkt-trust")
    static let rkt = Tool(name: "rkt")

    var path: String { Tool.productsDirectory.appendingPathComponent(name).path }

    /// Runs the tool with `arguments`, optionally feeding `stdin`, in `directory`.
    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        try Tool.execute(path, arguments, stdin: stdin, in: directory, environment: environment)
    }

    /// Runs any program (a peer tool such as the reference actool, gpg, skopeo).
    /// A program still running after `timeout` seconds is killed (a hung tool must not hang the test run).
    /// Spawned with posix_spawn, not Foundation's Process, whose run() crashes now and then under
    /// many concurrent spawns (swift-corelibs-foundation #5472).
    static func execute(_ program: String, _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil,
                        environment: [String: String] = [:], timeout: TimeInterval = 600) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let child = try SpawnedProcess(program, arguments, directory: directory?.path, environment: env, feedsStandardInput: stdin != nil)
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
    static func installed(_ program: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: program)
    }
}
