import Foundation

/// `rkt metadata-service --listen-port=0` in the background, its registration socket in a scratch
/// directory (`RKT_METADATA_SOCKET`), for the pods a test runs with `--mds-register`.
final class MetadataServiceProcess {
    let process = Process()
    let socket: String
    let port: Int
    let stderrFile: String

    init(home: PodHome) throws {
        socket = home.path("mds.sock")
        stderrFile = home.path("mds.err")
        _ = FileManager.default.createFile(atPath: stderrFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: Tool.rkt.path)
        process.arguments = ["metadata-service", "--listen-port=0"]
        process.environment = ProcessInfo.processInfo.environment.merging(["RKT_METADATA_SOCKET": socket]) { $1 }
        port = try startPrintingPort(process, name: "rkt metadata-service", errors: stderrFile)
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
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { _ = stop() }
}
