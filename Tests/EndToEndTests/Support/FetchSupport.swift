import Foundation
import Testing
import TestSupport

/// Debian's docker-registry (distribution v2) serving plain http on 127.0.0.1 and a free port,
/// storing in the scratch directory. Images are pushed with skopeo. With `credentials`, every
/// request needs them (htpasswd, basic authentication). Call `stop()` (in a `defer`).
final class LocalRegistry {
    static let program = "/usr/bin/docker-registry"
    static let curl = "/usr/bin/curl"
    let port: Int
    let credentials: (user: String, password: String)?
    private let process: SpawnedProcess

    init(scratch: Scratch, credentials: (user: String, password: String)? = nil) throws {
        self.credentials = credentials
        var auth = ""
        if let credentials {
            // The registry takes bcrypt hashes only: glibc's crypt(3) makes one ($2b$).
            let hash = try Tool.execute(Peer.python, ["-W", "ignore", "-c", "import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))",
                                                      credentials.password]).check("bcrypt hash").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let file = try scratch.write("registry-\(UUID().uuidString.prefix(8)).htpasswd", "\(credentials.user):\(hash)\n")
            auth = """
                auth:
                  htpasswd:
                    realm: test-registry
                    path: \(file)

                """
        }
        var lastError: Error = CommandFailed(command: "docker-registry", result: Tool.Result(status: 1, stdout: "", stderr: "", stdoutBytes: Data()))
        for attempt in 0..<3 {
            let port = try Self.freePort()
            let tag = "\(UUID().uuidString.prefix(8))-\(attempt)"
            let config = try scratch.write("registry-\(tag).yml", """
                version: 0.1
                log:
                  level: error
                storage:
                  filesystem:
                    rootdirectory: \(scratch.path("registry-\(tag)"))
                  delete:
                    enabled: true
                \(auth)http:
                  addr: 127.0.0.1:\(port)
                """)
            let errors = scratch.path("registry-\(tag).err")
            let process = try SpawnedProcess(Self.program, ["serve", config], environment: ProcessInfo.processInfo.environment,
                                             standardOutput: .file(errors), standardError: .file(errors))
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline {
                if let probe = try? Tool.execute(Self.curl, ["-sf", "-o", "/dev/null"] + Self.curlArguments(credentials) + ["http://127.0.0.1:\(port)/v2/"], timeout: 5),
                   probe.status == 0 {
                    self.port = port
                    self.process = process
                    return
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            process.kill(SIGKILL)
            lastError = CommandFailed(command: "docker-registry serve",
                                      result: Tool.Result(status: process.wait(), stdout: "",
                                                          stderr: (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "", stdoutBytes: Data()))
        }
        throw lastError
    }

    /// A port the kernel says is free now.
    static func freePort() throws -> Int {
        let result = try Tool.execute(Peer.python, ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
        guard let port = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw CommandFailed(command: "free port", result: result) }
        return port
    }

    /// `127.0.0.1:PORT`
    var host: String { "127.0.0.1:\(port)" }

    private static func curlArguments(_ credentials: (user: String, password: String)?) -> [String] {
        credentials.map { ["-u", "\($0.user):\($0.password)"] } ?? []
    }

    /// `skopeo copy [--all] SOURCE docker://127.0.0.1:PORT/REFERENCE`.
    func push(_ source: String, as reference: String, all: Bool = false) throws {
        try Tool.execute(OciPeer.skopeo, ["copy", "-q", "--dest-tls-verify=false"] + (all ? ["--all"] : [])
                         + (credentials.map { ["--dest-creds", "\($0.user):\($0.password)"] } ?? []) + [source, "docker://\(host)/\(reference)"])
            .check("skopeo copy \(source) \(reference)")
    }

    /// The digest of a pushed manifest (or manifest list), as the registry reports it.
    func digest(_ reference: String) throws -> String {
        let result = try Tool.execute(Self.curl, ["-sfI"] + Self.curlArguments(credentials) + ["-H", "Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json",
                                                  "http://\(host)/v2/\(reference.replacingOccurrences(of: ":", with: "/manifests/"))"])
            .check("registry HEAD \(reference)")
        // Header lines end in CRLF, which Swift reads as one Character: split on newlines, not "\n".
        for line in result.stdout.components(separatedBy: .newlines) where line.lowercased().hasPrefix("docker-content-digest:") {
            return line.dropFirst("docker-content-digest:".count).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        throw CommandFailed(command: "registry HEAD \(reference): no digest", result: result)
    }

    func stop() {
        process.kill(SIGKILL)
        process.wait()
    }

    deinit { stop() }
}

/// An rkt data directory and configuration directories inside a scratch directory; every command
/// runs with `--dir DATA --local-config ETC --system-config LIB`, so nothing touches /var/lib/rkt
/// or /etc/rkt.
struct RktHome: @unchecked Sendable {
    let scratch: Scratch
    let data: String
    let local: String
    let system: String

    init(_ scratch: Scratch, name: String = "") {
        self.scratch = scratch
        data = scratch.path("\(name)data")
        local = scratch.path("\(name)etc")
        system = scratch.path("\(name)lib")
    }

    var globals: [String] { ["--dir", data, "--local-config", local, "--system-config", system] }

    /// `rkt GLOBALS ARGUMENTS…` in the scratch directory.
    @discardableResult
    func rkt(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 600) throws -> Tool.Result {
        try Tool.execute(Tool.rkt.path, globals + arguments, in: scratch.url, environment: environment, timeout: timeout)
    }

    /// `rkt fetch --insecure-options=image IMAGE --full`, which must succeed: the full image ID.
    @discardableResult
    func fetchInsecure(_ image: String, environment: [String: String] = [:]) throws -> String {
        try rkt(["--insecure-options=image", "fetch", "--full", image], environment: environment)
            .check("rkt fetch \(image)").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `image list --format=json`, decoded.
    func listJSON() throws -> [[String: Any]] {
        let result = try rkt(["image", "list", "--format=json"]).check("rkt image list --format=json")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutBytes) as? [[String: Any]], "\(result.stdout)")
    }

    /// The IDs in the store's index (sqlite3, not our own code), sorted.
    func indexKeys() throws -> [String] {
        let database = "\(data)/cas/db/store.sqlite"
        guard FileManager.default.fileExists(atPath: database) else { return [] }
        return try Tool.execute(FetchPeer.sqlite3, [database, "SELECT key FROM images ORDER BY key"]).check("sqlite3")
            .stdout.split(separator: "\n").map(String.init)
    }

    /// `PRAGMA integrity_check` by sqlite3.
    func integrityCheck() throws -> String {
        try Tool.execute(FetchPeer.sqlite3, ["\(data)/cas/db/store.sqlite", "PRAGMA integrity_check"]).check("sqlite3 integrity_check")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The blobs on disk as `cas/blob/sha512/<2hex>/<key>`: their keys, sorted. A file elsewhere or
    /// under the wrong two-digit directory is returned as its relative path, so it shows up as a mismatch.
    func blobKeys() throws -> [String] {
        let base = "\(data)/cas/blob"
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var keys: [String] = []
        for case let relative as String in enumerator {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: "\(base)/\(relative)", isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            let parts = relative.split(separator: "/").map(String.init)
            if parts.count == 3, parts[0] == "sha512", parts[2].hasPrefix("sha512-"), parts[2].dropFirst(7).prefix(2) == parts[1] {
                keys.append(parts[2])
            } else {
                keys.append(relative)
            }
        }
        return keys.sorted()
    }

    /// The names in `cas/tmp`.
    func temporaryFiles() throws -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "\(data)/cas/tmp"))?.sorted() ?? []
    }

    /// The size of the largest file in `cas/tmp` (a download under way), 0 when there is none.
    func largestTemporaryFile() -> Int64 {
        ((try? temporaryFiles()) ?? []).map { fileSize("\(data)/cas/tmp/\($0)") }.max() ?? 0
    }

    /// Checks that `cas/tmp` holds nothing.
    func expectNoTemporaryFiles(_ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let files = try temporaryFiles()
        #expect(files.isEmpty, "left in cas/tmp after \(context): \(files)", sourceLocation: sourceLocation)
    }

    /// Checks that `cas/tmp` holds one part and its ETag (a download kept to be resumed); returns
    /// the part's size.
    @discardableResult
    func expectResumablePart(_ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int64 {
        let files = try temporaryFiles()
        let part = files.first { $0.hasSuffix(".part") }
        #expect(files.count == 2 && part != nil && files.contains { $0.hasSuffix(".etag") },
                "a part and its ETag in cas/tmp after \(context): \(files)", sourceLocation: sourceLocation)
        return part.map { fileSize("\(data)/cas/tmp/\($0)") } ?? 0
    }

    /// The rendered trees (`cas/tree/deps-…`).
    func trees() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(data)/cas/tree")) ?? []).filter { $0.hasPrefix("deps-") }.sorted()
    }

