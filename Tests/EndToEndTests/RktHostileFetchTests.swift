import Foundation
import TestSupport
import Testing

@Suite("rkt fetch from hostile servers")
struct RktHostileFetchTests {
    struct HostileCase: Sendable, CustomTestStringConvertible {
        enum Behaviour: Sendable {
            case longerContentLength
            case shorterContentLength
            case closesMidBody
            case gzipBomb
            case redirectToHTTP
            case serverError
        }
        let label: String
        let behaviour: Behaviour
        /// What the error must mention.
        let message: String
        var testDescription: String { label }
    }

    static let cases: [HostileCase] = [
        HostileCase(label: "Content-Length larger than the body", behaviour: .longerContentLength, message: "app.aci"),
        HostileCase(label: "Content-Length smaller than the body", behaviour: .shorterContentLength, message: "app.aci"),
        HostileCase(label: "the connection closed mid-body", behaviour: .closesMidBody, message: "app.aci"),
        HostileCase(label: "a gzip bomb (1 GiB of zeros) as the ACI", behaviour: .gzipBomb, message: "decompression bomb"),
        HostileCase(label: "https redirected to plain http", behaviour: .redirectToHTTP, message: "app.aci"),
        HostileCase(label: "HTTP 500", behaviour: .serverError, message: "500"),
    ]

    @Test("a hostile server gives a clear error (exit 254, fetch: …) and nothing is stored", arguments: cases)
    func hostile(_ hostile: HostileCase) throws {
        let fixture = try FetchFixture()
        // About 1 MB of random data (compressed it stays that big), so a cut body is really cut.
        let random = randomData(1 << 20)
        let image = try TestImage.build(fixture.scratch, "app.aci", manifest: TestImage.manifest("example.com/app"), files: ["random": random])
        let size = Int(fileSize(image))
        var url = try fixture.server.publish(image, as: "app.aci")
        var plain: ImageServer?
        defer { plain?.stop() }
        switch hostile.behaviour {
        case .longerContentLength:
            try fixture.server.setRules(["/app.aci": ["content_length": size + 100_000]])
        case .shorterContentLength:
            try fixture.server.setRules(["/app.aci": ["content_length": size / 2]])
        case .closesMidBody:
            try fixture.server.setRules(["/app.aci": ["drop_after": size / 2]])
        case .gzipBomb:
            let manifest = try fixture.scratch.write("bomb-manifest", TestImage.manifest("example.com/bomb"))
            try Tool.execute(Peer.python, [TestData.path("fetch/make_bomb.py"), fixture.scratch.path("bomb.aci"), manifest]).check("make_bomb.py")
            url = try fixture.server.publish(fixture.scratch.path("bomb.aci"), as: "bomb.aci")
        case .redirectToHTTP:
            let server = try ImageServer(scratch: fixture.scratch, root: "plain", certificates: nil)
            plain = server
            let target = try server.publish(image, as: "app.aci")
            try fixture.server.setRules(["/app.aci": ["redirect": target]])
        case .serverError:
            try fixture.server.setRules(["/app.aci": ["status": 500]])
        }

        let started = Date()
        let result = try fixture.rkt(["--insecure-options=image", "fetch", url])
        let elapsed = Date().timeIntervalSince(started)
        expectFetchRefused(result, hostile.message)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "a crash: \(result.stderr)")
        #expect(elapsed < 120, "took \(elapsed) s")
        #expect(try fixture.home.listJSON().isEmpty)
        try fixture.home.expectEmpty(hostile.label)
        try fixture.home.expectConsistent(hostile.label)
        if let plain {
            #expect(plain.requests.isEmpty, "followed the redirect to http: \(plain.requests)")
        }
        // What the failed download left in cas/tmp, for the report.
        let leftovers = try fixture.home.temporaryFiles().map { "\($0) (\(fileSize("\(fixture.home.data)/cas/tmp/\($0)")) bytes)" }
        if !leftovers.isEmpty { Swift.print("\(hostile.label): left in cas/tmp: \(leftovers)") }
    }

    @Test("an https registry whose token realm is plain http gets no credentials: refused without --insecure-options=http")
    func plainHTTPTokenRealm() throws {
        let fixture = try FetchFixture()
        let realm = try ImageServer(scratch: fixture.scratch, root: "realm", certificates: nil)
        defer { realm.stop() }
        try realm.publish(text: #"{"token":"t0ken"}"#, as: "token")
        let challenge = "Bearer realm=\"\(realm.url("token"))\",service=\"registry\""
        try fixture.server.setRules(["/v2/test/app/manifests/1.0": ["status": 401, "headers": ["WWW-Authenticate": challenge]]])
        try RktFetchAuthTests.writeAuth(fixture.home, "registry", """
            {"rktKind":"dockerAuth","rktVersion":"v1","registries":["localhost:\(fixture.server.port)"],"credentials":{"user":"alice","password":"s3cret"}}
            """)

        let result = try fixture.rkt(["--insecure-options=image", "fetch", "docker://localhost:\(fixture.server.port)/test/app:1.0"])
        expectFetchRefused(result, realm.url("token"))
        #expect(result.stderr.contains("--insecure-options=http"), "\(result.stderr)")
        #expect(realm.requests.isEmpty, "the credentials went to the plain-http realm: \(realm.requests.map { $0.authorization ?? "none" })")
        try fixture.home.expectEmpty("a plain-http token realm")
        try fixture.home.expectNoTemporaryFiles("a plain-http token realm")
    }

    @Test("a gzip bomb from a local file is refused the same way")
    func localBomb() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let manifest = try scratch.write("bomb-manifest", TestImage.manifest("example.com/bomb"))
        try Tool.execute(Peer.python, [TestData.path("fetch/make_bomb.py"), scratch.path("bomb.aci"), manifest]).check("make_bomb.py")
        let result = try home.rkt(["--insecure-options=image", "fetch", scratch.path("bomb.aci")])
        expectFetchRefused(result, "decompression bomb")
        try home.expectEmpty("a local bomb")
    }

    @Test("discovery that serves an image with another name than asked is refused; nothing stored")
    func discoveredWrongName() throws {
        let site = try RktFetchTests.DiscoverySite()
        defer { site.stop() }
        try site.signer.trust(in: site.fixture.home, prefix: "localhost")
        // The URL for localhost/app:1.0.0 serves an image named localhost/evil.
        let evil = try TestImage.build(site.fixture.scratch, "evil.aci", manifest: TestImage.manifest("localhost/evil"))
        try site.signer.sign(evil)
        try site.fixture.server.publish(evil, as: "images/localhost/app-1.0.0-linux-amd64.aci")
        try site.fixture.server.publish(evil + ".asc", as: "images/localhost/app-1.0.0-linux-amd64.aci.asc")
        let result = try site.rkt(["fetch", "localhost/app:1.0.0"])
        expectFetchRefused(result, "localhost/evil")
        try site.fixture.home.expectEmpty("a wrong name")
        // With --insecure-options=image the name is still checked (in a store of its own: what the
        // first attempt left in cas/tmp is another matter, see RktFetchTests.refetchAfterTrusting).
        let other = RktHome(site.fixture.scratch, name: "insecure-")
        let insecure = try other.rkt(["--insecure-options=image", "fetch", "localhost/app:1.0.0"], environment: site.environment)
        expectFetchRefused(insecure, "localhost/evil")
        try other.expectEmpty("a wrong name without signature checks")
    }
}
