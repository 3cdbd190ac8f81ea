import Foundation
import TestSupport
import Testing

@Suite("rkt-trust")
struct RktTrustTests {
    /// `rkt-trust ARGUMENTS…` against the fixture's trust store, run in its scratch directory.
    static func trust(_ fixture: SignFixture, _ arguments: [String], environment: [String: String] = [:]) throws -> Tool.Result {
        guard let command = arguments.first else { return try Tool.rktTrust.run([]) }
        return try Tool.rktTrust.run([command] + fixture.store.arguments + arguments.dropFirst(), in: fixture.scratch.url,
                                     environment: environment)
    }

    /// The JSON `list --format json` printed.
    static func listJSON(_ fixture: SignFixture, _ arguments: [String] = []) throws -> [[String: Any]] {
        let result = try trust(fixture, ["list", "--format", "json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutBytes) as? [[String: Any]], "\(result.stdout)")
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    // MARK: add, list, remove

    @Test("add --prefix stores the armored key as prefix.d/PREFIX/FINGERPRINT; list shows it as a table and as JSON")
    func addPrefixAndList() throws {
        let fixture = try SignFixture()
        let result = try Self.trust(fixture, ["add", "--prefix", "example.com/app", "--skip-fingerprint-review", "alice.asc"])
        #expect(result.status == 0, "\(result.stderr)")
        let path = "\(fixture.store.local)/trustedkeys/prefix.d/example.com/app/\(fixture.aliceFingerprint)"
        #expect(result.stdout.contains("Added key for prefix \"example.com/app\" at \"\(path)\""), "\(result.stdout)")
        #expect(result.stderr.contains("without fingerprint review"), "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: path) == fixture.alicePublic, "the armored key as given")
        #expect(try Self.mode(path) == 0o644)
        #expect(try Self.mode("\(fixture.store.local)/trustedkeys/prefix.d/example.com/app") == 0o755)
        // Only the one file, only in the local layer.
        let files = try fixture.scratch.shell("find store -type f").check().stdout.split(separator: "\n")
        #expect(files == ["store/local/trustedkeys/prefix.d/example.com/app/\(fixture.aliceFingerprint)"])

        let table = try Self.trust(fixture, ["list"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(table.stdout)")
        #expect(lines.first?.hasPrefix("PREFIX") == true)
        let row = lines.last ?? ""
        for field in ["example.com/app", fixture.aliceFingerprint, fixture.aliceUserID, "local", path] {
            #expect(row.contains(field), "\(field) in \(row)")
        }

        let json = try Self.listJSON(fixture)
        #expect(json.count == 1)
        let entry = try #require(json.first)
        #expect(entry["prefix"] as? String == "example.com/app")
        #expect(entry["fingerprint"] as? String == fixture.aliceFingerprint)
        #expect(entry["userIDs"] as? [String] == [fixture.aliceUserID])
        #expect(entry["layer"] as? String == "local")
        #expect(entry["file"] as? String == path)
        // The key's expiry as gpg sees it (one year from now), in RFC 3339.
        let colons = try fixture.alice.gpg(["--with-colons", "--list-keys", fixture.aliceFingerprint]).check()
        let publicLine = try #require(colons.stdout.split(separator: "\n").first { $0.hasPrefix("pub:") })
        let expiry = try #require(TimeInterval(publicLine.split(separator: ":", omittingEmptySubsequences: false)[6]))
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        #expect(entry["expires"] as? String == formatter.string(from: Date(timeIntervalSince1970: expiry)), "\(entry)")
        #expect(expiry > Date().timeIntervalSince1970)

        #expect(try Self.listJSON(fixture, ["--prefix", "example.com/app"]).count == 1)
        #expect(try Self.listJSON(fixture, ["--prefix", "example.org"]).isEmpty)

        // The stored key is used: an image signed by Alice verifies.
        try fixture.gpgSignImage()
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
    }

    @Test("add --root stores root.d/FINGERPRINT, which trusts every image")
    func addRoot() throws {
        let fixture = try SignFixture()
        let result = try Self.trust(fixture, ["add", "--root", "--skip-fingerprint-review", fixture.scratch.path("alice.asc")])
        #expect(result.status == 0, "\(result.stderr)")
        let path = "\(fixture.store.local)/trustedkeys/root.d/\(fixture.aliceFingerprint)"
        #expect(result.stdout.contains("Added root key at \"\(path)\""), "\(result.stdout)")
        #expect(FileManager.default.contents(atPath: path) == fixture.alicePublic)
        let json = try Self.listJSON(fixture)
        #expect(json.count == 1)
        #expect(json.first?["root"] as? Bool == true)
        #expect(json.first?["fingerprint"] as? String == fixture.aliceFingerprint)

        try fixture.gpgSignImage()
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
    }

    @Test("remove deletes a local key; the image is no longer trusted")
    func removeLocal() throws {
        let fixture = try SignFixture()
        try Self.trust(fixture, ["add", "--prefix", "example.com/app", "--skip-fingerprint-review", "alice.asc"]).check("rkt-trust add")
        try fixture.gpgSignImage()
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)

        let path = "\(fixture.store.local)/trustedkeys/prefix.d/example.com/app/\(fixture.aliceFingerprint)"
        let removed = try Self.trust(fixture, ["remove", "--prefix", "example.com/app", fixture.aliceFingerprint])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains(path), "\(removed.stdout)")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try Self.listJSON(fixture).isEmpty)
        fixture.expectSignerRefused(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint)

        // Nothing left to remove.
        let again = try Self.trust(fixture, ["remove", "--prefix", "example.com/app", fixture.aliceFingerprint])
        #expect(again.status == 1, "\(again.stdout)")
        #expect(again.stderr.contains(fixture.aliceFingerprint), "\(again.stderr)")
    }

    @Test("remove of a system key masks it with an empty local file; the system file is untouched")
    func removeMasksSystemKey() throws {
        let fixture = try SignFixture()
        let system = try fixture.trustAlice("example.com/app", layer: .system)
        try fixture.gpgSignImage()
        let before = try Self.listJSON(fixture)
        #expect(before.count == 1)
        #expect(before.first?["layer"] as? String == "system")
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)

        let removed = try Self.trust(fixture, ["remove", "--prefix", "example.com/app", fixture.aliceFingerprint.uppercased()])
        #expect(removed.status == 0, "\(removed.stderr)")
        let mask = "\(fixture.store.local)/trustedkeys/prefix.d/example.com/app/\(fixture.aliceFingerprint)"
        #expect(removed.stdout.contains(mask), "\(removed.stdout)")
        #expect(FileManager.default.contents(atPath: mask) == Data(), "an empty masking file")
        #expect(FileManager.default.contents(atPath: system) == fixture.alicePublic, "the system layer is not written")
        #expect(try Self.listJSON(fixture).isEmpty)
        fixture.expectSignerRefused(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint)
        // A second remove has nothing left to do, and says why.
        let again = try Self.trust(fixture, ["remove", "--prefix", "example.com/app", fixture.aliceFingerprint])
        #expect(again.status != 0 && again.stdout.isEmpty, "\(again.stdout)")
        #expect(again.stderr.contains("masked"), "\(again.stderr)")

        // Masking a system root key the same way.
        try fixture.trustAlice(nil, layer: .system)
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
        try Self.trust(fixture, ["remove", "--root", fixture.aliceFingerprint]).check("rkt-trust remove --root")
        #expect(FileManager.default.contents(atPath: "\(fixture.store.local)/trustedkeys/root.d/\(fixture.aliceFingerprint)") == Data())
        fixture.expectSignerRefused(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint)
    }

    // MARK: Refusals

    struct Refusal: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        let message: String
        var testDescription: String { label }
    }

