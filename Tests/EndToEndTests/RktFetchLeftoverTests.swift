import Foundation
import TestSupport
import Testing

/// What a failed, killed or interrupted fetch leaves: only a part that the next fetch can resume
/// (with its ETag); `rkt image gc` removes the parts and imports that no fetch holds any more.
@Suite("rkt fetch: leftovers of failed, killed and interrupted fetches")
struct RktFetchLeftoverTests {
    enum Failure: String, CaseIterable, DescribedCase {
        case notFound = "HTTP 404"
        case serverError = "HTTP 500"
        case redirectToHTTP = "a redirect from https to http (refused)"
        case cutWithoutETag = "a body cut off, without ETag (cannot be resumed)"
        case cutWithETag = "a body cut off, with an ETag (kept to resume)"
    }

    @Test("a failed URL fetch leaves nothing in cas/tmp but a resumable part with its ETag", arguments: Failure.allCases)
    func failedFetch(_ failure: Failure) throws {
        let fixture = try FetchFixture()
        let url = try fixture.server.publish(try fixture.randomImage("app.aci", size: 1_000_000), as: "app.aci")
        switch failure {
        case .notFound: try fixture.server.setRules(["/app.aci": ["status": 404]])
        case .serverError: try fixture.server.setRules(["/app.aci": ["status": 500]])
        case .redirectToHTTP: try fixture.server.setRules(["/app.aci": ["redirect": "http://127.0.0.1:\(fixture.server.port)/app.aci"]])
        case .cutWithoutETag: try fixture.server.setRules(["/app.aci": ["drop_after": 300_000, "no_etag": true]])
        case .cutWithETag: try fixture.server.setRules(["/app.aci": ["drop_after": 300_000]])
        }
        let result = try fixture.rkt(["--insecure-options=image", "fetch", url])
        expectFetchRefused(result, "app.aci")
        try fixture.home.expectEmpty(failure.rawValue)
        if failure == .cutWithETag {
            #expect(try fixture.home.expectResumablePart(failure.rawValue) == 300_000)
        } else {
            try fixture.home.expectNoTemporaryFiles(failure.rawValue)
        }
    }

    /// Leftovers of the store's own making: partial downloads and container-image imports.
    static func leftovers(_ home: RktHome) throws -> [String] {
        let imports = ((try? FileManager.default.contentsOfDirectory(atPath: "\(home.data)/cas/tree")) ?? []).filter { $0.hasPrefix(".import") }
        return try home.temporaryFiles() + imports
    }

    @Test("kill -9 during a URL download and during a docker blob download: image gc removes the part, its ETag and the import directory")
    func killedFetchesAndGC() throws {
        let fixture = try FetchFixture()
        let url = try fixture.server.publish(try fixture.randomImage("app.aci"), as: "app.aci")
        let layout = "layouts/docker"
        try fixture.scratch.write("\(layout)/manifest", TestImage.manifest("example.com/docker"))
        try fixture.scratch.write("\(layout)/rootfs/big", randomData(3_000_000))
        try Tool.actool.run(["build", "--format", "oci", "--tag", "1.0", fixture.scratch.path(layout), fixture.scratch.path("oci")])
            .check("actool build --format oci")
        let reference = try fixture.server.serveRegistry(layout: fixture.scratch.path("oci"), repository: "test/docker", tag: "1.0")
        let blobs = try FileManager.default.contentsOfDirectory(atPath: fixture.scratch.path("oci/blobs/sha256"))
        let largest = try #require(blobs.max { fileSize(fixture.scratch.path("oci/blobs/sha256/\($0)")) < fileSize(fixture.scratch.path("oci/blobs/sha256/\($1)")) })
        let layerPath = "/v2/test/docker/blobs/sha256:\(largest)"
        try fixture.server.setRules(["/app.aci": ["rate": 200_000], layerPath: ["rate": 200_000]])

        let download = try BackgroundProcess(Tool.rkt.path, fixture.home.globals + ["--insecure-options=image", "fetch", url],
                                             scratch: fixture.scratch, environment: fixture.environment)
        let docker = try BackgroundProcess(Tool.rkt.path, fixture.home.globals + ["--insecure-options=image", "fetch", reference],
                                           scratch: fixture.scratch, environment: fixture.environment)
        let underWay = BackgroundProcess.wait(timeout: 60) {
            fixture.server.startedRequests(for: layerPath) > 0 && fixture.server.startedRequests(for: "/app.aci") > 0
                && ((try? Self.leftovers(fixture.home)) ?? []).contains { $0.hasPrefix(".import") }
                && fixture.home.largestTemporaryFile() > 100_000
        }
        #expect(underWay, "both downloads under way: \(download.stderr) \(docker.stderr)")
        download.killHard()
        docker.killHard()
        let killed = try Self.leftovers(fixture.home)
        #expect(killed.contains { $0.hasSuffix(".part") } && killed.contains { $0.hasPrefix(".import") }, "\(killed)")

        let gc = try fixture.rkt(["image", "gc"])
        #expect(gc.status == 0, "\(gc.stderr)")
        let left = try Self.leftovers(fixture.home)
        #expect(left.isEmpty, "left after image gc: \(left)")
        try fixture.home.expectEmpty("the killed fetches and gc")
    }

