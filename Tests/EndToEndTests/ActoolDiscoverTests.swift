import Foundation
import TestSupport
import Testing

/// Discovery against a local web server (testdata/actool/discovery_server.py) with a throwaway CA.
/// Every server is stopped when its test ends.
@Suite("actool discover")
struct ActoolDiscoverTests {
    /// The discovery page served for `localhost/app` (and, by the parent walk, for names below it).
    static let appPage = """
        <!DOCTYPE html>
        <html><head>
        <meta name="ac-discovery" content="localhost/app https://localhost/images/{name}-{version}.{ext}">
        <meta name="ac-discovery" content="localhost/app https://localhost/skipped/{name}-{foo}.{ext}">
        <meta name="ac-discovery" content="localhost/app https://localhost/{os}/{arch}/{name}-{version}.{ext}">
        <meta name="ac-discovery" content="example.com https://example.com/not-for-us/{name}.{ext}">
        <meta name="ac-discovery-pubkeys" content="localhost/app https://localhost/pubkeys.gpg">
        <!-- <meta name="ac-discovery-pubkeys" content="localhost/app https://localhost/commented-out.gpg"> -->
        </head><body>app</body></html>
        """

    /// A scratch directory with certificates and pages; the server is started by the caller.
    static func site(pages: [String: String] = ["app": appPage]) throws -> (Scratch, TestCertificates) {
        let scratch = try Scratch()
        let certificates = try TestCertificates(in: scratch)
        for (path, html) in pages {
            try scratch.write("pages/\(path.isEmpty ? "" : path + "/")index.html", html)
        }
        return (scratch, certificates)
    }

    static func httpsServer(_ scratch: Scratch, _ certificates: TestCertificates) throws -> LocalServer {
        try LocalServer.discovery(pages: scratch.path("pages"), tls: (certificates.certificate, certificates.key), scratch: scratch)
    }

    /// The host's os and arch as discovery fills them in (appc names).
    static var hostArch: String {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "aarch64"
        #else
        "unknown"
        #endif
    }

    @Test("discover prints the ACI and ASC URLs and the public keys, like the reference")
    func discover() throws {
        let (scratch, certificates) = try Self.site()
        let server = try Self.httpsServer(scratch, certificates)
        defer { server.stop() }
        let port = "\(server.port)"

        let result = try scratch.actool("discover", "--port", port, "localhost/app:1.0", environment: ["SSL_CERT_FILE": certificates.authority])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == """
            ACI: https://localhost/images/localhost/app-1.0.aci, ASC: https://localhost/images/localhost/app-1.0.aci.asc
            ACI: https://localhost/linux/\(Self.hostArch)/localhost/app-1.0.aci, ASC: https://localhost/linux/\(Self.hostArch)/localhost/app-1.0.aci.asc
            PublicKeys: https://localhost/pubkeys.gpg

            """)
        #expect(server.requests.allSatisfy { $0 == "/app?ac-discovery=1" })
        #expect(!server.requests.isEmpty)

