import Foundation
import TestSupport
import Testing

/// Fetches of one URL at the same time: one of them downloads (it holds the lock on the part), the
/// others wait for it, then find the image stored; a killed fetch never damages another's download.
@Suite("rkt fetch: concurrent fetches of one URL")
struct RktFetchConcurrencyTests {
    static let waiting = "waiting for it"

    @Test("a second fetch of a URL being downloaded, killed -9, does not damage the first's download")
    func secondFetchKilled() throws {
        let fixture = try FetchFixture()
        let image = try fixture.randomImage("app.aci")
        let url = try fixture.server.publish(image, as: "app.aci")
        // Without an ETag nothing can be resumed: a second fetch that did not wait would start its own
        // download from zero in the same part.
        try fixture.server.setRules(["/app.aci": ["rate": 1_000_000, "no_etag": true]])
        let arguments = fixture.home.globals + ["--insecure-options=image", "fetch", "--full", url]
        let first = try BackgroundProcess(Tool.rkt.path, arguments, scratch: fixture.scratch, environment: fixture.environment)
        let partStarted = BackgroundProcess.wait(timeout: 60) {
            fixture.home.largestTemporaryFile() > 300_000
        }
        #expect(partStarted, "\(first.stderr)")
        let second = try BackgroundProcess(Tool.rkt.path, arguments, scratch: fixture.scratch, environment: fixture.environment)
        // Until the second waits for the first, or (a build without the lock) has asked the server too.
        let engaged = BackgroundProcess.wait(timeout: 60) {
            second.stderr.contains(Self.waiting) || fixture.server.startedRequests(for: "/app.aci") > 1
        }
        #expect(engaged, "\(second.stderr)")
        second.killHard()

        let result = first.finish(timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try TestImage.expectedID(fixture.scratch, image, compressed: false)) + "\n",
                "the image is the bytes the server sent")
        #expect(fixture.server.startedRequests(for: "/app.aci") == 1, "only the first fetch downloaded")
        try fixture.home.expectConsistent("a killed second fetch")
    }

    @Test("20 fetches of one URL from a slow server, the downloading one killed -9: the 19 others succeed with the same image ID; image gc leaves nothing in cas/tmp or cas/tree/.import*")
    func twentyFetchesOneKilled() throws {
        let fixture = try FetchFixture()
        let image = try fixture.randomImage("app.aci", size: 2_000_000)
        let url = try fixture.server.publish(image, as: "app.aci")
        // Slow enough (8 s) that all twenty have started, even on a busy machine, before it ends.
        try fixture.server.setRules(["/app.aci": ["rate": 250_000]])
        let arguments = fixture.home.globals + ["--insecure-options=image", "fetch", "--full", url]
        // The store exists before: its creation by concurrent first uses is RktStoreReliabilityTests'.
        try fixture.rkt(["image", "list"]).check("rkt image list")
        let fetches = try (0..<20).map { _ in
            try BackgroundProcess(Tool.rkt.path, arguments, scratch: fixture.scratch, environment: fixture.environment)
        }
        // The one that is not waiting holds the download.
        var holder: BackgroundProcess?
        let settled = BackgroundProcess.wait(timeout: 60) {
            let waiting = fetches.filter { $0.stderr.contains(Self.waiting) }
            guard waiting.count == fetches.count - 1 else { return false }
            holder = fetches.first { !$0.stderr.contains(Self.waiting) }
            return fixture.home.largestTemporaryFile() > 300_000
        }
        #expect(settled, "19 fetches wait for the one downloading: \(fetches.map(\.stderr))")
        let killed = holder ?? fetches[0]
        killed.killHard()

        let expected = try TestImage.expectedID(fixture.scratch, image, compressed: false) + "\n"
        for fetch in fetches where fetch !== killed {
            let result = fetch.finish(timeout: 300)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == expected, "\(result.stdout)")
        }
        #expect(try fixture.home.indexKeys() == [expected.trimmingCharacters(in: .whitespacesAndNewlines)])
        try fixture.home.expectConsistent("20 fetches of one URL")
        let gc = try fixture.rkt(["image", "gc"])
        #expect(gc.status == 0, "\(gc.stderr)")
        let left = try RktFetchLeftoverTests.leftovers(fixture.home)
        #expect(left.isEmpty, "left after image gc: \(left)")
        Swift.print("20 fetches of one URL, one killed: requests \(fixture.server.requests(for: "/app.aci"))")
    }
}
