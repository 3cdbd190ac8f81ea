import Foundation
import Testing

extension Peer {
    static let gpg = "/usr/bin/gpg"
    static let gpgv = "/usr/bin/gpgv"
    static let gpgconf = "/usr/bin/gpgconf"
    static let skopeo = "/usr/bin/skopeo"
    static let ps = "/bin/ps"
}

/// A scratch GnuPG home for one test, driven with the real gpg: keys are made at test time. It
/// lives inside the test's scratch directory (a short path under /tmp, so the agent sockets in it
/// fit). Every helper stops the daemons gpg started, so each command under test starts with no
/// agent running for the home; `stop()` (in a `defer`) kills whatever is left.
struct GnuPGHome {
    let path: String

    init(_ scratch: Scratch, _ name: String) throws {
        path = scratch.path(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// A home that exists already (made by the command under test).
    init(existing path: String) {
        self.path = path
    }

    /// `gpg --homedir HOME --batch ARGUMENTS…`, then the home's daemons are stopped.
    @discardableResult
    func gpg(_ arguments: [String], stdin: Data? = nil) throws -> Tool.Result {
        defer { stop() }
        return try Tool.execute(Peer.gpg, ["--homedir", path, "--batch", "--no-tty"] + arguments, stdin: stdin)
    }

    /// Creates a signing key for `userID` and returns its fingerprint (lowercase hex). `fakedTime`
    /// (`20200101T000000`) makes it at another time, `expire` is gpg's (`1y`, `1d`, `never`).
    @discardableResult
    func generateKey(_ userID: String, algorithm: String = "ed25519", expire: String = "1y", passphrase: String = "",
                     fakedTime: String? = nil) throws -> String {
        var arguments = ["--pinentry-mode", "loopback", "--passphrase", passphrase]
        if let fakedTime { arguments += ["--faked-system-time", fakedTime] }
        try gpg(arguments + ["--quick-gen-key", userID, algorithm, "sign", expire]).check("gpg --quick-gen-key \(userID)")
        return try fingerprint(of: userID)
    }

    /// The fingerprint (lowercase) of the one key matching `pattern`.
    func fingerprint(of pattern: String) throws -> String {
        let listing = try gpg(["--with-colons", "--list-keys", pattern]).check("gpg --list-keys \(pattern)")
        let fingerprints = listing.stdout.split(separator: "\n").filter { $0.hasPrefix("fpr:") }
            .map { $0.split(separator: ":", omittingEmptySubsequences: false)[9].lowercased() }
        guard let first = fingerprints.first else { throw CommandFailed(command: "gpg --list-keys \(pattern): no key", result: listing) }
        return first
    }

    /// The public key(s), ASCII-armored or binary.
    func exportPublic(_ pattern: String, armor: Bool = true) throws -> Data {
        let result = try gpg((armor ? ["--armor"] : []) + ["--export", pattern]).check("gpg --export")
        guard !result.stdoutBytes.isEmpty else { throw CommandFailed(command: "gpg --export \(pattern): nothing", result: result) }
        return result.stdoutBytes
    }

    /// A detached signature of `file` made by gpg itself (armored unless `armor` is false).
    func detachSign(_ file: String, output: String, key: String, armor: Bool = true, fakedTime: String? = nil) throws {
        var arguments = ["--yes", "--local-user", key, "--output", output]
        if let fakedTime { arguments += ["--faked-system-time", fakedTime] }
        if armor { arguments.append("--armor") }
        try gpg(arguments + ["--detach-sign", file]).check("gpg --detach-sign \(file)")
    }

    /// Revokes the key with the revocation certificate gpg stored when it made the key.
    func revoke(_ fingerprint: String) throws {
        let certificate = "\(path)/openpgp-revocs.d/\(fingerprint.uppercased()).rev"
        let text = try String(contentsOfFile: certificate, encoding: .utf8)
        // gpg stores it with a ':' before the armor line so that it cannot be imported by accident.
        let armored = text.replacingOccurrences(of: ":-----BEGIN PGP PUBLIC KEY BLOCK-----", with: "-----BEGIN PGP PUBLIC KEY BLOCK-----")
        try gpg(["--import"], stdin: Data(armored.utf8)).check("gpg --import revocation")
    }

    /// Stops the home's gpg-agent (and other daemons).
    func stop() {
        _ = try? Tool.execute(Peer.gpgconf, ["--homedir", path, "--kill", "all"])
    }

    /// `gpg-agent` processes serving this home (zombies, which only wait for their parent, ignored).
    var agents: [String] { GnuPGAgents.running().filter { $0.contains(path) } }

    /// The agents still serving this home after `timeout` seconds (an agent told to stop may take a
    /// moment to go): empty unless one was left running.
    func agentsLeft(timeout: TimeInterval = 3) -> [String] {
        GnuPGAgents.left(timeout: timeout) { $0.contains(path) }
    }
}

/// The gpg-agent processes of the machine.
enum GnuPGAgents {
    /// `PID STAT ARGS` of each gpg-agent that is not a zombie.
    static func running() -> [String] {
        guard let result = try? Tool.execute(Peer.ps, ["-o", "pid=,stat=,args=", "-C", "gpg-agent"]) else { return [] }
        return result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
            let fields = line.split(separator: " ", maxSplits: 2)
            return fields.count == 3 && !fields[1].hasPrefix("Z")
        }
    }

    /// Agents matching `filter` still running after `timeout` seconds.
    static func left(timeout: TimeInterval = 3, where filter: (String) -> Bool) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let matching = running().filter(filter)
            if matching.isEmpty || Date() > deadline { return matching }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Agents serving one of rkt-sign's private verification homes (`/tmp/rktgpg.*`) that are not in `before`.
    static func newPrivateHomeAgents(since before: [String], timeout: TimeInterval = 3) -> [String] {
        let earlier = Set(before.map(pid))
        return left(timeout: timeout) { $0.contains("/tmp/rktgpg.") && !earlier.contains(pid($0)) }
    }

    private static func pid(_ line: String) -> String { String(line.split(separator: " ").first ?? "") }
}

/// The private GnuPG homes (`/tmp/rktgpg.*`) the tools make for verification. Other tests and other
/// runs make them too, so a home counts as left behind by a test only if its keyring holds that
/// test's marker (a user ID only that test's keys carry).
enum PrivateGnuPGHomes {
    static func all() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [])
            .filter { $0.hasPrefix("rktgpg.") }.map { "/tmp/\($0)" }
    }

    /// The private homes whose files mention `marker`.
    static func holding(_ marker: String) -> [String] {
        let needle = Data(marker.utf8)
        return all().filter { home in
            guard let enumerator = FileManager.default.enumerator(atPath: home) else { return false }
            for case let name as String in enumerator {
                if let data = FileManager.default.contents(atPath: "\(home)/\(name)"), data.range(of: needle) != nil { return true }
            }
            return false
        }
    }
}

