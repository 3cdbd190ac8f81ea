import Foundation
import TestSupport

/// `rkt metadata-service --listen-port=0` in the background, its registration socket in a scratch
/// directory (`RKT_METADATA_SOCKET`), for the pods a test runs with `--mds-register`.
final class MetadataServiceProcess {
    let process: SpawnedProcess
    let socket: String
    let port: Int
    let stderrFile: String

    init(home: PodHome) throws {
        socket = home.path("mds.sock")
        stderrFile = home.path("mds.err")
        // In the home's network lab, if it has one: where its pods reach their host.
        let (program, arguments) = home.command(["metadata-service", "--listen-port=0"])
        process = try SpawnedProcess(program, arguments,
                                     environment: ProcessInfo.processInfo.environment.merging(["RKT_METADATA_SOCKET": socket]) { $1 },
                                     standardError: .file(stderrFile))
        guard let line = process.readLine(), let port = Int(line.trimmingCharacters(in: .whitespaces)) else {
            process.kill(SIGKILL)
            let status = process.wait()
            throw CommandFailed(command: "rkt metadata-service",
                                result: Tool.Result(status: status, stdout: "", stderr: (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "",
                                                    stdoutBytes: Data()))
        }
        self.port = port
    }

    /// What `rkt run` needs in its environment to register with this service.
    var environment: [String: String] { ["RKT_METADATA_SOCKET": socket] }

    var stderr: String { (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "" }

    /// An app's GET of `path` below a pod URL (`AC_METADATA_URL`), from the host: status and body.
    static func get(_ url: String, _ path: String) throws -> (status: Int, body: String) {
        let result = try Tool.execute("/usr/bin/curl", ["-s", "-o", "-", "-w", "\n%{http_code}", "-H", "Metadata-Flavor: AppContainer",
                                                        url + "/acMetadata/v1" + path])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// SIGTERM: the service's exit status (it removes its socket).
    func stop() -> Int32 {
        process.kill(SIGTERM)
        return process.wait()
    }

    deinit { _ = stop() }
}
