import Foundation
import TestSupport
import Testing

/// Credentials from `auth.d`: an `auth` file's header goes to the image server of its domains
/// (and no other); a `dockerAuth` file's user and password answer a registry's basic challenge.
@Suite("rkt fetch: auth.d credentials")
struct RktFetchAuthTests {
    /// Writes `auth.d/NAME.json` in the local configuration directory.
    static func writeAuth(_ home: RktHome, _ name: String, _ json: String) throws {
        let directory = "\(home.local)/auth.d"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name).json"))
    }

    static func basicAuth(domains: [String], user: String, password: String) -> String {
        #"{"rktKind":"auth","rktVersion":"v1","domains":[\#(domains.map { "\"\($0)\"" }.joined(separator: ","))],"type":"basic","credentials":{"user":"\#(user)","password":"\#(password)"}}"#
    }

    @Test("an auth.d basic entry for the server's host sends Authorization: Basic base64(user:password) with the download")
    func basicCredentials() throws {
        let fixture = try FetchFixture()
        let url = try fixture.server.publish(try fixture.image("app.aci"), as: "images/app.aci")
        try Self.writeAuth(fixture.home, "basic", Self.basicAuth(domains: ["localhost"], user: "alice", password: "s3cret"))
        let result = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = fixture.server.requests(for: "/images/app.aci")
        #expect(!requests.isEmpty)
        let expected = "Basic " + Data("alice:s3cret".utf8).base64EncodedString()
        #expect(requests.allSatisfy { $0.authorization == expected }, "\(requests.map { $0.authorization ?? "none" })")
    }

    @Test("an oauth entry sends Authorization: Bearer TOKEN; an entry for another domain sends nothing")
    func oauthAndOtherDomain() throws {
        let fixture = try FetchFixture()
        let url = try fixture.server.publish(try fixture.image("app.aci"), as: "images/app.aci")
        try Self.writeAuth(fixture.home, "other", Self.basicAuth(domains: ["example.org"], user: "alice", password: "s3cret"))
        let other = try fixture.rkt(["--insecure-options=image", "fetch", "--full", "--pull-policy=update", url])
        #expect(other.status == 0, "\(other.stderr)")
        #expect(fixture.server.requests(for: "/images/app.aci").allSatisfy { $0.authorization == nil },
                "credentials for example.org were sent to localhost: \(fixture.server.requests)")

        try Self.writeAuth(fixture.home, "token",
                           #"{"rktKind":"auth","rktVersion":"v1","domains":["localhost"],"type":"oauth","credentials":{"token":"sometoken"}}"#)
        let before = fixture.server.requests(for: "/images/app.aci").count
        let oauth = try fixture.rkt(["--insecure-options=image", "fetch", "--full", "--pull-policy=update", url])
        #expect(oauth.status == 0, "\(oauth.stderr)")
        let sent = fixture.server.requests(for: "/images/app.aci").dropFirst(before)
        #expect(!sent.isEmpty && sent.allSatisfy { $0.authorization == "Bearer sometoken" }, "\(sent.map { $0.authorization ?? "none" })")
    }

    @Test("a dockerAuth entry for a registry that requires basic authentication lets docker:// fetch; without it or with a wrong password the fetch fails")
    func dockerAuth() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let registry = try LocalRegistry(scratch: scratch, credentials: ("alice", "s3cret"))
        defer { registry.stop() }
        let layout = try RktFetchTests.ociLayout(scratch, "oci", content: "behind a password\n")
        try registry.push("oci:\(layout):1.0.0", as: "test/private:1.0.0")
        let reference = "docker://\(registry.host)/test/private:1.0.0"

        let anonymous = try home.rkt(["--insecure-options=http,image", "fetch", reference])
        expectFetchRefused(anonymous, "requires credentials")
        try home.expectEmpty("a fetch without credentials")

        func dockerAuth(_ password: String) -> String {
            #"{"rktKind":"dockerAuth","rktVersion":"v1","registries":["\#(registry.host)"],"credentials":{"user":"alice","password":"\#(password)"}}"#
        }
        try Self.writeAuth(home, "registry", dockerAuth("wrong"))
        let wrong = try home.rkt(["--insecure-options=http,image", "fetch", reference])
        #expect(wrong.status == 254, "\(wrong.stderr)")
        try home.expectEmpty("a fetch with a wrong password")

        try Self.writeAuth(home, "registry", dockerAuth("s3cret"))
        let fetched = try home.rkt(["--insecure-options=http,image", "fetch", "--full", reference])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let id = fetched.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let extracted = try home.rkt(["image", "extract", "--rootfs-only", id, scratch.path("x")])
        #expect(extracted.status == 0, "\(extracted.stderr)")
        #expect(try String(contentsOfFile: scratch.path("x/etc/hello"), encoding: .utf8) == "behind a password\n")
    }
}