        let reference = try scratch.referenceActool("discover", "--port", port, "localhost/app:1.0",
                                                    environment: ["SSL_CERT_FILE": certificates.authority])
        #expect(reference.status == 0)
        #expect(result.stdout == reference.stdout)
    }

    @Test("version defaults to latest; labels given fill their placeholders")
    func labels() throws {
        let (scratch, certificates) = try Self.site()
        let server = try Self.httpsServer(scratch, certificates)
        defer { server.stop() }
        let environment = ["SSL_CERT_FILE": certificates.authority]

        let latest = try scratch.actool("discover", "--port", "\(server.port)", "localhost/app", environment: environment)
        #expect(latest.status == 0, "\(latest.stderr)")
        #expect(latest.stdout.contains("ACI: https://localhost/images/localhost/app-latest.aci, "))

        let labelled = try scratch.actool("discover", "--port", "\(server.port)", "localhost/app:2.0,foo=bar,os=freebsd,arch=arm",
                                          environment: environment)
        #expect(labelled.status == 0, "\(labelled.stderr)")
        #expect(labelled.stdout.contains("ACI: https://localhost/skipped/localhost/app-bar.aci, ASC: https://localhost/skipped/localhost/app-bar.aci.asc"))
        #expect(labelled.stdout.contains("ACI: https://localhost/freebsd/arm/localhost/app-2.0.aci, "))
    }

    @Test("--json prints ACIEndpoints and PublicKeys, like the reference")
    func json() throws {
        let (scratch, certificates) = try Self.site()
        let server = try Self.httpsServer(scratch, certificates)
        defer { server.stop() }
        let environment = ["SSL_CERT_FILE": certificates.authority]

        let result = try scratch.actool("discover", "--json", "--port", "\(server.port)", "localhost/app:1.0", environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: result.stdoutBytes) as? [String: Any])
        #expect(Set(document.keys) == ["ACIEndpoints", "PublicKeys"])
        let endpoints = try #require(document["ACIEndpoints"] as? [[String: String]])
        #expect(endpoints.count == 2)
        #expect(endpoints.first == ["ACI": "https://localhost/images/localhost/app-1.0.aci",
                                    "ASC": "https://localhost/images/localhost/app-1.0.aci.asc"])
        #expect(document["PublicKeys"] as? [String] == ["https://localhost/pubkeys.gpg"])
        // Indented with four spaces, byte for byte the reference's output.
        #expect(result.stdout.hasPrefix("{\n    \"ACIEndpoints\": [\n        {\n            \"ACI\": "))
        let reference = try scratch.referenceActool("discover", "--json", "--port", "\(server.port)", "localhost/app:1.0",
                                                    environment: environment)
        #expect(result.stdout == reference.stdout)
    }

    @Test("a name below a discovery page walks up to its parent; failed prefixes go to standard error")
    func parentWalk() throws {
        let (scratch, certificates) = try Self.site()
        let server = try Self.httpsServer(scratch, certificates)
        defer { server.stop() }
        let environment = ["SSL_CERT_FILE": certificates.authority]

        let result = try scratch.actool("discover", "--port", "\(server.port)", "localhost/app/sub/deeper:1.0", environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("ACI: https://localhost/images/localhost/app/sub/deeper-1.0.aci, "))
        #expect(result.stdout.contains("PublicKeys: https://localhost/pubkeys.gpg"))
        for walk in ["endpoints", "public keys"] {
            for prefix in ["localhost/app/sub/deeper", "localhost/app/sub"] {
                let line = result.stderrLines.first { $0.hasPrefix("discover \(walk) walk: prefix: \(prefix) error: ") }
                #expect(line?.contains("404") == true, "\(walk) \(prefix): \(result.stderr)")
            }
        }
        #expect(!result.stderr.contains("prefix: localhost/app error"))
        // Longest prefix first, each with ?ac-discovery=1.
        #expect(Array(server.requests.prefix(3)) == ["/app/sub/deeper?ac-discovery=1", "/app/sub?ac-discovery=1", "/app?ac-discovery=1"])

        // The reference prints the failed prefixes on standard output, among the results; we keep
        // standard output for results.
        let reference = try scratch.referenceActool("discover", "--port", "\(server.port)", "localhost/app/sub/deeper:1.0",
                                                    environment: environment)
        let referenceResults = reference.stdout.split(separator: "\n").filter { !$0.hasPrefix("discover ") }
        #expect(result.stdout.split(separator: "\n") == referenceResults)
    }

    @Test("without the CA (no SSL_CERT_FILE) the certificate is refused")
    func untrustedCertificate() throws {
        let (scratch, certificates) = try Self.site()
        let server = try Self.httpsServer(scratch, certificates)
        defer { server.stop() }

        let result = try scratch.shell("env -u SSL_CERT_FILE -u SSL_CERT_DIR \"$ACTOOL\" discover --port \(server.port) localhost/app:1.0")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error fetching endpoints for localhost/app:1.0"))
        #expect(result.stderr.lowercased().contains("certificate"), "\(result.stderr)")

        // --insecure skips the check.
        let insecure = try scratch.shell("env -u SSL_CERT_FILE -u SSL_CERT_DIR \"$ACTOOL\" discover --insecure --port \(server.port) localhost/app:1.0")
        #expect(insecure.status == 0, "\(insecure.stderr)")
        #expect(insecure.stdout.contains("ACI: https://localhost/images/localhost/app-1.0.aci"))
    }

    @Test("--insecure falls back to plain http; without it plain http is never used")
    func plainHTTP() throws {
        let (scratch, _) = try Self.site()
        let server = try LocalServer.discovery(pages: scratch.path("pages"), scratch: scratch)
        defer { server.stop() }

        let insecure = try scratch.actool("discover", "--insecure", "--port", "\(server.port)", "localhost/app:1.0")
        #expect(insecure.status == 0, "\(insecure.stderr)")
        #expect(insecure.stdout.contains("ACI: https://localhost/images/localhost/app-1.0.aci"))
        #expect(server.requests.contains("/app?ac-discovery=1"))
        let reference = try scratch.referenceActool("discover", "--insecure", "--port", "\(server.port)", "localhost/app:1.0")
        #expect(insecure.stdout == reference.stdout)

        let requestsBefore = server.requests.count
        let secure = try scratch.actool("discover", "--port", "\(server.port)", "localhost/app:1.0")
        #expect(secure.status == 1)
        #expect(secure.stdout.isEmpty)
        #expect(secure.stderr.contains("error fetching endpoints for localhost/app:1.0"))
        #expect(server.requests.count == requestsBefore)
    }

    @Test("templates with a placeholder left over are skipped; none left means failure")
    func leftoverPlaceholders() throws {
        let page = """
            <meta name="ac-discovery" content="localhost/only https://localhost/{name}-{foo}.{ext}">
            <meta name="ac-discovery" content="localhost/only https://localhost/{name}-{version}-{bar}.{ext}">
            """
        let (scratch, certificates) = try Self.site(pages: ["only": page])
        let server = try Self.httpsServer(scratch, certificates)
        defer { server.stop() }
        let environment = ["SSL_CERT_FILE": certificates.authority]

        let result = try scratch.actool("discover", "--port", "\(server.port)", "localhost/only:1.0", environment: environment)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error fetching endpoints for localhost/only:1.0"))

        let filled = try scratch.actool("discover", "--port", "\(server.port)", "localhost/only:1.0,bar=b", environment: environment)
        #expect(filled.status == 0, "\(filled.stderr)")
        #expect(filled.stdout == "ACI: https://localhost/localhost/only-1.0-b.aci, ASC: https://localhost/localhost/only-1.0-b.aci.asc\n")
    }

    @Test("several apps: each one's endpoints in order")
    func severalApps() throws {
        let (scratch, certificates) = try Self.site()
        let server = try Self.httpsServer(scratch, certificates)
        defer { server.stop() }
        let result = try scratch.actool("discover", "--port", "\(server.port)", "localhost/app:1.0", "localhost/app/two:2.0",
                                        environment: ["SSL_CERT_FILE": certificates.authority])
        #expect(result.status == 0, "\(result.stderr)")
        let acis = result.stdout.split(separator: "\n").filter { $0.hasPrefix("ACI: https://localhost/images/") }
        #expect(acis.map { $0.split(separator: ",").first.map(String.init) ?? "" } == [
            "ACI: https://localhost/images/localhost/app-1.0.aci", "ACI: https://localhost/images/localhost/app/two-2.0.aci",
        ])
    }

    @Test("no server listening: exit 1 naming the app")
    func nothingListening() throws {
        let scratch = try Scratch()
        // A port that was free a moment ago.
        let server = try LocalServer.discovery(pages: scratch.path("."), scratch: scratch)
        let port = server.port
        server.stop()
        let result = try scratch.actool("discover", "--insecure", "--port", "\(port)", "localhost/app:1.0")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error fetching endpoints for localhost/app:1.0"))
    }

    struct BadName: Sendable, CustomTestStringConvertible {
        var name: String
        var message: String
        var testDescription: String { name }
    }

    static let badNames: [BadName] = [
        BadName(name: "Bad Name!", message: "ACIdentifier"),
        BadName(name: "localhost/app:1:2", message: "colon may appear at most once"),
        BadName(name: "localhost/app,version=1:2", message: "colon may appear only right after the app name"),
        BadName(name: "localhost/app,version", message: "label without a value"),
        BadName(name: "", message: "ACIdentifier"),
        BadName(name: "localhost/app,Bad=1", message: "ACIdentifier"),
    ]

    @Test("an invalid app name exits 1 with a clear message (the reference panics)", arguments: badNames)
    func invalidName(_ bad: BadName) throws {
        let scratch = try Scratch()
        let result = try scratch.actool("discover", "--port", "1", bad.name)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("discover: \(bad.name): "), "\(result.stderr)")
        #expect(result.stderr.contains(bad.message), "\(result.stderr)")
    }

    @Test("usage errors exit 2", arguments: [[String](), ["--port", "0", "localhost/app"], ["--port", "x", "localhost/app"]])
    func usage(_ arguments: [String]) throws {
        let scratch = try Scratch()
        let result = try Tool.actool.run(["discover"] + arguments, in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Usage"))
        #expect(result.stdout.isEmpty)
    }
}
