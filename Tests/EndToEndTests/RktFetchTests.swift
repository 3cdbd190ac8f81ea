import Foundation
import TestSupport
import Testing

/// A fetch test's world: a scratch directory, an rkt home in it, a throwaway CA and an https
/// image server (testdata/fetch/server.py) trusted through SSL_CERT_FILE.
struct FetchFixture {
    let scratch: Scratch
    let home: RktHome
    let certificates: TestCertificates
    let server: ImageServer

    init() throws {
        scratch = try Scratch()
        home = RktHome(scratch)
        certificates = try TestCertificates(in: scratch)
        server = try ImageServer(scratch: scratch, certificates: certificates)
    }

    /// The environment every command gets: the test CA.
    var environment: [String: String] { ["SSL_CERT_FILE": certificates.authority] }

    func rkt(_ arguments: [String], environment extra: [String: String] = [:], timeout: TimeInterval = 600) throws -> Tool.Result {
        try home.rkt(arguments, environment: environment.merging(extra) { $1 }, timeout: timeout)
    }

    /// An uncompressed image of `size` random bytes (in `big`), so that a cut or spliced body stays
    /// a cut or a splice whatever compression would do; two of the same size differ only in those bytes.
    func randomImage(_ file: String, name: String = "example.com/big", size: Int = 3_000_000) throws -> String {
        try TestImage.build(scratch, file, manifest: TestImage.manifest(name), files: ["big": randomData(size)], compression: "none")
    }

    /// An image named `name` (gzip) with `etc/hello` saying `content`, built in the scratch directory.
    func image(_ file: String, name: String = "example.com/app/web", version: String? = "1.0.0",
               content: String = "hello\n") throws -> String {
        try TestImage.build(scratch, file, manifest: TestImage.manifest(name, version: version), files: ["etc/hello": content])
    }
}

/// Checks a refused fetch: exit 254, the `fetch: ` prefix and `message` on standard error, no ID printed.
func expectFetchRefused(_ result: Tool.Result, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 254, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains("fetch: "), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(message), "expected \(message.debugDescription) in: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(!result.stdout.contains("sha512-"), "\(result.stdout)", sourceLocation: sourceLocation)
}

/// `sha512-` and 32 hex digits: what fetch prints without --full.
func isShortID(_ text: String) -> Bool {
    text.hasPrefix("sha512-") && text.count == 39 && text.dropFirst(7).allSatisfy { $0.isHexDigit && !$0.isUppercase }
}

@Suite("rkt fetch")
struct RktFetchTests {
    // MARK: Files and image IDs

