import Foundation
import Glibc
import Shared
import TestSupport
import Testing

@Suite("OpenPGP: detached signatures with real gpg keys")
struct SignatureVerifierTests {
    /// Verifies `signature` over the file at `path` against `keys` (armored public keys).
    static func verify(_ signature: [UInt8], _ path: String, keys: [(String, [UInt8])]) throws -> SignatureVerifier.Verification {
        let fd = try FileIO.open(path, O_RDONLY)
        defer { close(fd) }
        return try SignatureVerifier.verifyDetached(signature: signature, fileDescriptor: fd,
                                                    keys: keys.map { SignatureVerifier.Key(contents: $0.1, source: $0.0) })
    }

    /// The armored detached signature DetachedSigner makes over the file at `path`.
    static func sign(_ path: String, home: GnuPGHome, key: String) throws -> [UInt8] {
        let fd = try FileIO.open(path, O_RDONLY)
        defer { close(fd) }
        return try DetachedSigner(home: home.path, keyID: key).sign(fileDescriptor: fd)
    }

    @Test("a file signed with a gpg-made key verifies against that key, whoever made the signature (us or gpg, armored or not)")
    func goodSignatures() throws {
        let keys = try SigningKeys()
        let alice = try keys.generate("Alice <alice@example.com>")
        let file = try keys.scratch.write("app.aci", String(repeating: "image bytes\n", count: 1000))
        let ours = try Self.sign(file, home: keys.home, key: alice)
        #expect(ours.starts(with: Array("-----BEGIN PGP SIGNATURE-----".utf8)))
        try keys.home.detachSign(file, output: keys.scratch.path("gpg.asc"), key: alice)
        try keys.home.detachSign(file, output: keys.scratch.path("gpg.sig"), key: alice, armor: false)
        for signature in [ours, Array(try keys.scratch.data("gpg.asc")), Array(try keys.scratch.data("gpg.sig"))] {
            let verification = try Self.verify(signature, file, keys: [("alice.asc", try keys.publicKey(alice))])
            #expect(verification.signer.key.fingerprint == alice)
            #expect(verification.signer.key.userIDs == ["Alice <alice@example.com>"])
            #expect(verification.imported["alice.asc"] == [alice])
        }
        // A binary public key does as well as an armored one.
        #expect(try Self.verify(ours, file, keys: [("alice.gpg", try keys.publicKey(alice, armor: false))]).signer.key.fingerprint == alice)
    }

    @Test("content changed after signing is a bad signature")
    func badSignature() throws {
        let keys = try SigningKeys()
        let alice = try keys.generate("Alice <alice@example.com>")
        let file = try keys.scratch.write("app.aci", "the signed content\n")
        let signature = try Self.sign(file, home: keys.home, key: alice)
        try keys.scratch.write("app.aci", "the signed content, changed\n")
        let error = #expect(throws: (any Error).self) { try Self.verify(signature, file, keys: [("alice.asc", try keys.publicKey(alice))]) }
        #expect(described(error) == "bad signature: the file does not match it (changed since it was signed, or signed for another file)")
    }

    @Test("a signature by a key that is not among those given is not trusted, and says which key made it")
    func untrustedSigner() throws {
        let keys = try SigningKeys()
        let alice = try keys.generate("Alice <alice@example.com>")
        let mallory = try keys.generate("Mallory <mallory@example.com>")
        let file = try keys.scratch.write("app.aci", "content\n")
        let signature = try Self.sign(file, home: keys.home, key: mallory)
        let error = #expect(throws: (any Error).self) { try Self.verify(signature, file, keys: [("alice.asc", try keys.publicKey(alice))]) }
        #expect(described(error).hasPrefix("signed by a key that is not trusted for this image ("), "\(described(error))")
        let named = described(error).dropFirst("signed by a key that is not trusted for this image (".count).dropLast()
        #expect(!named.isEmpty && mallory.uppercased().hasSuffix(named), "\(described(error)) for \(mallory)")
    }

    @Test("bytes that are no signature are refused as malformed")
    func notASignature() throws {
        let keys = try SigningKeys()
        let alice = try keys.generate("Alice <alice@example.com>")
        let file = try keys.scratch.write("app.aci", "content\n")
        let error = #expect(throws: (any Error).self) {
            try Self.verify(Array("-----BEGIN PGP SIGNATURE-----\n\nnot base64 at all\n-----END PGP SIGNATURE-----\n".utf8), file,
                            keys: [("alice.asc", try keys.publicKey(alice))])
        }
        #expect(described(error).hasPrefix("malformed signature: "), "\(described(error))")
    }

    @Test("signing with a key the home does not hold names the key and the home")
    func missingSecretKey() throws {
        let keys = try SigningKeys()
        _ = try keys.generate("Alice <alice@example.com>")
        let file = try keys.scratch.write("app.aci", "content\n")
        let error = #expect(throws: (any Error).self) { try Self.sign(file, home: keys.home, key: "nobody@example.com") }
        #expect(described(error) == "no secret key \"nobody@example.com\" in \(keys.home.path)")
    }
}
