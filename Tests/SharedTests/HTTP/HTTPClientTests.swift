import Foundation
import Shared
import TestSupport
import Testing

/// The HTTP client against testdata/fetch/server.py on 127.0.0.1 and a port the kernel chose.
@Suite("HTTP: GET against a local server")
struct HTTPClientTests {
    /// A server over `files` (path → content), over https with a throwaway CA when `tls`.
    static func server(_ scratch: Scratch, _ files: [String: String], tls: Bool = false) throws -> ImageServer {
        let server = try ImageServer(scratch: scratch, certificates: tls ? try TestCertificates(in: scratch) : nil)
        for (path, content) in files { try server.publish(text: content, as: path) }
        return server
    }

    @Test("a file comes back with its status, headers and body; a missing one is a 404 response, not an error")
    func get() throws {
        let scratch = try Scratch()
        let server = try Self.server(scratch, ["a/b.txt": "hello\n"])
        defer { server.stop() }
        let response = try HTTPClient.get(HTTPRequest(url: server.url("a/b.txt")))
        #expect(response.status == 200)
        #expect(response.body == Array("hello\n".utf8))
        #expect(response.header("etag") == "\"\(ContentHasher.hex(.sha256, of: Array("hello\n".utf8)))\"")
        #expect(response.header("ACCEPT-RANGES") == "bytes")
        #expect(try HTTPClient.get(HTTPRequest(url: server.url("missing"))).status == 404)
        // The server logs a request as it arrives, before it answers: both are logged by now.
        #expect(server.startedRequests(for: "/a/b.txt") == 1 && server.startedRequests(for: "/missing") == 1)
    }

    @Test("request headers are sent: a matching If-None-Match gives 304")
    func conditional() throws {
        let scratch = try Scratch()
        let server = try Self.server(scratch, ["f": "x"])
        defer { server.stop() }
        let etag = try #require(try HTTPClient.get(HTTPRequest(url: server.url("f"))).header("ETag"))
        let again = try HTTPClient.get(HTTPRequest(url: server.url("f"), headers: [("If-None-Match", etag)]))
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
    }

    @Test("a download from an offset gets the rest of the file as 206, streamed to the sink")
    func rangeDownload() throws {
        let scratch = try Scratch()
        let server = try Self.server(scratch, ["f": "0123456789"])
        defer { server.stop() }
        var started: Int?
        let body = MemorySink()
        let response = try HTTPClient.download(HTTPRequest(url: server.url("f"), rangeStart: 4), start: { status, _ in started = status },
                                               to: body)
        #expect(response.status == 206 && started == 206)
        #expect(body.bytes == Array("456789".utf8))
    }

    @Test("a body larger than the limit is refused, and the message says which limit")
    func bodyLimit() throws {
        let scratch = try Scratch()
        let server = try Self.server(scratch, ["big": String(repeating: "b", count: 4096)])
        defer { server.stop() }
        let url = server.url("big")
        let document = #expect(throws: (any Error).self) { try HTTPClient.get(HTTPRequest(url: url, bodyLimit: .document(1024))) }
        #expect(described(document) == "GET \(url): response larger than 1 KiB")
        let image = #expect(throws: (any Error).self) { try HTTPClient.get(HTTPRequest(url: url, bodyLimit: .image(2048))) }
        #expect(described(image).hasPrefix("GET \(url): larger than 2 KiB, the maximum image size (raise it with "), "\(described(image))")
    }

    @Test("a connection dropped in the middle of the body fails, naming the URL")
    func droppedConnection() throws {
        let scratch = try Scratch()
        let server = try Self.server(scratch, ["f": String(repeating: "d", count: 10_000)])
        defer { server.stop() }
        try server.setRules(["/f": ["drop_after": 100]])
        let url = server.url("f")
        let error = #expect(throws: (any Error).self) { try HTTPClient.get(HTTPRequest(url: url)) }
        #expect(described(error).hasPrefix("GET \(url): "), "\(described(error))")
    }

    @Test("https: a certificate from an unknown CA is refused unless TLS checks are off")
    func tls() throws {
        let scratch = try Scratch()
        let server = try Self.server(scratch, ["f": "secure"], tls: true)
        defer { server.stop() }
        let url = server.url("f")
        let error = #expect(throws: (any Error).self) { try HTTPClient.get(HTTPRequest(url: url)) }
        #expect(described(error).hasPrefix("GET \(url): "), "\(described(error))")
        #expect(described(error).lowercased().contains("certificate"), "\(described(error))")
        #expect(try HTTPClient.get(HTTPRequest(url: url, insecureTLS: true)).body == Array("secure".utf8))
    }

    @Test("a redirect is followed; one from https down to http only when allowed")
    func redirects() throws {
        let scratch = try Scratch()
        let plain = try Self.server(scratch, ["target": "arrived"])
        defer { plain.stop() }
        let secure = try ImageServer(scratch: scratch, root: "secure", certificates: try TestCertificates(in: scratch))
        defer { secure.stop() }
        try secure.setRules(["/hop": ["redirect": plain.url("target")]])
        try plain.setRules(["/hop": ["redirect": plain.url("target")]])
        let followed = try HTTPClient.get(HTTPRequest(url: plain.url("hop")))
        #expect(followed.body == Array("arrived".utf8))
        #expect(followed.url == plain.url("target"))
        let url = secure.url("hop")
        let error = #expect(throws: (any Error).self) { try HTTPClient.get(HTTPRequest(url: url, insecureTLS: true)) }
        #expect(described(error).hasPrefix("GET \(url): "), "\(described(error))")
        #expect(try HTTPClient.get(HTTPRequest(url: url, insecureTLS: true, allowHTTPDowngrade: true)).body == Array("arrived".utf8))
    }
}