    /// Checks that nothing was stored: no index row, no blob, no rendered tree.
    func expectEmpty(_ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try indexKeys().isEmpty, "index rows after \(context)", sourceLocation: sourceLocation)
        #expect(try blobKeys().isEmpty, "blobs after \(context)", sourceLocation: sourceLocation)
        #expect(trees().isEmpty, "rendered trees after \(context)", sourceLocation: sourceLocation)
    }

    /// Checks that index rows and blobs match one for one (and the database is sound).
    func expectConsistent(_ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try integrityCheck() == "ok", "integrity check after \(context)", sourceLocation: sourceLocation)
        let rows = try indexKeys()
        let blobs = try blobKeys()
        #expect(rows == blobs, "rows without blob: \(Set(rows).subtracting(blobs).sorted()); blobs without row: \(Set(blobs).subtracting(rows).sorted()) (\(context))",
                sourceLocation: sourceLocation)
    }
}

/// Peer programs of the fetch tests.
enum FetchPeer {
    static let sqlite3 = "/usr/bin/sqlite3"
    static let sha512sum = "/usr/bin/sha512sum"
    static let gzip = "/bin/gzip"
}

/// Test images built with our actool.
enum TestImage {
    /// A manifest: name, labels (version/os/arch given as labels), dependencies as JSON fragments.
    static func manifest(_ name: String, version: String? = "1.0.0", os: String? = "linux", arch: String? = "amd64",
                         extraLabels: [(String, String)] = [], dependencies: [String] = []) -> String {
        var labels: [(String, String)] = []
        if let version { labels.append(("version", version)) }
        if let os { labels.append(("os", os)) }
        if let arch { labels.append(("arch", arch)) }
        labels += extraLabels
        var text = #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"\#(name)""#
        if !labels.isEmpty {
            text += #","labels":["# + labels.map { #"{"name":"\#($0.0)","value":"\#($0.1)"}"# }.joined(separator: ",") + "]"
        }
        if !dependencies.isEmpty { text += #","dependencies":["# + dependencies.joined(separator: ",") + "]" }
        return text + "}"
    }

    /// Builds `output` (an .aci in the scratch directory) from `manifest` and `files` (path in
    /// the rootfs → content) with our actool; `compression` is actool's (gzip by default).
    @discardableResult
    static func build(_ scratch: Scratch, _ output: String, manifest: String, files: [String: Data],
                      compression: String = "gzip") throws -> String {
        let layout = "layouts/\(UUID().uuidString.prefix(8))"
        try scratch.write("\(layout)/manifest", manifest)
        try FileManager.default.createDirectory(atPath: scratch.path("\(layout)/rootfs"), withIntermediateDirectories: true)
        for (path, content) in files { try scratch.write("\(layout)/rootfs/\(path)", content) }
        try Tool.actool.run(["build", "--overwrite", "--compression", compression, scratch.path(layout), scratch.path(output)])
            .check("actool build \(output)")
        return scratch.path(output)
    }

    static func build(_ scratch: Scratch, _ output: String, manifest: String, files: [String: String] = ["etc/hello": "hello\n"],
                      compression: String = "gzip") throws -> String {
        try build(scratch, output, manifest: manifest, files: files.mapValues { Data($0.utf8) }, compression: compression)
    }

    /// `sha512-` and the first 64 hex digits of sha512sum of the uncompressed tar (`gzip -dc` for
    /// gzip, `cat` otherwise): what rkt calls the image ID, computed by peers.
    static func expectedID(_ scratch: Scratch, _ image: String, compressed: Bool = true) throws -> String {
        let command = compressed ? "gzip -dc '\(image)' | sha512sum" : "sha512sum < '\(image)'"
        let digest = try scratch.shell(command).check(command).stdout.prefix(128)
        return "sha512-" + digest.prefix(64)
    }

    /// The full sha512 of the uncompressed image as `sha512-<128 hex>` (an appc imageID).
    static func fullHash(_ scratch: Scratch, _ image: String) throws -> String {
        "sha512-" + (try scratch.shell("gzip -dc '\(image)' | sha512sum").check().stdout.prefix(128))
    }
}

/// A signing key of its own GnuPG home in the scratch directory.
struct TestSigningKey {
    let home: GnuPGHome
    let fingerprint: String
    let publicKey: Data
    /// Where the armored public key was written in the scratch directory.
    let publicKeyPath: String

