import Foundation

/// A test server on 127.0.0.1 and a port the kernel chose: a script of `testdata/` that prints its
/// port as its first line and appends each request it receives to `requestLog`. Call `stop()` (in
/// a `defer`); the server is also killed when the object goes away.
package final class LocalServer: @unchecked Sendable {
    package let port: Int
    /// The file the server appends each request line to.
    package let requestLog: String
    private let process: SpawnedProcess

    /// Starts `testdata/SCRIPT ARGUMENTS… --log REQUESTLOG` and waits for its port.
    package init(script: String, _ arguments: [String], scratch: Scratch) throws {
        let tag = UUID().uuidString.prefix(8)
        let name = (script as NSString).lastPathComponent
        requestLog = scratch.path("\(name)-\(tag).log")
        _ = FileManager.default.createFile(atPath: requestLog, contents: nil)
        let errors = scratch.path("\(name)-\(tag).err")
        process = try SpawnedProcess(Peer.python, [TestData.path(script)] + arguments + ["--log", requestLog],
                                     environment: ProcessInfo.processInfo.environment, standardError: .file(errors))
        guard let line = process.readLine(), let port = Int(line.trimmingCharacters(in: .whitespaces)) else {
            process.kill(SIGKILL)
            let status = process.wait()
            let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw CommandFailed(command: script, result: Tool.Result(status: status, stdout: "", stderr: message, stdoutBytes: Data()))
        }
        self.port = port
    }

    /// A web server for discovery (testdata/actool/discovery_server.py): `/a/b?…` is answered
    /// with `PAGES/a/b/index.html`; `tls` serves https with that certificate and key.
    package static func discovery(pages: String, tls: (certificate: String, key: String)? = nil, scratch: Scratch) throws -> LocalServer {
        try LocalServer(script: "actool/discovery_server.py", [pages] + (tls.map { ["--tls", $0.certificate, $0.key] } ?? []), scratch: scratch)
    }

    /// An https proxy (testdata/sign/connect_proxy.py) that tunnels every `CONNECT host:port` to
    /// the local port `target`, for discovery that must reach `https://localhost/…` on port 443:
    /// run the tool with `proxyEnvironment` and the server behind it answers; TLS still runs end
    /// to end with the test CA. Each CONNECT line is logged as a request.
    package static func connectProxy(target: Int, scratch: Scratch) throws -> LocalServer {
        try LocalServer(script: "sign/connect_proxy.py", ["\(target)"], scratch: scratch)
    }

    /// The environment that sends a tool's https requests through this server as a proxy.
    package var proxyEnvironment: [String: String] {
        ["https_proxy": "http://127.0.0.1:\(port)", "HTTPS_PROXY": "http://127.0.0.1:\(port)", "no_proxy": "", "NO_PROXY": ""]
    }

    /// The request lines received so far (`/app?ac-discovery=1`, `CONNECT localhost:443 HTTP/1.1`).
    package var requests: [String] {
        ((try? String(contentsOfFile: requestLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Kills the server and waits for it.
    package func stop() {
        process.kill(SIGKILL)
        process.wait()
    }

    deinit { stop() }
}
