import Foundation
import Glibc
import Shared
import TestSupport
import Testing

/// Fetching image files and URLs into a store, signatures checked against a trust store: real
/// gpg-made keys, a local http server, nothing rendered.
@Suite("fetch: images from files and URLs, verified")
struct ImageFetcherTests {
    /// A store, a trust store trusting `alice` for example.com, and alice's signed image `app.aci`.
    struct Fixture {
        let keys: SigningKeys
        let alice: String
        let store: ImageStore
        let image: String
        let fetcher: ImageFetcher

        init(insecure: InsecureOptions = []) throws {
            keys = try SigningKeys()
            alice = try keys.generate("Alice <alice@example.com>")
            let trust = TrustStore(localDirectory: keys.scratch.path("local"), systemDirectory: keys.scratch.path("system"))
            try trust.add(try keys.publicKey(alice), scope: try TrustScope.prefix(parsing: "example.com"))
            store = try ImageStore(dataDirectory: keys.scratch.path("data"))
            image = try TestImage.write(keys.scratch, "app.aci", try TestImage.tar(content: "signed", compression: .gzip))
            fetcher = ImageFetcher(store: store, trustStore: trust, config: RktConfig(), insecure: insecure, pullPolicy: .new, render: false)
            try sign(image, with: alice)
        }

        /// Writes `path.asc`, signed by `key` of the fixture's home.
        func sign(_ path: String, with key: String) throws {
            let fd = try FileIO.open(path, O_RDONLY)
            defer { close(fd) }
            try keys.scratch.write((path as NSString).lastPathComponent + ".asc", Data(try DetachedSigner(home: keys.home.path, keyID: key).sign(fileDescriptor: fd)))
        }
    }

    @Test("a file signed by a trusted key is stored; fetching it again finds the same image")
    func signedFile() throws {
        let fixture = try Fixture()
        let record = try fixture.fetcher.fetch(fixture.image)
        #expect(record.name == "example.com/app")
        #expect(try fixture.fetcher.fetch(fixture.image).key == record.key)
        #expect(try fixture.store.images().map(\.key) == [record.key])
    }

    @Test("a file without its signature is refused, with the fix")
    func missingSignature() throws {
        let fixture = try Fixture()
        try FileManager.default.removeItem(atPath: fixture.image + ".asc")
        let error = #expect(throws: (any Error).self) { try fixture.fetcher.fetch(fixture.image) }
        #expect(described(error).hasPrefix("error opening signature file \(fixture.image).asc: "), "\(described(error))")
        #expect(described(error).hasSuffix("(sign the image with rkt-sign, or fetch with --insecure-options=image)"), "\(described(error))")
        #expect(try fixture.store.images().isEmpty)
    }

    @Test("a file signed by a key not trusted for its name is refused and not stored, with the rkt trust command to run")
    func untrustedSigner() throws {
        let fixture = try Fixture()
        let mallory = try fixture.keys.generate("Mallory <mallory@example.com>")
        try fixture.sign(fixture.image, with: mallory)
        let error = #expect(throws: (any Error).self) { try fixture.fetcher.fetch(fixture.image) }
        #expect(described(error).hasPrefix(#"image "example.com/app" verification failed: signed by key "#), "\(described(error))")
        #expect(described(error).hasSuffix("to trust it: rkt trust --prefix example.com/app KEY"), "\(described(error))")
        #expect(try fixture.store.images().isEmpty)
    }

    @Test("a file changed after signing is a bad signature and not stored")
    func changedFile() throws {
        let fixture = try Fixture()
        try fixture.keys.scratch.write("app.aci", Data(try TestImage.tar(content: "changed", compression: .gzip)))
        let error = #expect(throws: (any Error).self) { try fixture.fetcher.fetch(fixture.image) }
        #expect(described(error).hasPrefix(#"image "example.com/app" verification failed: bad signature"#), "\(described(error))")
        #expect(try fixture.store.images().isEmpty)
    }

    @Test("an image URL on plain http is fetched when signatures are not checked, and its remote is recorded")
    func httpURL() throws {
        let fixture = try Fixture(insecure: [.image, .http])
        let server = try ImageServer(scratch: fixture.keys.scratch, certificates: nil)
        defer { server.stop() }
        let url = try server.publish(fixture.image, as: "images/app.aci")
        let record = try fixture.fetcher.fetch(url)
        #expect(record.name == "example.com/app")
        #expect(try fixture.store.remote(url) != nil)
        #expect(server.startedRequests(for: "/images/app.aci") == 1)
    }
}
