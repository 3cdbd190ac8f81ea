import Foundation
import TestSupport
import Testing

/// A test's signing world: a GnuPG home with Alice's key (made by gpg at test time), her armored
/// public key, an image `example.com/app/web` built by actool, and an empty trust store.
/// Every key's user ID carries `marker`, so that private GnuPG homes left behind by this test can
/// be told from those of other tests running at the same time.
struct SignFixture {
    static let imageName = "example.com/app/web"
    static let manifest = """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"\(imageName)",
         "labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]}
        """

    let scratch: Scratch
    let marker: String
    let alice: GnuPGHome
    let aliceFingerprint: String
    let aliceUserID: String
    /// Alice's armored public key.
    let alicePublic: Data
    /// `image.aci`, named `example.com/app/web`.
    let image: String
    let store: TestTrustStore

    init() throws {
        scratch = try Scratch()
        marker = "m\(UUID().uuidString.prefix(8).lowercased())"
        alice = try GnuPGHome(scratch, "alice")
        aliceUserID = "Alice Release <alice-\(marker)@example.com>"
        aliceFingerprint = try alice.generateKey(aliceUserID)
        alicePublic = try alice.exportPublic(aliceFingerprint)
        try scratch.write("alice.asc", alicePublic)
        let layout = try scratch.smallLayout("layout", manifest: Self.manifest)
        try Tool.actool.run(["build", layout, scratch.path("image.aci")]).check("actool build")
        image = scratch.path("image.aci")
        store = TestTrustStore(scratch)
    }

    /// Another key, in its own home: (home, fingerprint, user ID, armored public key).
    func makeKey(_ name: String, expire: String = "1y", passphrase: String = "", fakedTime: String? = nil)
        throws -> (home: GnuPGHome, fingerprint: String, userID: String, publicKey: Data) {
        let home = try GnuPGHome(scratch, name)
        let userID = "\(name.capitalized) <\(name)-\(marker)@example.com>"
        let fingerprint = try home.generateKey(userID, expire: expire, passphrase: passphrase, fakedTime: fakedTime)
        return (home, fingerprint, userID, try home.exportPublic(fingerprint))
    }

    /// Puts Alice's key in the trust store for `prefix` (nil: a root key), named by its fingerprint.
    @discardableResult
    func trustAlice(_ prefix: String?, layer: TestTrustStore.Layer = .local) throws -> String {
        try store.place(alicePublic, prefix: prefix, layer: layer, fileName: aliceFingerprint)
    }

    /// gpg's own armored detached signature of the image, by Alice: `image.aci.asc`.
    func gpgSignImage() throws {
        try alice.detachSign(image, output: image + ".asc", key: aliceFingerprint)
    }

    /// `rkt-sign verify` against this fixture's trust store.
    func verify(_ arguments: [String], environment: [String: String] = [:]) throws -> Tool.Result {
        try Tool.rktSign.run(["verify"] + store.arguments + arguments, in: scratch.url, environment: environment)
    }

    /// Checks a successful verification's report: exit 0, the signer's fingerprint and user IDs.
    func expectVerified(_ result: Tool.Result, fingerprint: String, userID: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.contains(groupedFingerprint(fingerprint)), "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stdout.contains(userID), "\(result.stdout)", sourceLocation: sourceLocation)
    }

    /// Checks a refusal because the signer is not trusted for `name`: exit 1, the signer named,
    /// and the hint to trust it for that name.
    func expectUntrusted(_ result: Tool.Result, fingerprint: String, name: String = SignFixture.imageName,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stdout.contains("signature verified"), sourceLocation: sourceLocation)
        #expect(result.stderr.uppercased().replacingOccurrences(of: " ", with: "").contains(fingerprint.uppercased()),
                "the signer's fingerprint: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("rkt-trust add --prefix \(name) "), "the hint names the image: \(result.stderr)",
                sourceLocation: sourceLocation)
    }

    /// Checks a refusal because of who signed, without looking at the hint: exit 1, nothing
    /// verified, the signer's fingerprint named.
    func expectSignerRefused(_ result: Tool.Result, fingerprint: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stdout.contains("signature verified"), sourceLocation: sourceLocation)
        #expect(result.stderr.uppercased().replacingOccurrences(of: " ", with: "").contains(fingerprint.uppercased()),
                "the signer's fingerprint: \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// Checks a refusal: exit 1, nothing verified, the reason on standard error.
    func expectRefused(_ result: Tool.Result, because reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stdout.contains("signature verified"), "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(reason), "expected \(reason.debugDescription) in: \(result.stderr)", sourceLocation: sourceLocation)
    }
}

@Suite("rkt-sign")
struct RktSignTests {
    // MARK: Interoperability with GnuPG

