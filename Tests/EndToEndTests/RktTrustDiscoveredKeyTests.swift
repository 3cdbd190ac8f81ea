import Foundation
import TestSupport
import Testing

/// Keys that discovery announces come from https URLs (http with --insecure-allow-http), never
/// from a path on this machine; a key that is expired or revoked is trusted only with a warning.
@Suite("rkt trust: discovered key locations and key state")
struct RktTrustDiscoveredKeyTests {
    enum LocalLocation: String, CaseIterable, DescribedCase {
        case keyFile = "a local armored key"
        case secret = "/etc/shadow"
        case fifo = "a FIFO"
    }

    @Test("an ac-discovery-pubkeys location that is a local path is refused: nothing read, nothing trusted", arguments: LocalLocation.allCases)
    func localPathLocation(_ location: LocalLocation) throws {
        let fixture = try SignFixture()
        let path: String
        switch location {
        case .keyFile: path = fixture.scratch.path("alice.asc")
        case .secret: path = "/etc/shadow"
        case .fifo:
            path = fixture.scratch.path("key.fifo")
            #expect(mkfifo(path, 0o644) == 0)
        }
        let (certificates, server, proxy) = try RktTrustTests.keySite(fixture, keyURL: path)
        defer { server.stop(); proxy.stop() }
        let environment = proxy.proxyEnvironment.merging(["SSL_CERT_FILE": certificates.authority]) { $1 }

        // rkt-trust add and rkt trust are the same code; a FIFO must not hang either.
        let result = try Tool.execute(Tool.rkt.path, ["--local-config", fixture.store.local, "--system-config", fixture.store.system,
                                                      "trust", "--prefix", "localhost/app", "--skip-fingerprint-review"],
                                      in: fixture.scratch.url, environment: environment, timeout: 30)
        #expect(result.status == 254, "exit \(result.status): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(path) && result.stderr.contains("https"), "\(result.stderr)")
        #expect(!result.stdout.contains("Added key"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.store.local)/trustedkeys"), "a key was trusted")
    }

    enum KeyState: String, CaseIterable, DescribedCase {
        case expired, revoked
        var testDescription: String { "a key that is \(rawValue)" }
    }

    @Test("trusting a key that is expired or revoked warns that it is", arguments: KeyState.allCases)
    func keyStateWarning(_ state: KeyState) throws {
        let fixture = try SignFixture()
        let key = state == .expired ? try fixture.makeKey("old", expire: "1d", fakedTime: "20200101T000000") : try fixture.makeKey("revoked")
        if state == .revoked { try key.home.revoke(key.fingerprint) }
        let file = try fixture.scratch.write("key.asc", try key.home.exportPublic(key.fingerprint))

        let result = try RktTrustTests.trust(fixture, ["add", "--prefix", "example.com/app", "--skip-fingerprint-review", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning") && result.stderr.contains(state.rawValue), "\(result.stderr)")
        #expect(result.stderr.contains(groupedFingerprint(key.fingerprint)) || result.stderr.contains(key.fingerprint.uppercased())
                || result.stderr.contains(key.fingerprint), "the warning names the key: \(result.stderr)")
    }
}
