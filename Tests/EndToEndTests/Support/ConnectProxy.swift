import Foundation

/// An https proxy (testdata/sign/connect_proxy.py) on 127.0.0.1 and a free port that tunnels every
/// `CONNECT host:port` to one local port, for discovery that must reach `https://localhost/…` on
/// port 443: run the tool with `https_proxy=http://127.0.0.1:PORT` and the `DiscoveryServer` behind
/// it answers; TLS still runs end to end with the test CA. Each CONNECT line is appended to
/// `requestLog`. Call `stop()` (in a `defer`); the proxy is also killed when the object goes away.
final class ConnectProxy {
    let port: Int
    let requestLog: String
    private let process: Process

    init(target: Int, scratch: Scratch) throws {
        requestLog = scratch.path("proxy-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: requestLog, contents: nil)
        let errors = scratch.path("proxy-\(UUID().uuidString.prefix(8)).err")
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Peer.python)
        process.arguments = [TestData.path("sign/connect_proxy.py"), "\(target)", "--log", requestLog]
        port = try startPrintingPort(process, name: "connect_proxy.py", errors: errors)
    }

    /// The environment that sends a tool's https requests through the proxy.
    var environment: [String: String] {
        ["https_proxy": "http://127.0.0.1:\(port)", "HTTPS_PROXY": "http://127.0.0.1:\(port)", "no_proxy": "", "NO_PROXY": ""]
    }

    /// The CONNECT request lines received so far (`CONNECT localhost:443 HTTP/1.1`).
    var requests: [String] {
        ((try? String(contentsOfFile: requestLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Kills the proxy (SIGKILL, as for DiscoveryServer) and waits for it.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

extension Scratch {
    /// Runs `arguments` on a pseudo-terminal (testdata/sign/pty_session.py), typing each of
    /// `answers` when `prompt` appears. Standard output holds everything the terminal showed
    /// (the program's standard output and error together); the status is the program's.
    func onTerminal(_ arguments: [String], prompt: String, answers: [String], environment: [String: String] = [:]) throws -> Tool.Result {
        try Tool.execute(Peer.python, [TestData.path("sign/pty_session.py"), prompt] + answers + ["--"] + arguments,
                         in: url, environment: environment)
    }
}
