import Foundation
import Shared
import TestSupport
import Testing

@Suite("trust: the trust store's key files")
struct TrustStoreTests {
    /// A trust store whose local and system layers are directories of the keys' scratch directory.
    static func store(_ keys: SigningKeys) -> TrustStore {
        TrustStore(localDirectory: keys.scratch.path("local"), systemDirectory: keys.scratch.path("system"))
    }

    @Test("a key added for a prefix is stored armored under its fingerprint and trusted for names under the prefix, whole components only")
    func prefixMatching() throws {
        let keys = try SigningKeys()
        let alice = try keys.generate("Alice <alice@example.com>")
        let store = Self.store(keys)
        let added = try store.add(try keys.publicKey(alice, armor: false), scope: try TrustScope.prefix(parsing: "example.com/app/"))
        #expect(added.path == keys.scratch.path("local/trustedkeys/prefix.d/example.com/app/\(alice)"))
        #expect(added.key.fingerprint == alice)
        #expect(try keys.scratch.data("local/trustedkeys/prefix.d/example.com/app/\(alice)").starts(with: Data("-----BEGIN PGP PUBLIC KEY BLOCK-----".utf8)))

        for name in ["example.com/app", "example.com/app/worker"] {
            #expect(try store.keys(for: ACIdentifier(name)).map(\.fingerprint) == [alice], "\(name)")
            #expect(try store.hasPrefixKeys(for: ACIdentifier(name)), "\(name)")
        }
        for name in ["example.com/application", "example.com", "other.com/app"] {
            #expect(try store.keys(for: ACIdentifier(name)).isEmpty, "\(name)")
        }
        #expect(try store.list().map(\.scope) == [.prefix(try ACIdentifier("example.com/app"))])
    }

    @Test("a root key is trusted for every name but is no prefix key")
    func rootKey() throws {
        let keys = try SigningKeys()
        let alice = try keys.generate("Alice <alice@example.com>")
        let store = Self.store(keys)
        try store.add(try keys.publicKey(alice), scope: .root)
        let trusted = try store.keys(for: ACIdentifier("anything.org/at/all"))
        #expect(trusted.map(\.fingerprint) == [alice])
        #expect(trusted.first?.scope == .root)
        #expect(try !store.hasPrefixKeys(for: ACIdentifier("anything.org/at/all")))
    }

    @Test("a system key is trusted until removed, which masks it with an empty local file; removing it again says so")
    func systemKeyMasked() throws {
        let keys = try SigningKeys()
        let alice = try keys.generate("Alice <alice@example.com>")
        let system = TrustStore(localDirectory: keys.scratch.path("system"), systemDirectory: keys.scratch.path("unused"))
        try system.add(try keys.publicKey(alice), scope: .root)
        let store = Self.store(keys)
        #expect(try store.list().map(\.layer) == [.system])

        let removals = try store.remove(fingerprint: alice.uppercased(), scope: .root)
        let mask = keys.scratch.path("local/trustedkeys/root.d/\(alice)")
        #expect(removals == [.masked(mask)])
        #expect(try keys.scratch.data("local/trustedkeys/root.d/\(alice)").isEmpty)
        #expect(try store.list().isEmpty)
        #expect(try store.keys(for: ACIdentifier("example.com/app")).isEmpty)

        let again = #expect(throws: (any Error).self) { try store.remove(fingerprint: alice, scope: .root) }
        #expect(described(again) == "no key \(alice) is trusted for root (its system key is masked by \(mask) already)")
    }

    @Test("a local key is deleted on removal")
    func localKeyDeleted() throws {
        let keys = try SigningKeys()
        let alice = try keys.generate("Alice <alice@example.com>")
        let store = Self.store(keys)
        let scope = try TrustScope.prefix(parsing: "example.com")
        let added = try store.add(try keys.publicKey(alice), scope: scope)
        #expect(try store.remove(fingerprint: alice, scope: scope) == [.deleted(added.path)])
        #expect(!keys.scratch.exists("local/trustedkeys/prefix.d/example.com/\(alice)"))
    }

    @Test("removal needs a 40-digit fingerprint")
    func badFingerprint() throws {
        let scratch = try Scratch()
        let store = TrustStore(localDirectory: scratch.path("local"), systemDirectory: scratch.path("system"))
        let error = #expect(throws: (any Error).self) { try store.remove(fingerprint: "ABCD 1234", scope: .root) }
        #expect(described(error) == #""abcd1234" is not a 40-digit key fingerprint"#)
    }

    @Test("a key file must hold exactly one public key", arguments: [1, 2])
    func oneKeyPerFile(_ count: Int) throws {
        let keys = try SigningKeys()
        var bytes: [UInt8] = []
        if count == 1 {
            bytes = Array("not a key\n".utf8)
        } else {
            for name in ["Alice <alice@example.com>", "Bob <bob@example.com>"] { bytes += try keys.publicKey(try keys.generate(name)) }
        }
        let error = #expect(throws: (any Error).self) { try Self.store(keys).add(bytes, scope: .root) }
        #expect(described(error) == (count == 1 ? "no OpenPGP public key found" : "2 keys in one file; give one key per file"))
        #expect(!keys.scratch.exists("local/trustedkeys/root.d"))
    }

    @Test("--prefix values: trailing slashes dropped, URL schemes and invalid names refused")
    func prefixParsing() throws {
        #expect(try TrustScope.prefix(parsing: "example.com/app//") == .prefix(try ACIdentifier("example.com/app")))
        let scheme = #expect(throws: (any Error).self) { try TrustScope.prefix(parsing: "https://example.com/app") }
        #expect(described(scheme) == "--prefix must not contain a URL scheme, omit https://")
        let invalid = #expect(throws: (any Error).self) { try TrustScope.prefix(parsing: "Example Com") }
        #expect(described(invalid).hasPrefix(#"invalid prefix "Example Com": "#), "\(described(invalid))")
    }
}