    init(_ scratch: Scratch, _ name: String) throws {
        home = try GnuPGHome(scratch, "gpg-\(name)")
        fingerprint = try home.generateKey("\(name.capitalized) <\(name)-\(UUID().uuidString.prefix(6).lowercased())@example.com>")
        publicKey = try home.exportPublic(fingerprint)
        publicKeyPath = try scratch.write("\(name).asc", publicKey)
    }

    /// Writes `FILE.asc`, an armored detached signature (or to `output`).
    func sign(_ file: String, output: String? = nil) throws {
        try home.detachSign(file, output: output ?? file + ".asc", key: fingerprint)
    }

    /// Trusts the key in `rktHome`'s local trust store for `prefix` (nil: a root key), as a file
    /// named by the fingerprint (what `rkt trust` writes).
    func trust(in rktHome: RktHome, prefix: String?) throws {
        let directory = "\(rktHome.local)/trustedkeys/" + (prefix.map { "prefix.d/\($0)" } ?? "root.d")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try publicKey.write(to: URL(fileURLWithPath: "\(directory)/\(fingerprint)"))
    }
}

/// A program started in the background (to kill it mid-way), its standard output and error in
/// files of the scratch directory.
final class BackgroundProcess {
    let process: SpawnedProcess
    let stdoutFile: String
    let stderrFile: String

