import Foundation
import Glibc
import Shared
import TestSupport
import Testing

/// The metadata service over real sockets: registrations on its unix socket (rkt's protocol), the
/// appc API on its TCP port, as an app and a registering stage0 would use them.
@Suite("Metadata service")
struct MetadataServiceTests {
    static let imageID = "sha512-" + String(repeating: "ab", count: 64)

    /// A service on a free port and a socket in a temporary directory.
    final class Fixture {
        let directory: Scratch
        let service: MetadataService

        init() throws {
            directory = try Scratch()
            service = try MetadataService(port: 0, socket: "\(directory.path)/run/mds.sock", threads: 2)
        }

        /// A request to the registration socket.
        func register(_ method: String, _ path: String, body: String? = nil) throws -> HTTPResponse {
            var request = HTTPRequest(url: "http://localhost\(path)")
            request.method = method
            request.body = body.map { Array($0.utf8) }
            request.unixSocket = service.socket
            return try HTTPClient.send(request)
        }

        /// Registers a pod of one app `app` (with its image manifest) under `token`.
        func registerPod(_ uuid: String, token: String, app: String = "web") throws {
            #expect(try register("PUT", "/pods/\(uuid)?token=\(token)", body: MetadataServiceTests.podManifest(app: app)).status == 200)
            #expect(try register("PUT", "/pods/\(uuid)/\(app)", body: MetadataServiceTests.imageManifest).status == 200)
        }

        /// An app's request to the public API (with the Metadata-Flavor header unless told not to).
        func get(_ path: String, token: String, flavor: Bool = true) throws -> HTTPResponse {
            try HTTPClient.get(HTTPRequest(url: "http://127.0.0.1:\(service.port)/\(token)/acMetadata/v1\(path)",
                                           headers: flavor ? [(name: "Metadata-Flavor", value: "AppContainer")] : []))
        }

        func post(_ path: String, token: String, form: [(String, String)]) throws -> HTTPResponse {
            var request = HTTPRequest(url: "http://127.0.0.1:\(service.port)/\(token)/acMetadata/v1\(path)",
                                      headers: [(name: "Metadata-Flavor", value: "AppContainer"),
                                                (name: "Content-Type", value: "application/x-www-form-urlencoded")])
            request.method = "POST"
            let allowed = CharacterSet.alphanumerics
            request.body = Array(form.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&").utf8)
            return try HTTPClient.send(request)
        }
    }

    static func podManifest(app: String) -> String {
        """
        {"acVersion":"0.8.11","acKind":"PodManifest","apps":[{"name":"\(app)","image":{"name":"example.com/\(app)","id":"\(imageID)"},
        "annotations":[{"name":"shared","value":"from the pod"}]}],"annotations":[{"name":"pod-note","value":"p"}]}
        """
    }

    static let imageManifest = """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/web","annotations":[{"name":"image-note","value":"i"},{"name":"shared","value":"from the image"}]}
        """

    static let podA = "11111111-2222-4333-8444-555555555555"
    static let podB = "66666666-7777-4888-8999-aaaaaaaaaaaa"
    static let tokenA = String(repeating: "a1", count: 16)
    static let tokenB = String(repeating: "b2", count: 16)