    @Test("sign writes IMAGE.asc, an armored detached signature that gpgv accepts with the exported key")
    func signVerifiedByGpgv() throws {
        let fixture = try SignFixture()
        let scratch = fixture.scratch
        let result = try Tool.rktSign.run(["sign", "--homedir", fixture.alice.path, fixture.image])
        #expect(result.status == 0, "\(result.stderr)")
        let signature = try String(contentsOfFile: fixture.image + ".asc", encoding: .utf8)
        #expect(signature.hasPrefix("-----BEGIN PGP SIGNATURE-----\n"))
        #expect(signature.hasSuffix("-----END PGP SIGNATURE-----\n"))
        #expect(fixture.alice.agentsLeft().isEmpty, "rkt-sign sign left an agent: \(fixture.alice.agents)")

        try scratch.write("alice.gpg", try fixture.alice.exportPublic(fixture.aliceFingerprint, armor: false))
        try FileManager.default.createDirectory(atPath: scratch.path("gpgv-home"), withIntermediateDirectories: true)
        let gpgv = try Tool.execute(Peer.gpgv, ["--homedir", scratch.path("gpgv-home"), "--keyring", scratch.path("alice.gpg"),
                                                fixture.image + ".asc", fixture.image])
        #expect(gpgv.status == 0, "\(gpgv.stderr)")
        #expect(gpgv.stderr.contains("Good signature from \"\(fixture.aliceUserID)\""), "\(gpgv.stderr)")

        // The signature covers the exact bytes: gpgv refuses it for the image with one more byte.
        try scratch.shell("cp image.aci longer.aci && printf x >> longer.aci").check()
        let changed = try Tool.execute(Peer.gpgv, ["--homedir", scratch.path("gpgv-home"), "--keyring", scratch.path("alice.gpg"),
                                                   fixture.image + ".asc", scratch.path("longer.aci")])
        #expect(changed.status != 0)
        #expect(changed.stderr.contains("BAD signature"), "\(changed.stderr)")
    }