    init(_ program: String, _ arguments: [String], scratch: Scratch, environment: [String: String] = [:]) throws {
        let tag = UUID().uuidString.prefix(8)
        stdoutFile = scratch.path("bg-\(tag).out")
        stderrFile = scratch.path("bg-\(tag).err")
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process = try SpawnedProcess(program, arguments, directory: scratch.url.path, environment: env,
                                     standardOutput: .file(stdoutFile), standardError: .file(stderrFile))
    }

    /// The program's pid (to signal it).
    var pid: pid_t { process.pid }

    /// Waits until `condition` holds (polling), at most `timeout` seconds; whether it held.
    @discardableResult
    static func wait(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }

    /// SIGKILL, then waits for it; its status.
    @discardableResult
    func killHard() -> Int32 {
        process.kill(SIGKILL)
        return process.wait()
    }

    var stderr: String { (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "" }

    /// Waits for the program to end (killing it after `timeout` seconds): its status and output.
    func finish(timeout: TimeInterval = 600) -> Tool.Result {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        process.kill(SIGKILL)
        let status = process.wait()
        let output = (try? Data(contentsOf: URL(fileURLWithPath: stdoutFile))) ?? Data()
        return Tool.Result(status: status, stdout: String(decoding: output, as: UTF8.self), stderr: stderr, stdoutBytes: output)
    }

    deinit { killHard() }
}

/// A test argument that its raw value describes.
protocol DescribedCase: CustomTestStringConvertible, RawRepresentable where RawValue == String {}

extension DescribedCase {
    var testDescription: String { rawValue }
}

/// `count` random bytes (they stay that many when compressed).
func randomData(_ count: Int) -> Data {
    var data = Data(count: count)
    data.withUnsafeMutableBytes { buffer in
        for offset in stride(from: 0, to: buffer.count - 7, by: 8) {
            buffer.storeBytes(of: UInt64.random(in: .min ... .max), toByteOffset: offset, as: UInt64.self)
        }
    }
    return data
}

/// The size of a file (0 when missing).
func fileSize(_ path: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
}