    private func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test("every endpoint answers with the spec's content type")
    func endpoints() throws {
        let fixture = try Fixture()
        try fixture.registerPod(Self.podA, token: Self.tokenA)
        let expected: [(String, String, String)] = [
            ("/pod/annotations", "application/json", #"[{"name":"pod-note","value":"p"}]"#),
            ("/pod/manifest", "application/json", Self.podManifest(app: "web")),
            ("/pod/uuid", "text/plain; charset=us-ascii", Self.podA),
            ("/apps/web/annotations", "application/json",
             #"[{"name":"image-note","value":"i"},{"name":"shared","value":"from the pod"}]"#),
            ("/apps/web/image/manifest", "application/json", Self.imageManifest),
            ("/apps/web/image/id", "text/plain; charset=us-ascii", Self.imageID),
        ]
        for (path, contentType, body) in expected {
            let response = try fixture.get(path, token: Self.tokenA)
            #expect(response.status == 200, "\(path)")
            #expect(response.header("Content-Type") == contentType, "\(path)")
            #expect(text(response) == body, "\(path)")
        }
    }

    @Test("a request without Metadata-Flavor: AppContainer is refused")
    func flavorHeaderRequired() throws {
        let fixture = try Fixture()
        try fixture.registerPod(Self.podA, token: Self.tokenA)
        let response = try fixture.get("/pod/uuid", token: Self.tokenA, flavor: false)
        #expect(response.status == 400)
    }

    @Test("a forged token gets 401, an unknown app or entry 404")
    func forgedToken() throws {
        let fixture = try Fixture()
        try fixture.registerPod(Self.podA, token: Self.tokenA)
        #expect(try fixture.get("/pod/uuid", token: Self.tokenB).status == 401)
        #expect(try fixture.get("/pod/manifest", token: Self.podA).status == 401)
        #expect(try fixture.get("/apps/db/image/id", token: Self.tokenA).status == 404)
        #expect(try fixture.get("/pod/secrets", token: Self.tokenA).status == 404)
    }

    @Test("a pod reads only its own data")
    func podsAreSeparate() throws {
        let fixture = try Fixture()
        try fixture.registerPod(Self.podA, token: Self.tokenA, app: "web")
        try fixture.registerPod(Self.podB, token: Self.tokenB, app: "db")
        #expect(text(try fixture.get("/pod/uuid", token: Self.tokenB)) == Self.podB)
        #expect(try fixture.get("/apps/web/image/manifest", token: Self.tokenB).status == 404)
        #expect(!text(try fixture.get("/pod/manifest", token: Self.tokenB)).contains("\"web\""))
    }

    @Test("a signature verifies for its pod and content only; an unregistered pod's token ends")
    func hmacRoundTrip() throws {
        let fixture = try Fixture()
        try fixture.registerPod(Self.podA, token: Self.tokenA, app: "web")
        try fixture.registerPod(Self.podB, token: Self.tokenB, app: "db")
        let signed = try fixture.post("/pod/hmac/sign", token: Self.tokenA, form: [("content", "Old MacDonald Had A Farm")])
        #expect(signed.status == 200 && signed.header("Content-Type") == "text/plain; charset=us-ascii")
        let signature = text(signed)
        #expect(Base64.decode(signature)?.count == 64)
        let verify = { (token: String, uuid: String, content: String) in
            try fixture.post("/pod/hmac/verify", token: token, form: [("content", content), ("uuid", uuid), ("signature", signature)])
        }
        let verified = try verify(Self.tokenB, Self.podA, "Old MacDonald Had A Farm")
        #expect(verified.status == 200 && verified.header("Content-Type") == "text/plain; charset=us-ascii")
        #expect(try verify(Self.tokenB, Self.podB, "Old MacDonald Had A Farm").status == 403)
        #expect(try verify(Self.tokenB, Self.podA, "Old MacDonald Had A Cow").status == 403)
        // Pod B's key is its own: the same content signed by B is another signature.
        #expect(text(try fixture.post("/pod/hmac/sign", token: Self.tokenB, form: [("content", "Old MacDonald Had A Farm")])) != signature)
        #expect(try fixture.post("/pod/hmac/sign", token: Self.tokenA, form: []).status == 400)

        #expect(try fixture.register("DELETE", "/pods/\(Self.podA)").status == 200)
        #expect(try fixture.get("/pod/uuid", token: Self.tokenA).status == 401)
        #expect(try verify(Self.tokenB, Self.podA, "Old MacDonald Had A Farm").status == 403)
    }

    @Test("registration refuses a malformed UUID, token or manifest, and apps of unknown pods")
    func registrationRefusals() throws {
        let fixture = try Fixture()
        #expect(try fixture.register("PUT", "/pods/not-a-uuid?token=\(Self.tokenA)", body: Self.podManifest(app: "web")).status == 400)
        #expect(try fixture.register("PUT", "/pods/\(Self.podA)?token=short", body: Self.podManifest(app: "web")).status == 400)
        #expect(try fixture.register("PUT", "/pods/\(Self.podA)?token=\(Self.tokenA)", body: "{").status == 400)
        #expect(try fixture.register("PUT", "/pods/\(Self.podB)/web", body: Self.imageManifest).status == 404)
        #expect(try fixture.register("DELETE", "/pods/\(Self.podB)").status == 404)
        #expect(fixture.service.registry.count == 0)
    }

    @Test("a pod is unregistered when the process that registered it ends")
    func registrantEnds() throws {
        let fixture = try Fixture()
        let manifest = "\(fixture.directory.path)/pod.json"
        try Self.podManifest(app: "web").write(toFile: manifest, atomically: true, encoding: .utf8)
        // curl registers and exits, as a stage0 whose stage1 ended would.
        let curl = try Tool.execute("/usr/bin/curl", ["-sf", "--unix-socket", fixture.service.socket, "-X", "PUT", "--data-binary", "@\(manifest)",
                                                      "http://localhost/pods/\(Self.podA)?token=\(Self.tokenA)"])
        #expect(curl.status == 0, "\(curl.stderr)")
        #expect(fixture.service.registry.pod(token: Self.tokenA) != nil)
        #expect(fixture.service.unregisterEnded() == [try PodUUID(Self.podA)])
        #expect(try fixture.get("/pod/uuid", token: Self.tokenA).status == 401)
    }
}
