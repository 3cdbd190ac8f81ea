import Foundation

/// The image server of the fetch tests (testdata/fetch/server.py) on 127.0.0.1 and a free port:
/// files under `root` (ACIs, signatures, discovery pages as `DIR/index.html`), ETags, Range,
/// and per-path behaviours set with `setRules` (see the script). https with a test CA, or plain
/// http. Call `stop()` (in a `defer`); the server is also killed when the object goes away.
package final class ImageServer: @unchecked Sendable {
    /// The port the server listens on (127.0.0.1).
    package var port: Int { server.port }
    /// The directory served.
    package let root: String
    /// Each request, logged when its response ended (JSON lines, see `requests`).
    package var requestLog: String { server.requestLog }
    /// Each request's path, appended as soon as it arrives (before it is answered).
    package let startedLog: String
    package let rulesFile: String
    package let tls: Bool
    private let server: LocalServer

    /// Serves `root` (a directory of the scratch directory) over https with `certificates`, or
    /// over plain http without.
    package init(scratch: Scratch, root: String = "www", certificates: TestCertificates?) throws {
        let tag = UUID().uuidString.prefix(8)
        self.root = scratch.path(root)
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        rulesFile = scratch.path("image-server-\(tag).rules.json")
        startedLog = scratch.path("image-server-\(tag).started")
        _ = FileManager.default.createFile(atPath: startedLog, contents: nil)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: rulesFile))
        tls = certificates != nil
        var arguments = [self.root, "--started", startedLog, "--rules", rulesFile]
        if let certificates { arguments += ["--tls", certificates.certificate, certificates.key] }
        server = try LocalServer(script: "fetch/server.py", arguments, scratch: scratch)
    }

    /// `https://localhost:PORT` (or http).
    package var base: String { "\(tls ? "https" : "http")://localhost:\(port)" }

    package func url(_ path: String) -> String { "\(base)/\(path)" }

    /// Puts a file where the server serves it (`images/app.aci`).
    @discardableResult
    package func publish(_ file: String, as path: String) throws -> String {
        let target = "\(root)/\(path)"
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
        try FileManager.default.copyItem(atPath: file, toPath: target)
        return url(path)
    }

    /// Serves text at `path` (a discovery page: `app/index.html`).
    package func publish(text: String, as path: String) throws {
        let target = "\(root)/\(path)"
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
    }

    /// Replaces the behaviour rules: request path (`/app.aci`) → rule (see testdata/fetch/server.py).
    package func setRules(_ rules: [String: [String: Any]]) throws {
        let data = try JSONSerialization.data(withJSONObject: rules)
        let temporary = rulesFile + ".new"
        try data.write(to: URL(fileURLWithPath: temporary))
        _ = rename(temporary, rulesFile)
    }

    /// The requests served so far (each logged when its response ended).
    package var requests: [ServedRequest] {
        let text = (try? String(contentsOfFile: requestLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(ServedRequest.self, from: Data($0.utf8)) }
    }

    /// The requests for one path (without query).
    package func requests(for path: String) -> [ServedRequest] {
        requests.filter { $0.path.split(separator: "?", maxSplits: 1).first.map(String.init) == path }
    }

    /// Serves the image `tag` of the OCI layout at `layout` as a docker registry (API v2) would,
    /// under `repository`: its manifest at `/v2/REPOSITORY/manifests/TAG`, every blob at
    /// `/v2/REPOSITORY/blobs/sha256:HEX`. Returns `docker://localhost:PORT/REPOSITORY:TAG`.
    @discardableResult
    package func serveRegistry(layout: String, repository: String, tag: String) throws -> String {
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(layout)/index.json"))) as? [String: Any]
        let manifests = index?["manifests"] as? [[String: Any]] ?? []
        guard let digest = manifests.first?["digest"] as? String else { throw CocoaError(.fileReadCorruptFile) }
        let blobs = "\(layout)/blobs/sha256"
        for name in try FileManager.default.contentsOfDirectory(atPath: blobs) {
            try publish("\(blobs)/\(name)", as: "v2/\(repository)/blobs/sha256:\(name)")
        }
        try publish("\(blobs)/\(digest.dropFirst("sha256:".count))", as: "v2/\(repository)/manifests/\(tag)")
        return "docker://localhost:\(port)/\(repository):\(tag)"
    }

    /// How many requests for `path` (without query) have arrived so far, answered or not.
    package func startedRequests(for path: String) -> Int {
        let text = (try? String(contentsOfFile: startedLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.split(separator: "?", maxSplits: 1).first.map(String.init) == path }.count
    }

    /// Kills the server and waits for it.
    package func stop() { server.stop() }
}