    @Test("--insecure-options=image fetch of a file prints sha512-<32 hex>; --full the store key, the first 64 hex of sha512sum of the uncompressed tar; only the image is stored")
    func fileAndFullHash() throws {
        let fixture = try FetchFixture()
        let image = try fixture.image("app.aci")
        let expected = try TestImage.expectedID(fixture.scratch, image)

        let short = try fixture.rkt(["--insecure-options=image", "fetch", image])
        #expect(short.status == 0, "\(short.stderr)")
        let printed = short.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(isShortID(printed), "\(short.stdout)")
        #expect(expected.hasPrefix(printed))

        let full = try fixture.rkt(["--insecure-options=image", "fetch", "--full", image])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stdout == expected + "\n")
        // Only the image: one row, one blob named by the key, no keys fetched or trusted.
        #expect(try fixture.home.indexKeys() == [expected])
        #expect(try fixture.home.blobKeys() == [expected])
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.home.local)/trustedkeys"))
        #expect(!short.stderr.contains("signature"), "\(short.stderr)")
        // The stored blob is the uncompressed tar.
        let blob = "\(fixture.home.data)/cas/blob/sha512/\(expected.dropFirst(7).prefix(2))/\(expected)"
        #expect(try fixture.scratch.shell("gzip -dc '\(image)' | cmp - '\(blob)'").status == 0)
    }

    @Test("a file is read again on every fetch (--debug says so), whatever the pull policy")
    func fileAlwaysRead() throws {
        let fixture = try FetchFixture()
        let image = try fixture.image("app.aci")
        let expected = try TestImage.expectedID(fixture.scratch, image)
        for policy in ["update", "new", "never", "update"] {
            let result = try fixture.rkt(["--debug", "--insecure-options=image", "fetch", "--full", "--pull-policy=\(policy)", "./app.aci"])
            #expect(result.status == 0, "\(policy): \(result.stderr)")
            #expect(result.stdout == expected + "\n")
            #expect(result.stderr.contains("image: using image from file \(fixture.scratch.path("app.aci"))"), "\(policy): \(result.stderr)")
        }
        #expect(try fixture.home.indexKeys() == [expected])
    }

    @Test("a file without its .asc is refused: error opening signature file; nothing stored")
    func unsignedFile() throws {
        let fixture = try FetchFixture()
        let image = try fixture.image("app.aci")
        let result = try fixture.rkt(["fetch", image])
        expectFetchRefused(result, "error opening signature file")
        #expect(result.stderr.contains("app.aci.asc"), "\(result.stderr)")
        try fixture.home.expectEmpty("an unsigned fetch")
    }

    // MARK: The trust matrix

    struct TrustCase: Sendable, CustomTestStringConvertible {
        enum Trust: Sendable {
            case signer(prefix: String?)
            case signerSystem(prefix: String?)
            case maskSigner(prefix: String?)
            case otherKey(prefix: String?)
        }
        let label: String
        let trust: [Trust]
        let tampered: Bool
        let accepted: Bool
        var testDescription: String { label }
    }

    static let trustCases: [TrustCase] = [
        TrustCase(label: "no key trusted", trust: [], tampered: false, accepted: false),
        TrustCase(label: "the signer trusted for another prefix", trust: [.signer(prefix: "example.org/app")], tampered: false, accepted: false),
        TrustCase(label: "the signer trusted for a sibling name", trust: [.signer(prefix: "example.com/app/db")], tampered: false, accepted: false),
        TrustCase(label: "the signer trusted for a longer name", trust: [.signer(prefix: "example.com/app/web/sub")], tampered: false, accepted: false),
        TrustCase(label: "another key trusted for the image's name", trust: [.otherKey(prefix: "example.com/app/web")], tampered: false, accepted: false),
        TrustCase(label: "the signer trusted for the image's name", trust: [.signer(prefix: "example.com/app/web")], tampered: false, accepted: true),
        TrustCase(label: "the signer trusted for a parent prefix", trust: [.signer(prefix: "example.com/app")], tampered: false, accepted: true),
        TrustCase(label: "the signer as a root key", trust: [.signer(prefix: nil)], tampered: false, accepted: true),
        TrustCase(label: "the signer as a system prefix key", trust: [.signerSystem(prefix: "example.com")], tampered: false, accepted: true),
        TrustCase(label: "a system root key masked by an empty local file", trust: [.signerSystem(prefix: nil), .maskSigner(prefix: nil)],
                  tampered: false, accepted: false),
        TrustCase(label: "a root key, but the image was changed after signing", trust: [.signer(prefix: nil)], tampered: true, accepted: false),
    ]

    @Test("fetch of a signed file through the trust store", arguments: trustCases)
    func trustMatrix(_ trustCase: TrustCase) throws {
        let fixture = try FetchFixture()
        let image = try fixture.image("app.aci")
        let signer = try TestSigningKey(fixture.scratch, "signer")
        try signer.sign(image)
        if trustCase.tampered {
            // Same name, other content, the original signature beside it.
            let signature = try Data(contentsOf: URL(fileURLWithPath: image + ".asc"))
            try fixture.image("app.aci", content: "changed\n")
            try signature.write(to: URL(fileURLWithPath: image + ".asc"))
        }
        for trust in trustCase.trust {
            switch trust {
            case .signer(let prefix): try signer.trust(in: fixture.home, prefix: prefix)
            case .signerSystem(let prefix):
                let directory = "\(fixture.home.system)/trustedkeys/" + (prefix.map { "prefix.d/\($0)" } ?? "root.d")
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try signer.publicKey.write(to: URL(fileURLWithPath: "\(directory)/\(signer.fingerprint)"))
            case .maskSigner(let prefix):
                let directory = "\(fixture.home.local)/trustedkeys/" + (prefix.map { "prefix.d/\($0)" } ?? "root.d")
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try Data().write(to: URL(fileURLWithPath: "\(directory)/\(signer.fingerprint)"))
            case .otherKey(let prefix):
                try TestSigningKey(fixture.scratch, "other").trust(in: fixture.home, prefix: prefix)
            }
        }
        let result = try fixture.rkt(["fetch", "--full", image])
        if trustCase.accepted {
            #expect(result.status == 0, "\(result.stderr)")
            let expected = try TestImage.expectedID(fixture.scratch, image)
            #expect(result.stdout == expected + "\n")
            #expect(result.stderr.contains("image: signature verified:"), "\(result.stderr)")
            #expect(try fixture.home.indexKeys() == [expected])
        } else {
            expectFetchRefused(result, "verification failed")
            #expect(result.stderr.contains("example.com/app/web"), "the image's name: \(result.stderr)")
            if !trustCase.tampered {
                #expect(result.stderr.uppercased().replacingOccurrences(of: " ", with: "").contains(signer.fingerprint.uppercased()),
                        "the signer's fingerprint: \(result.stderr)")
            }
            try fixture.home.expectEmpty(trustCase.label)
        }
    }

    @Test("--signature gives the signature's place; `rkt trust` then fetch verifies it")
    func signatureOptionAndTrustCommand() throws {
        let fixture = try FetchFixture()
        let image = try fixture.image("app.aci")
        let signer = try TestSigningKey(fixture.scratch, "signer")
        try signer.sign(image, output: fixture.scratch.path("elsewhere.sig"))
        // Without --signature the .asc is missing.
        expectFetchRefused(try fixture.rkt(["fetch", image]), "error opening signature file")

        let trust = try fixture.rkt(["trust", "--prefix", "example.com/app/web", "--skip-fingerprint-review", signer.publicKeyPath])
        #expect(trust.status == 0, "\(trust.stderr)")
        #expect(trust.stdout.contains("Added key for prefix \"example.com/app/web\" at \"\(fixture.home.local)/trustedkeys/prefix.d/example.com/app/web/\(signer.fingerprint)\""),
                "\(trust.stdout)")
        let result = try fixture.rkt(["fetch", "--full", "--signature", fixture.scratch.path("elsewhere.sig"), image])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try TestImage.expectedID(fixture.scratch, image)) + "\n")
        #expect(result.stderr.contains("signature verified"), "\(result.stderr)")
    }

    // MARK: https URLs

    @Test("an https URL is verified with URL.asc, fetched before the image; unsigned URLs and the wrong CA are refused")
    func httpsURL() throws {
        let fixture = try FetchFixture()
        let signer = try TestSigningKey(fixture.scratch, "signer")
        try signer.trust(in: fixture.home, prefix: "example.com/app")
        let image = try fixture.image("app.aci")
        try signer.sign(image)
        let url = try fixture.server.publish(image, as: "images/app.aci")
        try fixture.server.publish(image + ".asc", as: "images/app.aci.asc")
        let unsigned = try fixture.server.publish(try fixture.image("other.aci", name: "example.com/app/other"), as: "images/other.aci")

        let result = try fixture.rkt(["fetch", "--full", url])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try TestImage.expectedID(fixture.scratch, image)
        #expect(result.stdout == expected + "\n")
        #expect(result.stderr.contains("signature verified"), "\(result.stderr)")
        let paths = fixture.server.requests.map(\.path)
        #expect(paths == ["/images/app.aci.asc", "/images/app.aci"], "\(fixture.server.requests)")
        #expect(try fixture.home.indexKeys() == [expected])

        let missing = try fixture.rkt(["fetch", unsigned])
        expectFetchRefused(missing, "error downloading the signature file")
        #expect(!fixture.server.requests.map(\.path).contains("/images/other.aci"), "the image was downloaded anyway: \(fixture.server.requests)")

        // The system CA bundle does not know the test CA.
        let untrustedCA = try fixture.home.rkt(["--insecure-options=image", "fetch", unsigned],
                                               environment: ["SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt"])
        #expect(untrustedCA.status == 254, "\(untrustedCA.stderr)")
        #expect(untrustedCA.stderr.contains("fetch: "), "\(untrustedCA.stderr)")
        #expect(try fixture.home.indexKeys() == [expected])

        // --insecure-options=image: no signature asked for.
        let before = fixture.server.requests.count
        let insecure = try fixture.rkt(["--insecure-options=image", "fetch", "--full", unsigned])
        #expect(insecure.status == 0, "\(insecure.stderr)")
        #expect(fixture.server.requests.dropFirst(before).map(\.path) == ["/images/other.aci"], "\(fixture.server.requests)")
        // A URL that does not name an .aci.
        let notACI = try fixture.rkt(["--insecure-options=image", "fetch", fixture.server.url("images/app.tar")])
        #expect(notACI.status == 254)
        #expect(notACI.stderr.contains("invalid image string"), "\(notACI.stderr)")
    }

    @Test("a signature answered 202 first is deferred: the image is downloaded, the signature asked again, then verified")
    func deferredSignature() throws {
        let fixture = try FetchFixture()
        let signer = try TestSigningKey(fixture.scratch, "signer")
        try signer.trust(in: fixture.home, prefix: "example.com/app/web")
        let image = try fixture.image("app.aci")
        try signer.sign(image)
        let url = try fixture.server.publish(image, as: "app.aci")
        try fixture.server.publish(image + ".asc", as: "app.aci.asc")
        try fixture.server.setRules(["/app.aci.asc": ["defer_until": "/app.aci"]])

        let result = try fixture.rkt(["fetch", "--full", url])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try TestImage.expectedID(fixture.scratch, image)) + "\n")
        #expect(result.stderr.contains("server requested deferring the signature download"), "\(result.stderr)")
        #expect(result.stderr.contains("signature verified"), "\(result.stderr)")
        let log = fixture.server.requests.map { "\($0.path) \($0.status ?? 0)" }
        #expect(log.first == "/app.aci.asc 202", "\(log)")
        #expect(log.last == "/app.aci.asc 200", "\(log)")
        #expect(log.contains("/app.aci 200"), "\(log)")
    }

    @Test("an image refused for its signature can be fetched once its key is trusted (the finished download is not resumed past its end)")
    func refetchAfterTrusting() throws {
        let fixture = try FetchFixture()
        let signer = try TestSigningKey(fixture.scratch, "signer")
        let image = try fixture.image("app.aci")
        try signer.sign(image)
        let url = try fixture.server.publish(image, as: "app.aci")
        try fixture.server.publish(image + ".asc", as: "app.aci.asc")
        expectFetchRefused(try fixture.rkt(["fetch", url]), "verification failed")
        try fixture.home.expectEmpty("a refused signature")

        try signer.trust(in: fixture.home, prefix: "example.com/app/web")
        let result = try fixture.rkt(["fetch", "--full", url])
        #expect(result.status == 0, "\(result.stderr) — requests: \(fixture.server.requests)")
        #expect(result.stdout == (try TestImage.expectedID(fixture.scratch, image)) + "\n")
    }

    // MARK: Pull policies, caching, resuming

    @Test("--pull-policy=never: an absent name fails with rkt's message; a stored name is used without network")
    func pullPolicyNever() throws {
        let fixture = try FetchFixture()
        let absent = try fixture.rkt(["fetch", "--pull-policy=never", "example.com/absent:1.0.0"])
        expectFetchRefused(absent, "unable to fetch image from image name \"example.com/absent")
        #expect(absent.stderr.contains("either image was not found in the store"), "\(absent.stderr)")

        let url = try fixture.server.publish(try fixture.image("app.aci"), as: "app.aci")
        let urlNever = try fixture.rkt(["--insecure-options=image", "fetch", "--pull-policy=never", url])
        #expect(urlNever.status == 254, "\(urlNever.stderr)")
        #expect(urlNever.stderr.contains("fetch: ") && urlNever.stderr.contains(url), "\(urlNever.stderr)")
        #expect(fixture.server.requests.isEmpty, "\(fixture.server.requests)")

        let id = try fixture.home.fetchInsecure(fixture.scratch.path("app.aci"))
        let stored = try fixture.rkt(["--debug", "fetch", "--full", "--pull-policy=never", "example.com/app/web:1.0.0"])
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stdout == id + "\n")
        #expect(stored.stderr.contains("using image from local store for image name example.com/app/web"), "\(stored.stderr)")
    }

    @Test("--pull-policy=new uses the stored image of a URL without asking the server")
    func pullPolicyNew() throws {
        let fixture = try FetchFixture()
        let url = try fixture.server.publish(try fixture.image("app.aci"), as: "app.aci")
        let first = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(first.status == 0, "\(first.stderr)")
        let served = fixture.server.requests.count
        #expect(served == 1)
        let second = try fixture.rkt(["--insecure-options=image", "fetch", "--full", "--pull-policy=new", url])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == first.stdout)
        #expect(fixture.server.requests.count == served, "\(fixture.server.requests)")
    }

    @Test("--pull-policy=update honours Cache-Control max-age: isn't expired, not fetching")
    func cacheControl() throws {
        let fixture = try FetchFixture()
        let url = try fixture.server.publish(try fixture.image("app.aci"), as: "app.aci")
        try fixture.server.setRules(["/app.aci": ["max_age": 3600]])
        let first = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try fixture.rkt(["--insecure-options=image", "fetch", "--full", "--pull-policy=update", url])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == first.stdout)
        #expect(second.stderr.contains("image for \(url) isn't expired, not fetching."), "\(second.stderr)")
        #expect(fixture.server.requests(for: "/app.aci").count == 1, "\(fixture.server.requests)")
    }

    @Test("--pull-policy=update with an unchanged ETag: If-None-Match, 304, the stored image reused")
    func etagNotModified() throws {
        let fixture = try FetchFixture()
        let url = try fixture.server.publish(try fixture.image("app.aci"), as: "app.aci")
        let first = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(fixture.server.requests.first?.status == 200)
        let second = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == first.stdout)
        let requests = fixture.server.requests(for: "/app.aci")
        #expect(requests.count == 2)
        #expect(requests.last?.status == 304, "\(requests)")
        #expect(requests.last?.if_none_match?.hasPrefix("\"") == true, "\(requests)")

        // The image changes on the server: the new one is fetched (200) and stored beside the old.
        let changed = try fixture.image("app2.aci", version: "2.0.0")
        try fixture.server.publish(changed, as: "app.aci")
        let third = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout == (try TestImage.expectedID(fixture.scratch, changed)) + "\n")
        #expect(fixture.server.requests(for: "/app.aci").last?.status == 200)
        #expect(try fixture.home.indexKeys().count == 2)
    }

    @Test("an invalid --pull-policy is refused before anything is fetched")
    func invalidPullPolicy() throws {
        let fixture = try FetchFixture()
        let url = try fixture.server.publish(try fixture.image("app.aci"), as: "app.aci")
        let result = try fixture.rkt(["--insecure-options=image", "fetch", "--pull-policy=bogus", url])
        #expect(result.status == 254)
        #expect(result.stderr.contains("bogus"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(fixture.server.requests.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.home.data)/cas/blob"), "the store was not even created")
    }

    @Test("a download cut off mid-body resumes with Range on the next fetch, and the image ID is right")
    func resumedDownload() throws {
        let fixture = try FetchFixture()
        // About 3 MB of random data, uncompressed.
        let image = try fixture.randomImage("big.aci")
        let url = try fixture.server.publish(image, as: "big.aci")
        try fixture.server.setRules(["/big.aci": ["drop_after": 1_000_000, "drop_times": 1]])

        let first = try fixture.rkt(["--insecure-options=image", "fetch", url])
        #expect(first.status == 254, "\(first.stderr)")
        #expect(first.stderr.contains("fetch: "), "\(first.stderr)")
        try fixture.home.expectEmpty("the cut-off download")

        let second = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == (try TestImage.expectedID(fixture.scratch, image, compressed: false)) + "\n")
        let requests = fixture.server.requests(for: "/big.aci")
        #expect(requests.count == 2, "\(requests)")
        #expect(requests.last?.range == "bytes=1000000-", "the second request resumes: \(requests)")
        #expect(requests.last?.status == 206, "\(requests)")
        let leftovers = try fixture.home.temporaryFiles()
        #expect(leftovers.isEmpty, "\(leftovers)")
        try fixture.home.expectConsistent("the resumed fetch")
    }

    // MARK: appc names (discovery)

    /// The discovery site: `localhost/app` and `localhost/top` pages (templates
    /// `https://localhost/images/{name}-{version}-{os}-{arch}.{ext}`, key at /keys/app.asc),
    /// reached through a CONNECT proxy (discovery uses port 443).
    struct DiscoverySite {
        let fixture: FetchFixture
        let proxy: LocalServer
        let signer: TestSigningKey

        init() throws {
            fixture = try FetchFixture()
            signer = try TestSigningKey(fixture.scratch, "signer")
            proxy = try LocalServer.connectProxy(target: fixture.server.port, scratch: fixture.scratch)
            for prefix in ["app", "top"] {
                try fixture.server.publish(text: """
                    <!DOCTYPE html>
                    <html><head>
                    <meta name="ac-discovery" content="localhost/\(prefix) https://localhost/images/{name}-{version}-{os}-{arch}.{ext}">
                    <meta name="ac-discovery-pubkeys" content="localhost/\(prefix) https://localhost/keys/app.asc">
                    </head><body></body></html>
                    """, as: "\(prefix)/index.html")
            }
            try fixture.server.publish(signer.publicKeyPath, as: "keys/app.asc")
        }

        var environment: [String: String] { fixture.environment.merging(proxy.proxyEnvironment) { $1 } }

        func rkt(_ arguments: [String], environment extra: [String: String] = [:], timeout: TimeInterval = 600) throws -> Tool.Result {
            try fixture.home.rkt(arguments, environment: environment.merging(extra) { $1 }, timeout: timeout)
        }

        /// Builds, signs and serves an image named `name` with version `manifestVersion` under the URL
        /// for `urlVersion`; returns the local file.
        @discardableResult
        func serve(name: String = "localhost/app", manifestVersion: String, urlVersion: String? = nil, content: String = "hello\n",
                   dependencies: [String] = []) throws -> String {
            let file = "built-\(UUID().uuidString.prefix(6)).aci"
            let image = try TestImage.build(fixture.scratch, file, manifest: TestImage.manifest(name, version: manifestVersion, dependencies: dependencies),
                                            files: ["etc/hello": content])
            try signer.sign(image)
            let path = "images/\(name)-\(urlVersion ?? manifestVersion)-linux-amd64.aci"
            try fixture.server.publish(image, as: path)
            try fixture.server.publish(image + ".asc", as: path + ".asc")
            return image
        }

        func stop() {
            proxy.stop()
            fixture.server.stop()
        }
    }

    @Test("an appc name is found by discovery over https (name:version), verified and stored; the proxy saw localhost:443")
    func discoveryFetch() throws {
        let site = try DiscoverySite()
        defer { site.stop() }
        try site.signer.trust(in: site.fixture.home, prefix: "localhost/app")
        let image = try site.serve(manifestVersion: "1.2.0")
        let result = try site.rkt(["fetch", "--full", "localhost/app:1.2.0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try TestImage.expectedID(site.fixture.scratch, image)) + "\n")
        #expect(result.stderr.contains("signature verified"), "\(result.stderr)")
        let paths = site.fixture.server.requests.map(\.path)
        #expect(paths.contains("/app?ac-discovery=1"), "\(paths)")
        #expect(paths.contains("/images/localhost/app-1.2.0-linux-amd64.aci"), "\(paths)")
        #expect(paths.contains("/images/localhost/app-1.2.0-linux-amd64.aci.asc"), "\(paths)")
        #expect(!site.proxy.requests.isEmpty && site.proxy.requests.allSatisfy { $0.hasPrefix("CONNECT localhost:443 ") }, "\(site.proxy.requests)")
        let list = try site.fixture.home.rkt(["image", "list", "--no-legend", "--fields=name"])
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "localhost/app:1.2.0", "\(list.stdout)")

        // The same name again with --pull-policy=new: the store, no request.
        let served = site.fixture.server.requests.count
        let again = try site.rkt(["fetch", "--full", "--pull-policy=new", "localhost/app:1.2.0"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == result.stdout)
        #expect(site.fixture.server.requests.count == served)
    }

    @Test("a name without version is fetched as latest; labels given as name,label=value are matched")
    func discoveryLatestAndLabels() throws {
        let site = try DiscoverySite()
        defer { site.stop() }
        try site.signer.trust(in: site.fixture.home, prefix: "localhost")
        let latest = try site.serve(manifestVersion: "3.0.0", urlVersion: "latest", content: "three\n")
        let result = try site.rkt(["fetch", "--full", "localhost/app"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try TestImage.expectedID(site.fixture.scratch, latest)) + "\n")

        let older = try site.serve(manifestVersion: "1.2.0")
        let labelled = try site.rkt(["fetch", "--full", "localhost/app,version=1.2.0,os=linux"])
        #expect(labelled.status == 0, "\(labelled.stderr)")
        #expect(labelled.stdout == (try TestImage.expectedID(site.fixture.scratch, older)) + "\n")
        // A bare name resolves to the image fetched as latest, although the other one is newer.
        let manifest = try site.fixture.home.rkt(["image", "cat-manifest", "--pretty-print=false", "localhost/app"])
        #expect(manifest.status == 0, "\(manifest.stderr)")
        #expect(manifest.stdout.contains("3.0.0"), "\(manifest.stdout)")
    }

    @Test("discovery refuses an image whose labels or name differ from the request, with rkt's messages; nothing stored")
    func discoveryMismatches() throws {
        let site = try DiscoverySite()
        defer { site.stop() }
        try site.signer.trust(in: site.fixture.home, prefix: "localhost")
        try site.serve(manifestVersion: "1.2.0")
        try site.serve(manifestVersion: "1.2.0", urlVersion: "2.0")
        try site.serve(name: "localhost/other", manifestVersion: "9.9")
        let otherImage = "images/localhost/other-9.9-linux-amd64.aci"
        try FileManager.default.copyItem(atPath: "\(site.fixture.server.root)/\(otherImage)",
                                         toPath: "\(site.fixture.server.root)/images/localhost/app-9.9-linux-amd64.aci")
        try FileManager.default.copyItem(atPath: "\(site.fixture.server.root)/\(otherImage).asc",
                                         toPath: "\(site.fixture.server.root)/images/localhost/app-9.9-linux-amd64.aci.asc")

        let version = try site.rkt(["fetch", "localhost/app:2.0"])
        expectFetchRefused(version, #"requested value for label "version": "2.0" differs from fetched aci label value: "1.2.0""#)
        let extra = try site.rkt(["fetch", "localhost/app,version=1.2.0,unexistinglabel=x"])
        expectFetchRefused(extra, #"requested label "unexistinglabel" not provided by the image manifest"#)
        let name = try site.rkt(["fetch", "localhost/app:9.9"])
        expectFetchRefused(name, "localhost/other")
        #expect(name.stderr.contains("localhost/app"), "\(name.stderr)")
        try site.fixture.home.expectEmpty("refused discovery fetches")
    }

    @Test("the label check still applies when the image's URL was fetched before (ETag 304)")
    func labelCheckAfterNotModified() throws {
        let site = try DiscoverySite()
        defer { site.stop() }
        try site.signer.trust(in: site.fixture.home, prefix: "localhost")
        try site.serve(manifestVersion: "1.2.0")
        let stored = try site.rkt(["fetch", "localhost/app:1.2.0"])
        #expect(stored.status == 0, "\(stored.stderr)")
        // The template has no {unexistinglabel}: the same URL, which answers 304 now.
        let extra = try site.rkt(["fetch", "localhost/app,version=1.2.0,unexistinglabel=x"])
        expectFetchRefused(extra, #"requested label "unexistinglabel" not provided by the image manifest"#)
    }

    @Test("trust on first use: an untrusted name is refused; with --trust-keys-from-https the discovered key is stored and the image verified")
    func discoveryTrustOnFirstUse() throws {
        let site = try DiscoverySite()
        defer { site.stop() }
        let image = try site.serve(manifestVersion: "1.2.0")
        let refused = try site.rkt(["fetch", "localhost/app:1.2.0"])
        expectFetchRefused(refused, "verification failed")
        #expect(!site.fixture.server.requests.map(\.path).contains("/images/localhost/app-1.2.0-linux-amd64.aci"),
                "the signer is checked before the image is downloaded: \(site.fixture.server.requests)")
        try site.fixture.home.expectEmpty("an untrusted name")

        let accepted = try site.rkt(["--trust-keys-from-https", "fetch", "--full", "localhost/app:1.2.0"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout == (try TestImage.expectedID(site.fixture.scratch, image)) + "\n")
        let keyFile = "\(site.fixture.home.local)/trustedkeys/prefix.d/localhost/app/\(site.signer.fingerprint)"
        #expect(FileManager.default.contents(atPath: keyFile) == site.signer.publicKey)
        #expect(site.fixture.server.requests.map(\.path).contains("/keys/app.asc"))
    }

    @Test("a fetched image's dependencies are fetched through discovery and rendered with it")
    func discoveryDependencies() throws {
        let site = try DiscoverySite()
        defer { site.stop() }
        try site.signer.trust(in: site.fixture.home, prefix: "localhost")
        let base = try site.serve(manifestVersion: "1.2.0", content: "base\n")
        let dependency = #"{"imageName":"localhost/app","labels":[{"name":"version","value":"1.2.0"}]}"#
        let top = try site.serve(name: "localhost/top", manifestVersion: "1.0.0", content: "top\n", dependencies: [dependency])
        let result = try site.rkt(["fetch", "--full", "localhost/top:1.0.0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try TestImage.expectedID(site.fixture.scratch, top)) + "\n", "one ID: the image asked for")
        #expect(Set(try site.fixture.home.indexKeys()) == Set([try TestImage.expectedID(site.fixture.scratch, base),
                                                              try TestImage.expectedID(site.fixture.scratch, top)]))
        let render = try site.fixture.home.rkt(["image", "render", "--rootfs-only", "localhost/top:1.0.0", site.fixture.scratch.path("rendered")])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(try String(contentsOfFile: site.fixture.scratch.path("rendered/etc/hello"), encoding: .utf8) == "top\n")
    }

    // MARK: docker registries and OCI layouts

    /// An OCI layout built by actool from an image with `etc/hello`, tagged `tag`.
    static func ociLayout(_ scratch: Scratch, _ name: String, manifestName: String = "example.com/hello", arch: String = "amd64",
                          content: String = "hello\n", tag: String = "1.0.0") throws -> String {
        let layout = "layouts/oci-\(UUID().uuidString.prefix(6))"
        try scratch.write("\(layout)/manifest", TestImage.manifest(manifestName, version: tag, arch: arch))
        try scratch.write("\(layout)/rootfs/etc/hello", content)
        try Tool.actool.run(["build", "--format", "oci", "--tag", tag, scratch.path(layout), scratch.path(name)]).check("actool build --format oci")
        return scratch.path(name)
    }

    @Test("an image converted from OCI stores its owners as numbers: no names from this host's passwd, so the same ID everywhere")
    func ociOwnersAreNumeric() throws {
        try #require(geteuid() == 0, "chown needs root")
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let layout = "layouts/owned"
        try scratch.write("\(layout)/manifest", TestImage.manifest("example.com/owned", version: "1.0.0", arch: "amd64"))
        let file = try scratch.write("\(layout)/rootfs/etc/owned", "owned by uid 1\n")
        #expect(chown(file, 1, 1) == 0)  // daemon:daemon on Debian: actool names it in the layer
        try Tool.actool.run(["build", "--format", "oci", "--tag", "1.0.0", scratch.path(layout), scratch.path("oci")]).check("actool build")
        let fetched = try home.rkt(["--insecure-options=image", "fetch", "--full", "oci:\(scratch.path("oci")):1.0.0"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let id = fetched.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try home.rkt(["image", "export", id, scratch.path("out.aci")]).status == 0)
        let listing = try scratch.shell("""
            python3 -c 'import sys, tarfile; m = tarfile.open(sys.argv[1]).getmember("rootfs/etc/owned"); print(m.uid, m.gid, repr(m.uname), repr(m.gname))' out.aci
            """).check("read the stored ACI").stdout
        #expect(listing == "1 1 '' ''\n", "\(listing)")
    }

    @Test("docker:// from a local registry (pushed with skopeo): by tag and by digest; refused without --insecure-options=image")
    func dockerRegistry() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let registry = try LocalRegistry(scratch: scratch)
        defer { registry.stop() }
        let layout = try Self.ociLayout(scratch, "oci", content: "from the registry\n")
        try registry.push("oci:\(layout):1.0.0", as: "test/hello:1.0.0")
        let reference = "docker://\(registry.host)/test/hello:1.0.0"

        let refused = try home.rkt(["--insecure-options=http", "fetch", reference])
        expectFetchRefused(refused, "--insecure-options=image")
        #expect(refused.stderr.contains("signature"), "\(refused.stderr)")
        try home.expectEmpty("a refused docker fetch")

        let fetched = try home.rkt(["--insecure-options=http,image", "fetch", "--full", reference])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let id = fetched.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("sha512-") && id.count == 71, "\(fetched.stdout)")
        #expect(try home.indexKeys() == [id])
        let extracted = try home.rkt(["image", "extract", "--rootfs-only", id, scratch.path("x")])
        #expect(extracted.status == 0, "\(extracted.stderr)")
        #expect(try String(contentsOfFile: scratch.path("x/etc/hello"), encoding: .utf8) == "from the registry\n")

        let digest = try registry.digest("test/hello:1.0.0")
        let byDigest = try home.rkt(["--insecure-options=http,image", "fetch", "--full", "docker://\(registry.host)/test/hello@\(digest)"])
        #expect(byDigest.status == 0, "\(byDigest.stderr)")
        let digestID = byDigest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try home.rkt(["image", "extract", "--rootfs-only", digestID, scratch.path("y")]).status == 0)
        #expect(try String(contentsOfFile: scratch.path("y/etc/hello"), encoding: .utf8) == "from the registry\n")

        let wrongDigest = "sha256:" + String(repeating: "0", count: 64)
        let missing = try home.rkt(["--insecure-options=http,image", "fetch", "docker://\(registry.host)/test/hello@\(wrongDigest)"])
        #expect(missing.status == 254, "\(missing.stderr)")
        #expect(missing.stderr.contains("fetch: ") && missing.stderr.contains("404"), "\(missing.stderr)")
        let missingTag = try home.rkt(["--insecure-options=http,image", "fetch", "docker://\(registry.host)/test/hello:nope"])
        #expect(missingTag.status == 254, "\(missingTag.stderr)")
        // Without `http` the registry is asked over https, which a plain http server cannot answer.
        let https = try home.rkt(["--insecure-options=image", "fetch", reference])
        #expect(https.status == 254, "\(https.stderr)")
        #expect(https.stderr.contains("fetch: ") && https.stderr.contains("https://\(registry.host)"), "\(https.stderr)")
        let invalid = try home.rkt(["--insecure-options=http,image", "fetch", "docker://\(registry.host)/Test/UPPER:1"])
        #expect(invalid.status == 254, "\(invalid.stderr)")
        #expect(Set(try home.indexKeys()) == Set([id, digestID]))
        try home.expectConsistent("docker fetches")
    }

    @Test("docker:// of a manifest list (skopeo --all) takes the host's platform, not the first entry")
    func dockerManifestList() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let registry = try LocalRegistry(scratch: scratch)
        defer { registry.stop() }
        let arm = try Self.ociLayout(scratch, "oci-arm", manifestName: "example.com/multi", arch: "aarch64", content: "arm64\n", tag: "1")
        let amd = try Self.ociLayout(scratch, "oci-amd", manifestName: "example.com/multi", content: "amd64\n", tag: "1")
        try Tool.execute(Peer.python, [TestData.path("fetch/make_index.py"), scratch.path("merged"), "multi",
                                       "\(arm):1=linux/arm64", "\(amd):1=linux/amd64"]).check("make_index.py")
        try registry.push("oci:\(scratch.path("merged")):multi", as: "test/multi:multi", all: true)
        let result = try home.rkt(["--insecure-options=http,image", "fetch", "--full", "docker://\(registry.host)/test/multi:multi"])
        #expect(result.status == 0, "\(result.stderr)")
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let extract = try home.rkt(["image", "extract", "--rootfs-only", id, scratch.path("x")])
        #expect(extract.status == 0, "\(extract.stderr)")
        #expect(try String(contentsOfFile: scratch.path("x/etc/hello"), encoding: .utf8) == "amd64\n")
    }

    @Test("oci:LAYOUT:TAG is fetched (with --insecure-options=image) into a rendered image; refused without; a missing tag is an error")
    func ociLayoutFetch() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let layout = try Self.ociLayout(scratch, "oci", content: "from the layout\n")
        let refused = try home.rkt(["fetch", "oci:\(layout):1.0.0"])
        expectFetchRefused(refused, "--insecure-options=image")
        try home.expectEmpty("a refused oci fetch")

        let result = try home.rkt(["--insecure-options=image", "fetch", "--full", "oci:\(layout):1.0.0"])
        #expect(result.status == 0, "\(result.stderr)")
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try home.indexKeys() == [id])
        #expect(home.trees().count == 1, "rendered at fetch time")
        let render = try home.rkt(["image", "render", "--rootfs-only", id, scratch.path("r")])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(try String(contentsOfFile: scratch.path("r/etc/hello"), encoding: .utf8) == "from the layout\n")
        // The stored ACI holds the same file.
        #expect(try home.rkt(["image", "export", id, scratch.path("out.aci")]).status == 0)
        #expect(try scratch.shell("tar -xOf out.aci rootfs/etc/hello").stdout == "from the layout\n")

        let missing = try home.rkt(["--insecure-options=image", "fetch", "oci:\(layout):2.0.0"])
        #expect(missing.status == 254, "\(missing.stderr)")
        #expect(missing.stderr.contains("fetch: ") && missing.stderr.contains("2.0.0"), "\(missing.stderr)")
        #expect(try home.indexKeys() == [id])
    }
}
