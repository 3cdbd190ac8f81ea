import Foundation
import TestSupport
import Testing

/// The limits of a fetch: a maximum image size enforced while the bytes stream, a minimum transfer
/// speed, a deadline for trying a list of endpoints, and descriptor sizes checked before a blob is
/// asked for. The tests make them small through the environment so that they end in seconds.
@Suite("rkt fetch: size, speed and time limits")
struct RktFetchLimitTests {
    /// Runs a fetch that must be refused within `seconds` (a fetch that ignores the limit is killed
    /// after twice that), naming `limit` and `url` in its message; nothing may be left behind.
    static func expectStopped(_ fixture: FetchFixture, _ arguments: [String], environment: [String: String] = [:],
                              within seconds: TimeInterval, naming limit: String, url: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let started = Date()
        let result = try fixture.rkt(arguments, environment: environment, timeout: 2 * seconds)
        let elapsed = Date().timeIntervalSince(started)
        expectFetchRefused(result, limit, sourceLocation: sourceLocation)
        #expect(result.stderr.contains(url), "the message names the URL: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(elapsed < seconds, "took \(elapsed) s", sourceLocation: sourceLocation)
        try fixture.home.expectEmpty(limit, sourceLocation: sourceLocation)
        try fixture.home.expectNoTemporaryFiles(limit, sourceLocation: sourceLocation)
    }

    @Test("an endless body without Content-Length, and a Content-Length past the limit, stop at the maximum image size (RKT_FETCH_MAX_IMAGE_SIZE)")
    func maximumImageSize() throws {
        let fixture = try FetchFixture()
        let limit = ["RKT_FETCH_MAX_IMAGE_SIZE": "4MiB"]
        let endless = try fixture.server.publish(try fixture.image("endless.aci"), as: "endless.aci")
        try fixture.server.setRules(["/endless.aci": ["endless": true]])
        try Self.expectStopped(fixture, ["--insecure-options=image", "fetch", endless], environment: limit, within: 30,
                               naming: "RKT_FETCH_MAX_IMAGE_SIZE", url: endless)
        let sent = fixture.server.requests(for: "/endless.aci").map(\.sent).reduce(0, +)
        #expect(sent < 64 << 20, "the server sent \(sent) bytes")

        let big = try fixture.server.publish(try fixture.randomImage("big.aci", size: 6_000_000), as: "big.aci")
        try Self.expectStopped(fixture, ["--insecure-options=image", "fetch", big], environment: limit, within: 30,
                               naming: "RKT_FETCH_MAX_IMAGE_SIZE", url: big)
        // Within the limit the same image is fetched.
        let allowed = try fixture.rkt(["--insecure-options=image", "fetch", big], environment: ["RKT_FETCH_MAX_IMAGE_SIZE": "8MiB"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    @Test("a server that trickles a few bytes a second is dropped after the minimum speed's window (RKT_FETCH_MIN_SPEED, RKT_FETCH_MIN_SPEED_TIME)")
    func minimumSpeed() throws {
        let fixture = try FetchFixture()
        let url = try fixture.server.publish(try fixture.randomImage("slow.aci", size: 100_000), as: "slow.aci")
        // Without an ETag: nothing of it is kept to be resumed.
        try fixture.server.setRules(["/slow.aci": ["trickle": 0.2, "no_etag": true]])
        try Self.expectStopped(fixture, ["--insecure-options=image", "fetch", url], environment: ["RKT_FETCH_MIN_SPEED_TIME": "3s"],
                               within: 30, naming: "RKT_FETCH_MIN_SPEED", url: url)
    }

    @Test("discovery naming endpoints that accept and never answer gives up at the deadline (RKT_FETCH_DEADLINE), not endpoint after endpoint")
    func discoveryDeadline() throws {
        let site = try RktFetchTests.DiscoverySite()
        defer { site.stop() }
        let endpoints = (0..<50).map { "hang/\($0)" }
        let tags = endpoints.map { #"<meta name="ac-discovery" content="localhost/app https://localhost/\#($0)/{name}.{ext}">"# }
        try site.fixture.server.publish(text: "<html><head>\(tags.joined(separator: "\n"))</head></html>", as: "app/index.html")
        try site.fixture.server.setRules(Dictionary(uniqueKeysWithValues: endpoints.map { ("/\($0)/localhost/app.aci", ["hang": true]) }))

        let started = Date()
        let result = try site.rkt(["--insecure-options=image", "fetch", "localhost/app:1.0.0"], environment: ["RKT_FETCH_DEADLINE": "3s"],
                                  timeout: 60)
        let elapsed = Date().timeIntervalSince(started)
        expectFetchRefused(result, "RKT_FETCH_DEADLINE")
        #expect(result.stderr.contains("localhost/app"), "\(result.stderr)")
        #expect(elapsed < 30, "took \(elapsed) s")
        let tried = endpoints.map { site.fixture.server.startedRequests(for: "/\($0)/localhost/app.aci") }.reduce(0, +)
        #expect(tried <= 2, "endpoints tried after the deadline: \(tried)")
        try site.fixture.home.expectEmpty("the deadline")
    }

    enum HugeBlob: String, CaseIterable, DescribedCase {
        case config = "a config descriptor of 1 GiB"
        case layer = "a layer descriptor of 1 TiB"
    }

    @Test("a docker manifest whose descriptors claim more than a config or an image may have is refused before the blob is asked for",
          arguments: HugeBlob.allCases)
    func dockerDescriptorSizes(_ huge: HugeBlob) throws {
        let fixture = try FetchFixture()
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        // The layer case has a real config ("{}") so that only the layer's size is wrong.
        let emptyConfig = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        try fixture.server.publish(text: "{}", as: "v2/test/big/blobs/\(emptyConfig)")
        let config = huge == .config ? #"{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(digest)","size":1073741824}"#
            : #"{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(emptyConfig)","size":2}"#
        let layers = huge == .layer ? #"[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(digest)","size":1099511627776}]"# : "[]"
        try fixture.server.publish(text: #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(config),"layers":\#(layers)}"#,
                                   as: "v2/test/big/manifests/1.0")
        try fixture.server.publish(text: "{}", as: "v2/test/big/blobs/\(digest)")
        try fixture.server.setRules(["/v2/test/big/blobs/\(digest)": ["endless": true]])

        let started = Date()
        let result = try fixture.rkt(["--insecure-options=image", "fetch", "docker://localhost:\(fixture.server.port)/test/big:1.0"], timeout: 60)
        expectFetchRefused(result, digest)
        #expect(result.stderr.contains(huge == .config ? "8 MiB" : "RKT_FETCH_MAX_IMAGE_SIZE"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(fixture.server.startedRequests(for: "/v2/test/big/blobs/\(digest)") == 0, "the blob was asked for")
        try fixture.home.expectEmpty(huge.rawValue)
        let staging = ((try? FileManager.default.contentsOfDirectory(atPath: "\(fixture.home.data)/cas/tree")) ?? []).filter { $0.hasPrefix(".") }
        #expect(staging.isEmpty, "\(staging)")
    }
}