    static let refusals: [Refusal] = [
        Refusal(label: "a key with neither --prefix nor --root", arguments: ["--skip-fingerprint-review", "alice.asc"],
                message: "implicit unbounded trust"),
        Refusal(label: "a prefix with a URL scheme", arguments: ["--prefix", "https://example.com/app", "--skip-fingerprint-review", "alice.asc"],
                message: "--prefix must not contain a URL scheme"),
        Refusal(label: "--root and --prefix", arguments: ["--root", "--prefix", "example.com", "--skip-fingerprint-review", "alice.asc"],
                message: "mutually exclusive"),
        Refusal(label: "--root without a key", arguments: ["--root", "--skip-fingerprint-review"], message: "--root"),
        Refusal(label: "no terminal to review the fingerprint on", arguments: ["--prefix", "example.com/app", "alice.asc"],
                message: "lack of tty"),
        Refusal(label: "a file that holds no key", arguments: ["--prefix", "example.com/app", "--skip-fingerprint-review", "manifest.json"],
                message: "no OpenPGP public key"),
        Refusal(label: "a key file that does not exist", arguments: ["--prefix", "example.com/app", "--skip-fingerprint-review", "missing.asc"],
                message: "missing.asc"),
    ]

    @Test("add refuses, with the reason, and writes nothing", arguments: refusals)
    func refusedAdd(_ refusal: Refusal) throws {
        let fixture = try SignFixture()
        try fixture.scratch.write("manifest.json", SignFixture.manifest)
        let result = try Self.trust(fixture, ["add"] + refusal.arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(refusal.message), "\(result.stderr)")
        #expect(!result.stdout.contains("Added"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.store.local)/trustedkeys"))
    }

