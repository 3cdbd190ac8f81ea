import Foundation

/// A scratch GnuPG home for one test, driven with the real gpg: keys are made at test time. It
/// lives inside the test's scratch directory (a short path under /tmp, so the agent sockets in it
/// fit). Every helper stops the daemons gpg started, so each command under test starts with no
/// agent running for the home; `stop()` (in a `defer`) kills whatever is left.
package struct GnuPGHome: Sendable {
    package let path: String

    package init(_ scratch: Scratch, _ name: String) throws {
        path = scratch.path(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// A home that exists already (made by the command under test).
    package init(existing path: String) {
        self.path = path
    }

    /// `gpg --homedir HOME --batch ARGUMENTS…`, then the home's daemons are stopped.
    @discardableResult
    package func gpg(_ arguments: [String], stdin: Data? = nil) throws -> Tool.Result {
        defer { stop() }
        return try Tool.execute(Peer.gpg, ["--homedir", path, "--batch", "--no-tty"] + arguments, stdin: stdin)
    }

    /// Creates a signing key for `userID` and returns its fingerprint (lowercase hex). `fakedTime`
    /// (`20200101T000000`) makes it at another time, `expire` is gpg's (`1y`, `1d`, `never`).
    @discardableResult
    package func generateKey(_ userID: String, algorithm: String = "ed25519", expire: String = "1y", passphrase: String = "",
                     fakedTime: String? = nil) throws -> String {
        var arguments = ["--pinentry-mode", "loopback", "--passphrase", passphrase]
        if let fakedTime { arguments += ["--faked-system-time", fakedTime] }
        try gpg(arguments + ["--quick-gen-key", userID, algorithm, "sign", expire]).check("gpg --quick-gen-key \(userID)")
        return try fingerprint(of: userID)
    }

    /// The fingerprint (lowercase) of the one key matching `pattern`.
    package func fingerprint(of pattern: String) throws -> String {
        let listing = try gpg(["--with-colons", "--list-keys", pattern]).check("gpg --list-keys \(pattern)")
        let fingerprints = listing.stdout.split(separator: "\n").filter { $0.hasPrefix("fpr:") }
            .map { $0.split(separator: ":", omittingEmptySubsequences: false)[9].lowercased() }
        guard let first = fingerprints.first else { throw CommandFailed(command: "gpg --list-keys \(pattern): no key", result: listing) }
        return first
    }

    /// The public key(s), ASCII-armored or binary.
    package func exportPublic(_ pattern: String, armor: Bool = true) throws -> Data {
        let result = try gpg((armor ? ["--armor"] : []) + ["--export", pattern]).check("gpg --export")
        guard !result.stdoutBytes.isEmpty else { throw CommandFailed(command: "gpg --export \(pattern): nothing", result: result) }
        return result.stdoutBytes
    }

    /// A detached signature of `file` made by gpg itself (armored unless `armor` is false).
    package func detachSign(_ file: String, output: String, key: String, armor: Bool = true, fakedTime: String? = nil) throws {
        var arguments = ["--yes", "--local-user", key, "--output", output]
        if let fakedTime { arguments += ["--faked-system-time", fakedTime] }
        if armor { arguments.append("--armor") }
        try gpg(arguments + ["--detach-sign", file]).check("gpg --detach-sign \(file)")
    }

    /// Revokes the key with the revocation certificate gpg stored when it made the key.
    package func revoke(_ fingerprint: String) throws {
        let certificate = "\(path)/openpgp-revocs.d/\(fingerprint.uppercased()).rev"
        let text = try String(contentsOfFile: certificate, encoding: .utf8)
        // gpg stores it with a ':' before the armor line so that it cannot be imported by accident.
        let armored = text.replacingOccurrences(of: ":-----BEGIN PGP PUBLIC KEY BLOCK-----", with: "-----BEGIN PGP PUBLIC KEY BLOCK-----")
        try gpg(["--import"], stdin: Data(armored.utf8)).check("gpg --import revocation")
    }

    /// Stops the home's gpg-agent (and other daemons).
    package func stop() {
        _ = try? Tool.execute(Peer.gpgconf, ["--homedir", path, "--kill", "all"])
    }

    /// `gpg-agent` processes serving this home (zombies, which only wait for their parent, ignored).
    package var agents: [String] { GnuPGAgents.running().filter { $0.contains(path) } }

    /// The agents still serving this home after `timeout` seconds (an agent told to stop may take a
    /// moment to go): empty unless one was left running.
    package func agentsLeft(timeout: TimeInterval = 3) -> [String] {
        GnuPGAgents.left(timeout: timeout) { $0.contains(path) }
    }
}