    @Test("-o names the signature file; with an explicit key among several the right one signs")
    func outputAndKeyChoice() throws {
        let fixture = try SignFixture()
        // A second secret key in the same home.
        let bobUserID = "Bob <bob-\(fixture.marker)@example.com>"
        let bob = try fixture.alice.generateKey(bobUserID)
        let out = fixture.scratch.path("by-bob.sig")
        let result = try Tool.rktSign.run(["sign", "--homedir", fixture.alice.path, "--key", bob, "-o", out, fixture.image])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!fixture.scratch.exists("image.aci.asc"))
        let bobKey = try fixture.scratch.write("bob.asc", try fixture.alice.exportPublic(bob))
        let verify = try fixture.verify(["--keyring", bobKey, fixture.image, out])
        fixture.expectVerified(verify, fingerprint: bob, userID: bobUserID)
        #expect(fixture.alice.agentsLeft().isEmpty, "\(fixture.alice.agents)")
    }

    @Test("a gpg --armor --detach-sign signature verifies with rkt-sign, a binary gpg signature too")
    func gpgSignatureVerified() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice(SignFixture.imageName)
        try fixture.gpgSignImage()
        let armored = try fixture.verify([fixture.image])
        fixture.expectVerified(armored, fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
        #expect(armored.stdout.contains(SignFixture.imageName))

        // rkt falls back to binary detached signatures.
        let binary = fixture.scratch.path("image.aci.sig")
        try fixture.alice.detachSign(fixture.image, output: binary, key: fixture.aliceFingerprint, armor: false)
        fixture.expectVerified(try fixture.verify([fixture.image, binary]), fingerprint: fixture.aliceFingerprint,
                               userID: fixture.aliceUserID)
    }

    @Test("a signature by rkt-sign verifies with rkt-sign")
    func roundTrip() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice("example.com/app")
        try Tool.rktSign.run(["sign", "--homedir", fixture.alice.path, fixture.image]).check("rkt-sign sign")
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
    }

    // MARK: The trust matrix

    /// Where Alice's key is put in the trust store, and whether that trusts `example.com/app/web`.
    struct Placement: Sendable, CustomTestStringConvertible {
        let label: String
        let prefix: String?
        let layer: TestTrustStore.Layer
        let trusted: Bool
        var testDescription: String { label }
    }

    static let placements: [Placement] = [
        Placement(label: "the exact prefix", prefix: "example.com/app/web", layer: .local, trusted: true),
        Placement(label: "a parent prefix", prefix: "example.com/app", layer: .local, trusted: true),
        Placement(label: "the host prefix", prefix: "example.com", layer: .local, trusted: true),
        Placement(label: "a root key", prefix: nil, layer: .local, trusted: true),
        Placement(label: "a parent prefix, system layer", prefix: "example.com/app", layer: .system, trusted: true),
        Placement(label: "a root key, system layer", prefix: nil, layer: .system, trusted: true),
        Placement(label: "a sibling prefix", prefix: "example.com/app/db", layer: .local, trusted: false),
        Placement(label: "a sibling prefix, system layer", prefix: "example.com/app/db", layer: .system, trusted: false),
        Placement(label: "a longer name (child prefix)", prefix: "example.com/app/web/admin", layer: .local, trusted: false),
        Placement(label: "another host", prefix: "example.org", layer: .local, trusted: false),
    ]

    @Test("a key trusts the image only for its own name, its parent prefixes, or as a root key", arguments: placements)
    func trustMatrix(_ placement: Placement) throws {
        let fixture = try SignFixture()
        try fixture.trustAlice(placement.prefix, layer: placement.layer)
        try fixture.gpgSignImage()
        let result = try fixture.verify([fixture.image])
        if placement.trusted {
            fixture.expectVerified(result, fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
        } else {
            fixture.expectUntrusted(result, fingerprint: fixture.aliceFingerprint)
        }
    }

    @Test("an empty local file masks a system key (root or prefix); the unmasked one still counts")
    func maskedSystemKey() throws {
        let fixture = try SignFixture()
        try fixture.gpgSignImage()
        try fixture.trustAlice(nil, layer: .system)
        try fixture.trustAlice("example.com/app", layer: .system)
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)

        // Masking only the root key leaves the prefix key: still trusted.
        try fixture.store.place(Data(), prefix: nil, layer: .local, fileName: fixture.aliceFingerprint)
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)

        // Masking both: no longer trusted.
        try fixture.store.place(Data(), prefix: "example.com/app", layer: .local, fileName: fixture.aliceFingerprint)
        fixture.expectUntrusted(try fixture.verify([fixture.image]), fingerprint: fixture.aliceFingerprint)
    }

    @Test("a signature by a key the trust store does not hold is refused with the hint to trust it")
    func wrongKey() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice("example.com/app")
        let bob = try fixture.makeKey("bob")
        try bob.home.detachSign(fixture.image, output: fixture.image + ".asc", key: bob.fingerprint)
        fixture.expectUntrusted(try fixture.verify([fixture.image]), fingerprint: bob.fingerprint)
    }

    @Test("a changed image is refused: bad signature")
    func tamperedImage() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice(SignFixture.imageName)
        try fixture.gpgSignImage()
        // One byte changed in the middle.
        try fixture.scratch.shell("printf X | dd of=image.aci bs=1 seek=40 conv=notrunc 2>/dev/null").check()
        fixture.expectRefused(try fixture.verify([fixture.image]), because: "bad signature")
    }

    @Test("the signature of another file is refused: bad signature")
    func signatureOfAnotherFile() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice(SignFixture.imageName)
        let other = fixture.scratch.path("other.aci")
        try fixture.scratch.write("other-layout/manifest", SignFixture.manifest.replacingOccurrences(of: "1.0.0", with: "2.0.0"))
        try fixture.scratch.write("other-layout/rootfs/etc/hello", "other\n")
        try Tool.actool.run(["build", fixture.scratch.path("other-layout"), other]).check("actool build")
        try fixture.alice.detachSign(other, output: other + ".asc", key: fixture.aliceFingerprint)
        fixture.expectVerified(try fixture.verify([other]), fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
        fixture.expectRefused(try fixture.verify([fixture.image, other + ".asc"]), because: "bad signature")
    }

    @Test("a trusted key file not named by its key's fingerprint is refused: fingerprint mismatch")
    func fingerprintMismatch() throws {
        let fixture = try SignFixture()
        try fixture.gpgSignImage()
        let bob = try fixture.makeKey("bob")
        // Alice's key under Bob's fingerprint, as a renamed file would be.
        let misnamed = try fixture.store.place(fixture.alicePublic, prefix: "example.com/app", fileName: bob.fingerprint)
        let result = try fixture.verify([fixture.image])
        fixture.expectRefused(result, because: "fingerprint mismatch")
        #expect(result.stderr.contains(misnamed), "names the file: \(result.stderr)")
    }

    @Test("a signature by an expired key is refused; rkt-sign will not sign with it either")
    func expiredKey() throws {
        let fixture = try SignFixture()
        // Made on 2020-01-01 with a validity of one day, signed while it was valid.
        let old = try fixture.makeKey("olga", expire: "1d", fakedTime: "20200101T000000")
        try fixture.store.place(old.publicKey, prefix: "example.com/app", fileName: old.fingerprint)
        try old.home.detachSign(fixture.image, output: fixture.image + ".asc", key: old.fingerprint, fakedTime: "20200101T060000")
        let result = try fixture.verify([fixture.image])
        fixture.expectRefused(result, because: "expired")
        #expect(result.stderr.contains(old.fingerprint.uppercased()), "\(result.stderr)")

        let sign = try Tool.rktSign.run(["sign", "--homedir", old.home.path, "-o", fixture.scratch.path("new.asc"), fixture.image])
        #expect(sign.status == 1, "\(sign.stderr)")
        #expect(!fixture.scratch.exists("new.asc"))
        #expect(old.home.agentsLeft().isEmpty, "\(old.home.agents)")
    }

    @Test("a signature by a revoked key is refused")
    func revokedKey() throws {
        let fixture = try SignFixture()
        let carol = try fixture.makeKey("carol")
        try carol.home.detachSign(fixture.image, output: fixture.image + ".asc", key: carol.fingerprint)
        // Trusted before the revocation: the signature verifies.
        try fixture.store.place(carol.publicKey, prefix: "example.com/app", fileName: carol.fingerprint)
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: carol.fingerprint, userID: carol.userID)
        // The trusted key file now carries the revocation.
        try carol.home.revoke(carol.fingerprint)
        try fixture.store.place(try carol.home.exportPublic(carol.fingerprint), prefix: "example.com/app", fileName: carol.fingerprint)
        let result = try fixture.verify([fixture.image])
        fixture.expectRefused(result, because: "revoked")
        #expect(result.stderr.contains(carol.fingerprint.uppercased()), "\(result.stderr)")
    }

    @Test("no signature file is refused and the file named")
    func missingSignature() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice(SignFixture.imageName)
        let result = try fixture.verify([fixture.image])
        fixture.expectRefused(result, because: "no signature file")
        #expect(result.stderr.contains(fixture.image + ".asc"), "\(result.stderr)")
        let named = try fixture.verify([fixture.image, fixture.scratch.path("elsewhere.asc")])
        fixture.expectRefused(named, because: "no signature file")
        #expect(named.stderr.contains("elsewhere.asc"))
    }

    @Test("a signature file that holds no signature is refused: malformed signature")
    func malformedSignature() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice(SignFixture.imageName)
        try fixture.gpgSignImage()
        let good = try String(contentsOfFile: fixture.image + ".asc", encoding: .utf8)
        try fixture.scratch.write("text.asc", "this is not a signature\n")
        try fixture.scratch.write("random.asc", Data((0..<512).map { _ in UInt8.random(in: 0...255) }))
        try fixture.scratch.write("empty-armor.asc", "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n")
        // The public key instead of a signature.
        try fixture.scratch.write("key.asc", fixture.alicePublic)
        // The armor cut off half way.
        try fixture.scratch.write("truncated.asc", String(good.prefix(good.count / 2)))
        for name in ["text.asc", "random.asc", "empty-armor.asc", "key.asc", "truncated.asc"] {
            let result = try fixture.verify([fixture.image, fixture.scratch.path(name)])
            #expect(result.status == 1, "\(name): \(result.stdout)\(result.stderr)")
            #expect(!result.stdout.contains("signature verified"), "\(name)")
            #expect(result.stderr.contains("malformed signature"), "\(name): \(result.stderr)")
            #expect(result.stderr.contains(fixture.image), "\(name): the image is named: \(result.stderr)")
        }
    }

    // MARK: Options

    @Test("--keyring FILE verifies with that file's keys (armored or binary) and not the trust store")
    func keyring() throws {
        let fixture = try SignFixture()
        try fixture.gpgSignImage()
        let armored = fixture.scratch.path("alice.asc")
        let binary = try fixture.scratch.write("alice.gpg", try fixture.alice.exportPublic(fixture.aliceFingerprint, armor: false))
        // The trust store is empty: only the keyring can make this pass.
        fixture.expectVerified(try fixture.verify(["--keyring", armored, fixture.image]), fingerprint: fixture.aliceFingerprint,
                               userID: fixture.aliceUserID)
        fixture.expectVerified(try fixture.verify(["--keyring", binary, fixture.image]), fingerprint: fixture.aliceFingerprint,
                               userID: fixture.aliceUserID)

        // A keyring without the signer's key, even with the signer trusted in the store.
        try fixture.trustAlice(nil)
        let bob = try fixture.makeKey("bob")
        let bobFile = try fixture.scratch.write("bob.asc", bob.publicKey)
        let refused = try fixture.verify(["--keyring", bobFile, fixture.image])
        #expect(refused.status == 1)
        #expect(refused.stderr.uppercased().contains(fixture.aliceFingerprint.uppercased()), "\(refused.stderr)")

        let missing = try fixture.verify(["--keyring", fixture.scratch.path("nope.gpg"), fixture.image])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.gpg"))
    }

    @Test("--keyring verifies any file (no manifest needed: the name selects no keys)")
    func keyringAnyFile() throws {
        let fixture = try SignFixture()
        let blob = try fixture.scratch.write("release.tar", Data((0..<4096).map { _ in UInt8.random(in: 0...255) }))
        try fixture.alice.detachSign(blob, output: blob + ".asc", key: fixture.aliceFingerprint)
        let result = try fixture.verify(["--keyring", fixture.scratch.path("alice.asc"), blob])
        fixture.expectVerified(result, fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
    }

    @Test("--name selects the keys for that name instead of the manifest's")
    func name() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice("example.com/app")
        // Any file: the name comes from --name.
        let blob = try fixture.scratch.write("blob.bin", Data((0..<4096).map { _ in UInt8.random(in: 0...255) }))
        try fixture.alice.detachSign(blob, output: blob + ".asc", key: fixture.aliceFingerprint)
        let trusted = try fixture.verify(["--name", "example.com/app/blob", blob])
        fixture.expectVerified(trusted, fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
        #expect(trusted.stdout.contains("example.com/app/blob"))

        fixture.expectUntrusted(try fixture.verify(["--name", "example.org/blob", blob]), fingerprint: fixture.aliceFingerprint,
                                name: "example.org/blob")
        // The manifest's name is trusted, but --name overrides it.
        try fixture.gpgSignImage()
        fixture.expectUntrusted(try fixture.verify(["--name", "example.com/apple", fixture.image]), fingerprint: fixture.aliceFingerprint,
                                name: "example.com/apple")
        // Without --name a file with no manifest has no name to select keys for.
        let noName = try fixture.verify([blob])
        #expect(noName.status == 1)
        #expect(noName.stderr.contains("--name"), "\(noName.stderr)")
    }

    @Test("IMAGE - signs standard input to standard output in a pipe (key from GNUPGHOME)")
    func pipe() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice(SignFixture.imageName)
        let result = try Tool.execute("/bin/bash", ["-o", "pipefail", "-c", "cat image.aci | \"$RKT_SIGN\" sign - | cat > piped.asc"],
                                      in: fixture.scratch.url,
                                      environment: ["RKT_SIGN": Tool.rktSign.path, "GNUPGHOME": fixture.alice.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(!fixture.scratch.exists("-.asc"))
        #expect(!fixture.scratch.exists("image.aci.asc"))
        let signature = try String(contentsOfFile: fixture.scratch.path("piped.asc"), encoding: .utf8)
        #expect(signature.hasPrefix("-----BEGIN PGP SIGNATURE-----"))
        fixture.expectVerified(try fixture.verify([fixture.image, fixture.scratch.path("piped.asc")]),
                               fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
        #expect(fixture.alice.agentsLeft().isEmpty, "\(fixture.alice.agents)")

        // Through Tool's stdin too, with the exit status of rkt-sign itself.
        let direct = try Tool.rktSign.run(["sign", "--homedir", fixture.alice.path, "-"], stdin: try fixture.scratch.data("image.aci"))
        #expect(direct.status == 0, "\(direct.stderr)")
        try fixture.scratch.write("direct.asc", direct.stdoutBytes)
        fixture.expectVerified(try fixture.verify([fixture.image, fixture.scratch.path("direct.asc")]),
                               fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
    }

    @Test("a passphrase-protected key signs with the right --passphrase-file, not with a wrong one; nothing is cached")
    func passphrase() throws {
        let fixture = try SignFixture()
        let locked = try fixture.makeKey("paula", passphrase: "correct horse battery")
        try fixture.store.place(locked.publicKey, prefix: "example.com", fileName: locked.fingerprint)
        let right = try fixture.scratch.write("right.txt", "correct horse battery\n")
        let wrong = try fixture.scratch.write("wrong.txt", "incorrect horse\n")
        let out = fixture.scratch.path("signed.asc")

        let refused = try Tool.rktSign.run(["sign", "--homedir", locked.home.path, "--passphrase-file", wrong, "-o", out, fixture.image])
        #expect(refused.status == 1)
        #expect(refused.stderr.lowercased().contains("passphrase"), "\(refused.stderr)")
        #expect(!fixture.scratch.exists("signed.asc"))
        #expect(locked.home.agentsLeft().isEmpty, "\(locked.home.agents)")

        let accepted = try Tool.rktSign.run(["sign", "--homedir", locked.home.path, "--passphrase-file", right, "-o", out, fixture.image])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        fixture.expectVerified(try fixture.verify([fixture.image, out]), fingerprint: locked.fingerprint, userID: locked.userID)
        #expect(locked.home.agentsLeft().isEmpty, "\(locked.home.agents)")

        // The right passphrase was not left cached in an agent: the wrong one fails again.
        let again = try Tool.rktSign.run(["sign", "--homedir", locked.home.path, "--passphrase-file", wrong, "-o",
                                          fixture.scratch.path("again.asc"), fixture.image])
        #expect(again.status == 1)
        #expect(!fixture.scratch.exists("again.asc"))
    }

    @Test("an agent the user already had running is used and left running")
    func existingAgentKept() throws {
        let fixture = try SignFixture()
        try Tool.execute("/usr/bin/gpg-connect-agent", ["--homedir", fixture.alice.path, "/bye"]).check("gpg-connect-agent")
        defer { fixture.alice.stop() }
        let before = fixture.alice.agents
        #expect(!before.isEmpty, "the agent started for the test")
        try Tool.rktSign.run(["sign", "--homedir", fixture.alice.path, fixture.image]).check("rkt-sign sign")
        Thread.sleep(forTimeInterval: 1)
        // The same process (pid and command line); its state letters change with its threads.
        let identity = { (agents: [String]) in agents.map { line in line.split(separator: " ").enumerated().filter { $0.offset != 1 }.map(\.element).joined(separator: " ") } }
        #expect(identity(fixture.alice.agents) == identity(before), "the user's agent was stopped or replaced: \(fixture.alice.agents)")
        fixture.alice.stop()
        #expect(fixture.alice.agentsLeft().isEmpty)
    }

    @Test("keygen makes a signing key and --export-public writes its armored public key")
    func keygen() throws {
        let fixture = try SignFixture()
        let home = fixture.scratch.path("release-home")
        let exported = fixture.scratch.path("release.asc")
        let userID = "Release Bot <release-\(fixture.marker)@example.com>"
        let result = try Tool.rktSign.run(["keygen", "--name", "Release Bot", "--email", "release-\(fixture.marker)@example.com",
                                           "--homedir", home, "--expire", "30d", "--export-public", exported])
        #expect(result.status == 0, "\(result.stderr)")
        let generated = GnuPGHome(existing: home)
        #expect(generated.agentsLeft().isEmpty, "keygen left an agent: \(generated.agents)")

        // gpg sees the secret key with that user ID, expiring in 30 days.
        let listing = try generated.gpg(["--with-colons", "--list-secret-keys"]).check()
        let fingerprint = try generated.fingerprint(of: userID)
        #expect(listing.stdout.contains(userID))
        #expect(result.stdout.contains(groupedFingerprint(fingerprint)), "\(result.stdout)")
        let secretLine = try #require(listing.stdout.split(separator: "\n").first { $0.hasPrefix("sec:") })
        let fields = secretLine.split(separator: ":", omittingEmptySubsequences: false)
        let created = try #require(Int(fields[5]))
        let expires = try #require(Int(fields[6]))
        #expect(expires - created == 30 * 86_400)
        #expect(fields[11].contains("s") || fields[11].contains("S"), "a signing key: \(secretLine)")

        // The export is the armored public key alone: gpg reads the same key from it, no secret part.
        let text = try String(contentsOfFile: exported, encoding: .utf8)
        #expect(text.hasPrefix("-----BEGIN PGP PUBLIC KEY BLOCK-----"))
        #expect(!text.contains("PRIVATE KEY"))
        let showHome = try GnuPGHome(fixture.scratch, "show-home")
        let shown = try Tool.execute(Peer.gpg, ["--homedir", showHome.path, "--batch", "--with-colons",
                                                "--show-keys", exported]).check("gpg --show-keys")
        #expect(shown.stdout.lowercased().contains("fpr:::::::::\(fingerprint):"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("sec:"))

        // Signing with the new key; the exported key trusts it.
        try Tool.rktSign.run(["sign", "--homedir", home, fixture.image]).check("rkt-sign sign")
        try fixture.store.place(try Data(contentsOf: URL(fileURLWithPath: exported)), prefix: "example.com", fileName: fingerprint)
        fixture.expectVerified(try fixture.verify([fixture.image]), fingerprint: fingerprint, userID: userID)
        #expect(generated.agentsLeft().isEmpty, "\(generated.agents)")
    }

    @Test("keygen --algo rsa4096 with --passphrase-file makes an RSA key that needs the passphrase")
    func keygenProtectedRSA() throws {
        let fixture = try SignFixture()
        let home = fixture.scratch.path("rsa-home")
        let passphrase = try fixture.scratch.write("pass.txt", "s3cret words\n")
        let wrong = try fixture.scratch.write("wrong.txt", "other words\n")
        let result = try Tool.rktSign.run(["keygen", "--name", "RSA Signer", "--email", "rsa-\(fixture.marker)@example.com",
                                           "--homedir", home, "--algo", "rsa4096", "--passphrase-file", passphrase,
                                           "--export-public", fixture.scratch.path("rsa.asc")])
        #expect(result.status == 0, "\(result.stderr)")
        let generated = GnuPGHome(existing: home)
        #expect(generated.agentsLeft().isEmpty, "\(generated.agents)")
        let listing = try generated.gpg(["--with-colons", "--list-keys"]).check()
        let publicLine = try #require(listing.stdout.split(separator: "\n").first { $0.hasPrefix("pub:") })
        let fields = publicLine.split(separator: ":", omittingEmptySubsequences: false)
        #expect(fields[2] == "4096" && fields[3] == "1", "RSA 4096: \(publicLine)")

        let refused = try Tool.rktSign.run(["sign", "--homedir", home, "--passphrase-file", wrong, fixture.image])
        #expect(refused.status == 1)
        #expect(!fixture.scratch.exists("image.aci.asc"))
        try Tool.rktSign.run(["sign", "--homedir", home, "--passphrase-file", passphrase, fixture.image]).check("rkt-sign sign")
        let verify = try fixture.verify(["--keyring", fixture.scratch.path("rsa.asc"), fixture.image])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(generated.agentsLeft().isEmpty, "\(generated.agents)")
    }

    // MARK: Isolation

    @Test("verification never reads or writes the user's GnuPG keyring, leaves no private home and starts no agent")
    func isolation() throws {
        let fixture = try SignFixture()
        try fixture.gpgSignImage()
        let agentsBefore = GnuPGAgents.running()

        // A user whose own keyring (~/.gnupg, and GNUPGHOME) holds Alice's key: it must not count.
        let userHome = fixture.scratch.path("user")
        let userKeyring = try GnuPGHome(fixture.scratch, "user/.gnupg")
        try userKeyring.gpg(["--import", fixture.scratch.path("alice.asc")]).check("gpg --import")
        #expect(userKeyring.agentsLeft().isEmpty, "setup: an agent still running")
        let before = try fixture.scratch.snapshot().filter { $0.key.hasPrefix("user/") }
        let untrusted = try fixture.verify([fixture.image], environment: ["HOME": userHome, "GNUPGHOME": userKeyring.path])
        fixture.expectSignerRefused(untrusted, fingerprint: fixture.aliceFingerprint)

        // Trusted through the store, with a HOME that has no .gnupg: none is created.
        try fixture.trustAlice("example.com/app")
        let emptyHome = fixture.scratch.path("empty-home")
        try FileManager.default.createDirectory(atPath: emptyHome, withIntermediateDirectories: true)
        let verified = try Tool.execute("/usr/bin/env", ["-u", "GNUPGHOME", "HOME=\(emptyHome)", Tool.rktSign.path, "verify"]
                                            + fixture.store.arguments + [fixture.image])
        fixture.expectVerified(verified, fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
        let failed = try Tool.execute("/usr/bin/env", ["-u", "GNUPGHOME", "HOME=\(emptyHome)", Tool.rktSign.path, "verify"]
                                          + fixture.store.arguments + [fixture.image, fixture.scratch.path("nothing.asc")])
        #expect(failed.status == 1)
        #expect(try fixture.scratch.listing("empty-home").isEmpty)
        #expect(try fixture.scratch.snapshot().filter { $0.key.hasPrefix("user/") } == before, "the user's keyring changed")

        #expect(PrivateGnuPGHomes.holding(fixture.marker).isEmpty, "private GnuPG homes left: \(PrivateGnuPGHomes.holding(fixture.marker))")
        #expect(GnuPGAgents.newPrivateHomeAgents(since: agentsBefore).isEmpty, "\(GnuPGAgents.running())")
        #expect(userKeyring.agentsLeft().isEmpty, "an agent for the user's keyring: \(userKeyring.agents)")
    }

    @Test("8 concurrent verifications each give their own right answer")
    func concurrentVerifications() throws {
        let fixture = try SignFixture()
        try fixture.trustAlice("example.com/app")
        let bob = try fixture.makeKey("bob")
        try fixture.store.place(bob.publicKey, prefix: "example.com/app/db", fileName: bob.fingerprint)
        // Eight images: good (Alice), tampered, signed by Bob (trusted only for a sibling), good again…
        enum Expected: Sendable { case good, bad, untrusted }
        var cases: [(image: String, expected: Expected)] = []
        for index in 0..<8 {
            let image = fixture.scratch.path("image-\(index).aci")
            try FileManager.default.copyItem(atPath: fixture.image, toPath: image)
            try fixture.scratch.shell("printf '%08d' \(index) >> image-\(index).aci").check()
            let expected: Expected = [.good, .bad, .untrusted, .good][index % 4]
            if expected == .untrusted {
                try bob.home.detachSign(image, output: image + ".asc", key: bob.fingerprint)
            } else {
                try fixture.alice.detachSign(image, output: image + ".asc", key: fixture.aliceFingerprint)
            }
            if expected == .bad { try fixture.scratch.shell("printf x >> image-\(index).aci").check() }
            cases.append((image, expected))
        }
        let agentsBefore = GnuPGAgents.running()
        nonisolated(unsafe) var results = [Tool.Result?](repeating: nil, count: cases.count)
        let lock = NSLock()
        let images = cases.map(\.image)
        nonisolated(unsafe) let shared = fixture
        DispatchQueue.concurrentPerform(iterations: images.count) { index in
            let result = try? shared.verify([images[index]])
            lock.withLock { results[index] = result }
        }
        for (index, item) in cases.enumerated() {
            let result = try #require(results[index], "verification \(index) did not run")
            switch item.expected {
            case .good: fixture.expectVerified(result, fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
            case .bad: fixture.expectRefused(result, because: "bad signature")
            case .untrusted: fixture.expectUntrusted(result, fingerprint: bob.fingerprint)
            }
            #expect(result.stderr.isEmpty || result.stderr.contains("image-\(index).aci"), "answer \(index) mixed up: \(result.stderr)")
        }
        #expect(PrivateGnuPGHomes.holding(fixture.marker).isEmpty)
        #expect(GnuPGAgents.newPrivateHomeAgents(since: agentsBefore).isEmpty, "\(GnuPGAgents.running())")
    }

    // MARK: OCI simple signing

    /// An OCI layout built by actool from the fixture's layout (tag `1.0.0`), its manifest blob,
    /// and a GnuPG home holding only Alice's public key (for skopeo standalone-verify).
    static func ociLayout(_ fixture: SignFixture, name: String = "oci", content: String = "hello\n")
        throws -> (layout: String, manifest: String, digest: String) {
        let source = "\(name)-source"
        try fixture.scratch.write("\(source)/manifest", SignFixture.manifest)
        try fixture.scratch.write("\(source)/rootfs/etc/hello", content)
        let layout = fixture.scratch.path(name)
        try Tool.actool.run(["build", "--format", "oci", fixture.scratch.path(source), layout]).check("actool build --format oci")
        let index = try #require(try JSONSerialization.jsonObject(with: fixture.scratch.data("\(name)/index.json")) as? [String: Any])
        let manifests = try #require(index["manifests"] as? [[String: Any]])
        let digest = try #require(manifests.first?["digest"] as? String)
        let manifest = "\(layout)/blobs/\(digest.replacingOccurrences(of: ":", with: "/"))"
        #expect(FileManager.default.fileExists(atPath: manifest))
        return (layout, manifest, digest)
    }

    @Test("rkt-sign sign --oci writes a simple-signing signature that skopeo standalone-verify accepts")
    func ociSignVerifiedBySkopeo() throws {
        let fixture = try SignFixture()
        let oci = try Self.ociLayout(fixture)
        let signature = fixture.scratch.path("signature-1")
        let reference = "example.com/app/web:1.0.0"
        let result = try Tool.rktSign.run(["sign", "--oci", "--homedir", fixture.alice.path, "--identity", reference,
                                           "-o", signature, "\(oci.layout):1.0.0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(fixture.alice.agentsLeft().isEmpty, "\(fixture.alice.agents)")

        let verifier = try GnuPGHome(fixture.scratch, "skopeo-home")
        try verifier.gpg(["--import", fixture.scratch.path("alice.asc")]).check("gpg --import")
        defer { verifier.stop() }
        let skopeo = try Tool.execute(Peer.skopeo, ["standalone-verify", oci.manifest, reference, fixture.aliceFingerprint.uppercased(),
                                                    signature], environment: ["GNUPGHOME": verifier.path])
        #expect(skopeo.status == 0, "\(skopeo.stderr)")
        #expect(skopeo.stdout.contains(oci.digest), "\(skopeo.stdout)")
        // skopeo holds it to the identity and the manifest.
        let otherIdentity = try Tool.execute(Peer.skopeo, ["standalone-verify", oci.manifest, "example.com/app/web:2.0",
                                                           fixture.aliceFingerprint.uppercased(), signature],
                                             environment: ["GNUPGHOME": verifier.path])
        #expect(otherIdentity.status != 0)

        // And our own verifier accepts it with Alice trusted for the identity's repository.
        try fixture.trustAlice("example.com/app")
        let ours = try fixture.verify(["--oci", "--identity", reference, oci.layout, signature])
        fixture.expectVerified(ours, fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
    }

    @Test("a skopeo standalone-sign signature verifies with rkt-sign verify --oci, not for another identity or manifest")
    func skopeoSignatureVerified() throws {
        let fixture = try SignFixture()
        let oci = try Self.ociLayout(fixture)
        let reference = "example.com/app/web:1.0.0"
        let signature = fixture.scratch.path("skopeo.sig")
        let signed = try Tool.execute(Peer.skopeo, ["standalone-sign", oci.manifest, reference, fixture.aliceFingerprint.uppercased(),
                                                    "-o", signature], environment: ["GNUPGHOME": fixture.alice.path])
        fixture.alice.stop()
        try signed.check("skopeo standalone-sign")
        try fixture.trustAlice("example.com/app")

        let result = try fixture.verify(["--oci", "--identity", reference, "\(oci.layout):1.0.0", signature])
        fixture.expectVerified(result, fingerprint: fixture.aliceFingerprint, userID: fixture.aliceUserID)
        #expect(result.stdout.contains(reference))

        // Another identity: refused, and both references named.
        let otherIdentity = try fixture.verify(["--oci", "--identity", "example.com/app/web:2.0.0", oci.layout, signature])
        #expect(otherIdentity.status == 1)
        #expect(otherIdentity.stderr.contains("example.com/app/web:2.0.0") && otherIdentity.stderr.contains(reference),
                "\(otherIdentity.stderr)")
        #expect(otherIdentity.stderr.contains("does not vouch for this image") && !otherIdentity.stderr.contains("malformed"),
                "\(otherIdentity.stderr)")

        // Another image (changed content, so another manifest) under the same identity: refused.
        let changed = try Self.ociLayout(fixture, name: "oci-changed", content: "changed\n")
        #expect(changed.digest != oci.digest)
        let otherManifest = try fixture.verify(["--oci", "--identity", reference, changed.layout, signature])
        #expect(otherManifest.status == 1)
        #expect(otherManifest.stderr.contains(changed.digest) || otherManifest.stderr.contains(oci.digest), "\(otherManifest.stderr)")
        #expect(!otherManifest.stdout.contains("signature verified"))

        // A key not trusted for the identity's repository: refused with the hint.
        let elsewhere = try Tool.execute(Peer.skopeo, ["standalone-sign", oci.manifest, "example.org/web:1.0.0",
                                                       fixture.aliceFingerprint.uppercased(), "-o", fixture.scratch.path("elsewhere.sig")],
                                         environment: ["GNUPGHOME": fixture.alice.path])
        fixture.alice.stop()
        try elsewhere.check("skopeo standalone-sign")
        let untrusted = try fixture.verify(["--oci", "--identity", "example.org/web:1.0.0", oci.layout, fixture.scratch.path("elsewhere.sig")])
        fixture.expectUntrusted(untrusted, fingerprint: fixture.aliceFingerprint, name: "example.org/web")
    }
}