    // MARK: Fingerprint review on a terminal

    @Test("on a terminal add shows the fingerprint and user IDs and asks; no stores nothing, yes stores the key")
    func interactiveReview() throws {
        let fixture = try SignFixture()
        let command = [Tool.rktTrust.path, "add"] + fixture.store.arguments + ["--prefix", "example.com/app", "alice.asc"]
        let prompt = "Are you sure you want to trust this key (yes/no)?"
        let path = "\(fixture.store.local)/trustedkeys/prefix.d/example.com/app/\(fixture.aliceFingerprint)"

        let declined = try fixture.scratch.onTerminal(command, prompt: prompt, answers: ["no"])
        #expect(declined.stdout.contains("gpg key fingerprint is: \(groupedFingerprint(fixture.aliceFingerprint))"), "\(declined.stdout)")
        #expect(declined.stdout.contains("\t\(fixture.aliceUserID)") || declined.stdout.contains(fixture.aliceUserID), "\(declined.stdout)")
        #expect(declined.stdout.contains("prefix: \"example.com/app\""), "\(declined.stdout)")
        #expect(declined.stdout.contains(prompt))
        #expect(!declined.stdout.contains("Added key"), "\(declined.stdout)")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(declined.status != 137, "killed: the prompt hung")

        // Anything but yes or no is asked again.
        let accepted = try fixture.scratch.onTerminal(command, prompt: prompt, answers: ["maybe", "yes"])
        #expect(accepted.status == 0, "\(accepted.stdout)")
        #expect(accepted.stdout.contains("Please enter 'yes' or 'no'"), "\(accepted.stdout)")
        #expect(accepted.stdout.contains("after fingerprint review"), "\(accepted.stdout)")
        #expect(accepted.stdout.contains("Added key for prefix \"example.com/app\" at \"\(path)\""), "\(accepted.stdout)")
        #expect(FileManager.default.contents(atPath: path) == fixture.alicePublic)
    }

    // MARK: Keys from the network

    static let keyPath = "keys/release.asc"

    /// An https server (throwaway CA) with Alice's key at /keys/release.asc and a discovery page for
    /// `localhost/app` announcing `keyURL` (default: the https key on the same server).
    static func keySite(_ fixture: SignFixture, keyURL: String? = nil) throws -> (TestCertificates, LocalServer, LocalServer) {
        let certificates = try TestCertificates(in: fixture.scratch)
        try fixture.scratch.write("pages/\(keyPath)/index.html", fixture.alicePublic)
        let server = try LocalServer.discovery(pages: fixture.scratch.path("pages"), tls: (certificates.certificate, certificates.key),
                                         scratch: fixture.scratch)
        let url = keyURL ?? "https://localhost/\(keyPath)"
        try fixture.scratch.write("pages/app/index.html", """
            <!DOCTYPE html>
            <html><head>
            <meta name="ac-discovery" content="localhost/app https://localhost/images/{name}-{version}.{ext}">
            <meta name="ac-discovery-pubkeys" content="localhost/app \(url)">
            <meta name="ac-discovery-pubkeys" content="example.com/other https://localhost/not-ours.asc">
            </head><body></body></html>
            """)
        let proxy = try LocalServer.connectProxy(target: server.port, scratch: fixture.scratch)
        return (certificates, server, proxy)
    }

