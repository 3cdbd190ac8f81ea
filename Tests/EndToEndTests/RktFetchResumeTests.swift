import Foundation
import TestSupport
import Testing

/// A download cut off mid-body leaves a part that the next fetch continues with `Range` and
/// `If-Range`: only when the server's answer really continues that part (same ETag, the offset
/// asked for). Anything else starts the download over instead of splicing or blocking.
@Suite("rkt fetch: resuming a cut-off download")
struct RktFetchResumeTests {
    /// Serves `app.aci` (3 MB, uncompressed) and cuts the first download after 1 MB: the part and
    /// its ETag are left for the next fetch. Returns the URL and the image.
    static func cutOff(_ fixture: FetchFixture) throws -> (url: String, image: String) {
        let image = try fixture.randomImage("app.aci")
        let url = try fixture.server.publish(image, as: "app.aci")
        try fixture.server.setRules(["/app.aci": ["drop_after": 1_000_000, "drop_times": 1]])
        let first = try fixture.rkt(["--insecure-options=image", "fetch", url])
        expectFetchRefused(first, "app.aci")
        try fixture.home.expectResumablePart("the cut-off download")
        return (url, image)
    }

    enum WrongAnswer: String, CaseIterable, DescribedCase {
        case anotherFile = "206 of another file (another ETag)"
        case anotherOffset = "206 from another offset than asked"
    }

    @Test("a resume answered with 206 of another file or from another offset is thrown away and the image downloaded again from the start",
          arguments: WrongAnswer.allCases)
    func mismatchedResume(_ answer: WrongAnswer) throws {
        let fixture = try FetchFixture()
        let (url, image) = try Self.cutOff(fixture)
        // The other file has the same size and layout: spliced into the part it still makes a valid ACI.
        try fixture.server.publish(try fixture.randomImage("other.aci"), as: "other.aci")
        switch answer {
        case .anotherFile: try fixture.server.setRules(["/app.aci": ["range_from": "/other.aci"]])
        case .anotherOffset: try fixture.server.setRules(["/app.aci": ["range_offset": 500_000]])
        }

        let second = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == (try TestImage.expectedID(fixture.scratch, image, compressed: false)) + "\n",
                "the stored image is app.aci as served whole, not a splice")
        let requests = fixture.server.requests(for: "/app.aci").dropFirst()
        #expect(requests.count == 2, "a resume, then a download from the start: \(Array(requests))")
        #expect(requests.first?.range == "bytes=1000000-" && requests.first?.status == 206, "\(Array(requests))")
        #expect(requests.last?.range == nil && requests.last?.status == 200, "\(Array(requests))")
        try fixture.home.expectNoTemporaryFiles(url)
        try fixture.home.expectConsistent("a refused resume")
    }

    enum FullAnswer: String, CaseIterable, DescribedCase {
        case changedFile = "the file changed (If-Range does not match)"
        case noRanges = "a server that ignores Range"
    }

    @Test("a resume answered 200 with the whole file starts over from zero, and later fetches of the URL still work",
          arguments: FullAnswer.allCases)
    func resumeAnsweredWhole(_ answer: FullAnswer) throws {
        let fixture = try FetchFixture()
        let (url, original) = try Self.cutOff(fixture)
        var image = original
        switch answer {
        case .changedFile:
            try fixture.server.setRules([:])
            image = try fixture.randomImage("changed.aci")
            try fixture.server.publish(image, as: "app.aci")
        case .noRanges:
            try fixture.server.setRules(["/app.aci": ["ignore_range": true]])
        }
        let expected = try TestImage.expectedID(fixture.scratch, image, compressed: false) + "\n"

        let second = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == expected)
        let resumed = fixture.server.requests(for: "/app.aci").dropFirst()
        #expect(resumed.count == 1 && resumed.first?.range == "bytes=1000000-" && resumed.first?.status == 200, "\(Array(resumed))")
        try fixture.home.expectNoTemporaryFiles(url)

        let third = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout == expected)
        try fixture.home.expectConsistent("a resume answered whole")
    }
}
