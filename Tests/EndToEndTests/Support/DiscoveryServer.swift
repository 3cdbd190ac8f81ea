import Foundation

/// A local web server for discovery tests (testdata/actool/discovery_server.py) on 127.0.0.1 and a
/// free port chosen by the kernel. Pages come from a directory: `/a/b?…` is `PAGES/a/b/index.html`.
/// Every request (path and query) is appended to `requestLog`. Call `stop()` (in a `defer`); the
/// server is also killed when the object goes away.
final class DiscoveryServer {
    let port: Int
    /// The file the server appends each request line to.
    let requestLog: String
    private let process: Process

    /// Starts the server; `tls` serves https with that certificate and key, else plain http.
    init(pages: String, tls: (certificate: String, key: String)? = nil, scratch: Scratch) throws {
        requestLog = scratch.path("requests-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: requestLog, contents: nil)
        let errors = scratch.path("server-\(UUID().uuidString.prefix(8)).err")
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Peer.python)
        var arguments = [TestData.path("actool/discovery_server.py"), pages, "--log", requestLog]
        if let tls { arguments += ["--tls", tls.certificate, tls.key] }
        process.arguments = arguments
        port = try startPrintingPort(process, name: "discovery_server.py", errors: errors)
    }

    /// The request lines received so far (`/app?ac-discovery=1`).
    var requests: [String] {
        ((try? String(contentsOfFile: requestLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Kills the server and waits for it. SIGKILL: a process started from a Dispatch worker thread
    /// inherits that thread's signal mask, in which SIGTERM is blocked.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// A throwaway certificate authority and a server certificate it signed for `localhost` and
/// `127.0.0.1`, made with the openssl CLI (EC P-256 keys: quick to generate).
struct TestCertificates {
    let authority: String
    let certificate: String
    let key: String

    init(in scratch: Scratch, directory: String = "pki") throws {
        try scratch.write("\(directory)/server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        try scratch.shell("""
            openssl req -x509 \(ec) -keyout ca.key -out ca.pem -days 2 -subj /CN=rkt-e2e-test-ca && \
            openssl req \(ec) -keyout server.key -out server.csr -subj /CN=localhost && \
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext
            """, in: directory).check("openssl")
        authority = scratch.path("\(directory)/ca.pem")
        certificate = scratch.path("\(directory)/server.pem")
        key = scratch.path("\(directory)/server.key")
    }
}