    @Test("SIGINT or SIGTERM during a download: rkt says so and exits 254, keeping only a part it can resume", arguments: [SIGINT, SIGTERM])
    func interrupted(_ signal: Int32) throws {
        let fixture = try FetchFixture()
        let image = try fixture.randomImage("app.aci")
        let url = try fixture.server.publish(image, as: "app.aci")
        // SIGTERM's server sends no ETag: nothing it sent can be resumed.
        let resumable = signal == SIGINT
        try fixture.server.setRules(["/app.aci": resumable ? ["rate": 500_000] : ["rate": 500_000, "no_etag": true]])
        let fetch = try BackgroundProcess(Tool.rkt.path, fixture.home.globals + ["--insecure-options=image", "fetch", url],
                                          scratch: fixture.scratch, environment: fixture.environment)
        let underWay = BackgroundProcess.wait(timeout: 60) {
            fixture.home.largestTemporaryFile() > 200_000
        }
        #expect(underWay, "\(fetch.stderr)")
        kill(fetch.pid, signal)
        let result = fetch.finish(timeout: 30)
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        #expect(result.status == 254, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("fetch: ") && result.stderr.contains("interrupted") && result.stderr.contains(name), "\(result.stderr)")
        try fixture.home.expectEmpty("an interrupted fetch")
        if resumable {
            try fixture.home.expectResumablePart(name)
            try fixture.server.setRules([:])
            let again = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout == (try TestImage.expectedID(fixture.scratch, image, compressed: false)) + "\n")
            #expect(fixture.server.requests(for: "/app.aci").last?.range?.hasPrefix("bytes=") == true, "resumed: \(fixture.server.requests)")
            try fixture.home.expectNoTemporaryFiles("the resumed fetch")
        } else {
            try fixture.home.expectNoTemporaryFiles(name)
        }
    }

    @Test("SIGINT while rkt run downloads its image: rkt says so, exits 254 and starts no pod",
          .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
    func runInterrupted() throws {
        let fixture = try FetchFixture()
        let image = try fixture.randomImage("app.aci")
        let url = try fixture.server.publish(image, as: "app.aci")
        try fixture.server.setRules(["/app.aci": ["rate": 500_000]])
        let run = try BackgroundProcess(Tool.rkt.path, fixture.home.globals + ["--insecure-options=image", "run", url],
                                        scratch: fixture.scratch, environment: fixture.environment)
        #expect(BackgroundProcess.wait(timeout: 60) { fixture.home.largestTemporaryFile() > 200_000 }, "\(run.stderr)")
        kill(run.pid, SIGINT)
        let result = run.finish(timeout: 30)
        #expect(result.status == 254, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("run: interrupted by SIGINT; stopped"), "\(result.stderr)")
        let running = (try? FileManager.default.contentsOfDirectory(atPath: "\(fixture.home.data)/pods/run")) ?? []
        #expect(running.isEmpty, "a pod started after SIGINT: \(running)")
    }
}