/// A trust store of the test's own (`--local-config` / `--system-config` directories).
struct TestTrustStore {
    let local: String
    let system: String

    init(_ scratch: Scratch, name: String = "store") {
        local = scratch.path("\(name)/local")
        system = scratch.path("\(name)/system")
    }

    var arguments: [String] { ["--local-config", local, "--system-config", system] }

    enum Layer { case local, system }

    /// The directory of a scope: `prefix.d/PREFIX`, or `root.d` for nil.
    func directory(_ prefix: String?, layer: Layer = .local) -> String {
        "\(layer == .local ? local : system)/trustedkeys/\(prefix.map { "prefix.d/\($0)" } ?? "root.d")"
    }

    /// Writes a key file by hand, the way a vendor or an administrator would: `contents` under the
    /// name `fileName` (the key's fingerprint, or another name to test the check).
    @discardableResult
    func place(_ contents: Data, prefix: String?, layer: Layer = .local, fileName: String) throws -> String {
        let directory = directory(prefix, layer: layer)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(fileName)"
        try contents.write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// `8B86 DE38 890D DB72 9186  7B02 5210 BD88 8818 2190`: how rkt shows a fingerprint.
func groupedFingerprint(_ fingerprint: String) -> String {
    let upper = Array(fingerprint.uppercased())
    let groups = stride(from: 0, to: upper.count, by: 4).map { String(upper[$0..<min($0 + 4, upper.count)]) }
    return groups[..<(groups.count / 2)].joined(separator: " ") + "  " + groups[(groups.count / 2)...].joined(separator: " ")
}