    @Test("with no KEY, add discovers the prefix's ac-discovery-pubkeys over https and stores the key")
    func discovery() throws {
        let fixture = try SignFixture()
        let (certificates, server, proxy) = try Self.keySite(fixture)
        defer { server.stop(); proxy.stop() }
        let environment = proxy.proxyEnvironment.merging(["SSL_CERT_FILE": certificates.authority]) { $1 }

        let result = try Self.trust(fixture, ["add", "--prefix", "localhost/app", "--skip-fingerprint-review"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let path = "\(fixture.store.local)/trustedkeys/prefix.d/localhost/app/\(fixture.aliceFingerprint)"
        #expect(FileManager.default.contents(atPath: path) == fixture.alicePublic)
        #expect(result.stdout.contains("Added key for prefix \"localhost/app\""), "\(result.stdout)")
        #expect(result.stderr.contains("https://localhost/\(Self.keyPath)"), "the key's location: \(result.stderr)")
        #expect(server.requests.contains("/app?ac-discovery=1"), "\(server.requests)")
        #expect(server.requests.contains("/\(Self.keyPath)"), "\(server.requests)")
        #expect(!server.requests.contains("/not-ours.asc"))
        #expect(proxy.requests.allSatisfy { $0.hasPrefix("CONNECT localhost:443 ") } && !proxy.requests.isEmpty, "\(proxy.requests)")

        // A name below the page's prefix walks up to it; the key is stored for the name asked.
        let deeper = try Self.trust(fixture, ["add", "--prefix", "localhost/app/sub", "--skip-fingerprint-review"], environment: environment)
        #expect(deeper.status == 0, "\(deeper.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(fixture.store.local)/trustedkeys/prefix.d/localhost/app/sub/\(fixture.aliceFingerprint)"))
        #expect(server.requests.contains("/app/sub?ac-discovery=1"), "\(server.requests)")
    }

    @Test("discovery refuses a server whose certificate the CA bundle does not vouch for, and a prefix with no keys")
    func discoveryFailures() throws {
        let fixture = try SignFixture()
        let (_, server, proxy) = try Self.keySite(fixture)
        defer { server.stop(); proxy.stop() }

        // The system bundle only: the test CA is unknown.
        let untrusted = try Self.trust(fixture, ["add", "--prefix", "localhost/app", "--skip-fingerprint-review"],
                                       environment: proxy.proxyEnvironment.merging(["SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt"]) { $1 })
        #expect(untrusted.status == 1, "\(untrusted.stdout)")
        #expect(untrusted.stderr.contains("discovery"), "\(untrusted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.store.local)/trustedkeys"))

        // With the CA, a prefix whose pages announce no keys (the walk ends at the host).
        let noKeys = try Self.trust(fixture, ["add", "--prefix", "localhost/nothing", "--skip-fingerprint-review"],
                                    environment: proxy.proxyEnvironment.merging(["SSL_CERT_FILE": "\(fixture.scratch.path("pki/ca.pem"))"]) { $1 })
        #expect(noKeys.status == 1, "\(noKeys.stdout)")
        #expect(noKeys.stderr.contains("error determining key location"), "\(noKeys.stderr)")
        #expect(server.requests.contains("/nothing?ac-discovery=1"), "\(server.requests)")
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.store.local)/trustedkeys"))
    }

    @Test("a discovered http key URL is refused without --insecure-allow-http and fetched with it")
    func discoveredHTTPKey() throws {
        let fixture = try SignFixture()
        let plain = try LocalServer.discovery(pages: fixture.scratch.path("pages"), scratch: fixture.scratch)
        defer { plain.stop() }
        let keyURL = "http://localhost:\(plain.port)/\(Self.keyPath)"
        let (certificates, server, proxy) = try Self.keySite(fixture, keyURL: keyURL)
        defer { server.stop(); proxy.stop() }
        let environment = proxy.proxyEnvironment.merging(["SSL_CERT_FILE": certificates.authority]) { $1 }

        let refused = try Self.trust(fixture, ["add", "--prefix", "localhost/app", "--skip-fingerprint-review"], environment: environment)
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(refused.stderr.contains("--insecure-allow-http"), "\(refused.stderr)")
        #expect(!plain.requests.contains("/\(Self.keyPath)"), "fetched over http anyway: \(plain.requests)")
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.store.local)/trustedkeys"))

        let allowed = try Self.trust(fixture, ["add", "--prefix", "localhost/app", "--skip-fingerprint-review", "--insecure-allow-http"],
                                     environment: environment)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(plain.requests.contains("/\(Self.keyPath)"), "\(plain.requests)")
        #expect(FileManager.default.contents(atPath: "\(fixture.store.local)/trustedkeys/prefix.d/localhost/app/\(fixture.aliceFingerprint)")
                == fixture.alicePublic)
    }

    @Test("KEY may be an https URL; an http URL needs --insecure-allow-http")
    func keyURLs() throws {
        let fixture = try SignFixture()
        let certificates = try TestCertificates(in: fixture.scratch)
        try fixture.scratch.write("pages/\(Self.keyPath)/index.html", fixture.alicePublic)
        let https = try LocalServer.discovery(pages: fixture.scratch.path("pages"), tls: (certificates.certificate, certificates.key),
                                        scratch: fixture.scratch)
        let plain = try LocalServer.discovery(pages: fixture.scratch.path("pages"), scratch: fixture.scratch)
        defer { https.stop(); plain.stop() }
        let environment = ["SSL_CERT_FILE": certificates.authority]
        let path = "\(fixture.store.local)/trustedkeys/prefix.d/example.com/app/\(fixture.aliceFingerprint)"

        let httpsURL = "https://localhost:\(https.port)/\(Self.keyPath)"
        let fetched = try Self.trust(fixture, ["add", "--prefix", "example.com/app", "--skip-fingerprint-review", httpsURL],
                                     environment: environment)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stderr.contains(httpsURL), "\(fetched.stderr)")
        #expect(FileManager.default.contents(atPath: path) == fixture.alicePublic)
        #expect(https.requests == ["/\(Self.keyPath)"])

        let httpURL = "http://127.0.0.1:\(plain.port)/\(Self.keyPath)"
        let refused = try Self.trust(fixture, ["add", "--prefix", "example.com/other", "--skip-fingerprint-review", httpURL],
                                     environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--insecure-allow-http"), "\(refused.stderr)")
        #expect(plain.requests.isEmpty, "\(plain.requests)")
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.store.local)/trustedkeys/prefix.d/example.com/other"))

        let allowed = try Self.trust(fixture, ["add", "--prefix", "example.com/other", "--skip-fingerprint-review", "--insecure-allow-http",
                                               httpURL], environment: environment)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(fixture.store.local)/trustedkeys/prefix.d/example.com/other/\(fixture.aliceFingerprint)"))
    }

    // MARK: Isolation

    @Test("add, list and remove do not touch the user's GnuPG home, leave no private home and start no agent")
    func isolation() throws {
        let fixture = try SignFixture()
        let home = fixture.scratch.path("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let agentsBefore = GnuPGAgents.running()
        func run(_ arguments: [String]) throws -> Tool.Result {
            try Tool.execute("/usr/bin/env", ["-u", "GNUPGHOME", "HOME=\(home)", Tool.rktTrust.path, arguments[0]]
                                 + fixture.store.arguments + arguments.dropFirst(), in: fixture.scratch.url)
        }
        #expect(try run(["add", "--prefix", "example.com/app", "--skip-fingerprint-review", "alice.asc"]).status == 0)
        #expect(try run(["add", "--root", "--skip-fingerprint-review", "alice.asc"]).status == 0)
        #expect(try run(["list"]).stdout.contains(fixture.aliceUserID))
        #expect(try run(["list", "--format", "json"]).status == 0)
        #expect(try run(["remove", "--root", fixture.aliceFingerprint]).status == 0)
        #expect(try fixture.scratch.listing("home").isEmpty)
        #expect(PrivateGnuPGHomes.holding(fixture.marker).isEmpty, "\(PrivateGnuPGHomes.holding(fixture.marker))")
        #expect(GnuPGAgents.newPrivateHomeAgents(since: agentsBefore).isEmpty, "\(GnuPGAgents.running())")
    }
}
