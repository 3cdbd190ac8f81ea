import Foundation
import TestSupport
import Testing

/// Issue 18: `rkt metadata-service` and `rkt run --mds-register`, as apps use them (busybox wget
/// inside real pods on the host's network) and as the appc ACE validator checks them.
@Suite("rkt pods: the metadata service", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktMetadataServiceTests {
    static let applets = PodTestSupport.applets + ["wget"]

    /// Shell functions for apps: `get KEY PATH` and `post KEY PATH FORM` print `KEY|CONTENT-TYPE|BODY`
    /// for an answer of 200, `KEY|error|STATUS LINE` otherwise (PATH below $M, the API's base).
    static let client = #"""
        H='Metadata-Flavor: AppContainer'
        M="$AC_METADATA_URL/acMetadata/v1"
        report() {
          if [ "$2" = 0 ]; then
            echo "$1|$(grep -i 'content-type:' /tmp/headers | cut -d: -f2- | sed 's/^ *//' | tr -d '\r')|$(tr -d '\n' < /tmp/body)"
          else
            echo "$1|error|$(grep HTTP/ /tmp/headers | head -n 1 | sed 's/^ *//')"
          fi
        }
        get() { wget -q -S -O /tmp/body --header "$H" "$M$2" 2>/tmp/headers; report "$1" $?; }
        post() { wget -q -S -O /tmp/body --header "$H" --post-data "$3" "$M$2" 2>/tmp/headers; report "$1" $?; }
        body() { wget -q -O- --header "$H" "$M$1"; }
        urlencode() { sed 's/+/%2B/g; s|/|%2F|g; s/=/%3D/g'; }

        """#

    /// `KEY|TYPE|BODY` lines of a pod's output, by key.
    static func answers(_ output: String) -> [String: (type: String, body: String)] {
        var result: [String: (type: String, body: String)] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            if fields.count == 3 { result[fields[0]] = (fields[1], fields[2]) }
        }
        return result
    }

    static let probe = client + #"""
        echo "url||$AC_METADATA_URL"
        get uuid /pod/uuid
        get pod-annotations /pod/annotations
        get pod-manifest /pod/manifest
        get app-annotations /apps/probe/annotations
        get app-annotation /apps/probe/annotations/lorem
        get image-manifest /apps/probe/image/manifest
        get image-id /apps/probe/image/id
        get unknown-app /apps/nothere/image/id
        post sign /pod/hmac/sign "content=Old%20MacDonald"
        signature=$(tr -d '\n' < /tmp/body | urlencode)
        uuid=$(body /pod/uuid)
        post verify /pod/hmac/verify "content=Old%20MacDonald&uuid=$uuid&signature=$signature"
        post verify-tampered /pod/hmac/verify "content=Old%20McDonald&uuid=$uuid&signature=$signature"
        forged=$(echo "$AC_METADATA_URL" | sed 's|/[0-9a-f]*$|/00000000000000000000000000000000|')
        wget -q -S -O /tmp/body --header "$H" "$forged/acMetadata/v1/pod/uuid" 2>/tmp/headers; report forged $?
        wget -q -S -O /tmp/body "$M/pod/uuid" 2>/tmp/headers; report no-flavor $?
        echo "cmdlines||$(cat /proc/[0-9]*/cmdline | tr '\0' ' ')"
        """#

    @Test("every endpoint answers with its content type; HMAC signatures verify; a forged token gets 401; the token is on no command line in the pod")
    func endpoints() throws {
        let home = try PodHome()
        let service = try MetadataServiceProcess(home: home)
        let image = try home.image(manifest: PodTestSupport.manifest("example.com/probe", app: #"{"exec":["/bin/sh","/probe.sh"],"user":"0","group":"0"}"#,
                                                                     annotations: [("lorem", "ipsum")]),
                                   files: ["probe.sh": Self.probe], applets: Self.applets)
        let imageID = try home.fetch(image)
        let result = try home.run(["--mds-register", "--net=host", "--uuid-file-save=\(home.path("uuid"))", image, "--annotation=extra=value"],
                                  environment: service.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let uuid = try #require(home.uuid(home.path("uuid")))
        let answers = Self.answers(result.stdout)
        let url = try #require(answers["url"]?.body)
        #expect(url.hasPrefix("http://127.0.0.1:\(service.port)/"), "AC_METADATA_URL=\(url)")
        let token = String(url.split(separator: "/").last ?? "")
        #expect(token.count == 32 && token.allSatisfy(\.isHexDigit), "the token must be 128 random bits in hex: \(url)")

        let text = "text/plain; charset=us-ascii", json = "application/json"
        #expect(answers["uuid"]?.type == text && answers["uuid"]?.body == uuid, "\(result.stdout)")
        #expect(answers["pod-annotations"]?.type == json, "\(result.stdout)")
        #expect(answers["pod-manifest"]?.type == json && answers["pod-manifest"]?.body.contains("\"PodManifest\"") == true, "\(result.stdout)")
        #expect(answers["app-annotations"]?.type == json, "\(result.stdout)")
        let appAnnotations = answers["app-annotations"]?.body ?? ""
        #expect(appAnnotations.contains(#""name":"lorem","value":"ipsum""#) && appAnnotations.contains(#""name":"extra","value":"value""#),
                "the image's annotations with the pod's for the app over them: \(appAnnotations)")
        #expect(answers["app-annotation"]?.type == text && answers["app-annotation"]?.body == "ipsum", "\(result.stdout)")
        #expect(answers["image-manifest"]?.type == json && answers["image-manifest"]?.body.contains("example.com/probe") == true, "\(result.stdout)")
        #expect(answers["image-id"]?.type == text && answers["image-id"]?.body == imageID, "\(result.stdout)")
        #expect(answers["unknown-app"]?.body.contains("404") == true, "\(result.stdout)")
        #expect(answers["sign"]?.type == text && Data(base64Encoded: answers["sign"]?.body ?? "")?.count == 64, "\(result.stdout)")
        #expect(answers["verify"]?.type == text, "a signature of the pod must verify: \(result.stdout)")
        #expect(answers["verify-tampered"]?.body.contains("403") == true, "\(result.stdout)")
        #expect(answers["forged"]?.body.contains("401") == true, "\(result.stdout)")
        #expect(answers["no-flavor"]?.body.contains("400") == true, "\(result.stdout)")
        #expect(answers["cmdlines"].map { !$0.body.contains(token) } == true, "the token must not be on a command line in the pod: \(result.stdout)")
        #expect(service.stop() == 0, "\(service.stderr)")
        #expect(!FileManager.default.fileExists(atPath: service.socket), "the service removes its socket when it ends")
    }

    @Test("a pod cannot read another pod's data; its token is on no host command line, and stale once the pod has ended")
    func isolationAndStaleToken() throws {
        let home = try PodHome()
        let service = try MetadataServiceProcess(home: home)
        let waiting = Self.client + #"echo "url||$AC_METADATA_URL"; exec sleep 600"#
        let alpha = try home.image("alpha.aci", manifest: PodTestSupport.manifest("example.com/alpha", app: #"{"exec":["/bin/sh","/app.sh"],"user":"0","group":"0"}"#),
                                   files: ["app.sh": waiting], applets: Self.applets)
        let beta = try home.image("beta.aci", manifest: PodTestSupport.manifest("example.com/beta", app: #"{"exec":["/bin/sh","/app.sh"],"user":"0","group":"0"}"#),
                                  files: ["app.sh": Self.client + "get alpha-id /apps/alpha/image/id\nget alpha-manifest /apps/alpha/image/manifest\nget uuid /pod/uuid\n"],
                                  applets: Self.applets)
        let running = try home.start(["--mds-register", "--net=host", "--uuid-file-save=\(home.path("alpha.uuid"))", alpha],
                                     environment: service.environment)
        #expect(running.waitForOutput("url||"), "\(running.stderr)")
        let alphaUUID = try #require(home.uuid(home.path("alpha.uuid")))
        let alphaURL = try #require(Self.answers(running.stdout)["url"]?.body)
        // rkt became the pod's stage1: any user may read its command line, which must not show the token.
        let token = String(alphaURL.split(separator: "/").last ?? "")
        let commandLine = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(running.pid)/cmdline"))) ?? Data(), as: UTF8.self)
        #expect(commandLine.contains("--mds-token=xxxx") && !commandLine.contains(token), "\(commandLine)")

        let other = try home.run(["--mds-register", "--net=host", beta], environment: service.environment)
        #expect(other.status == 0, "\(other.stderr)")
        let answers = Self.answers(other.stdout)
        #expect(answers["alpha-id"]?.body.contains("404") == true, "\(other.stdout)")
        #expect(answers["alpha-manifest"]?.body.contains("404") == true, "\(other.stdout)")
        #expect(answers["uuid"]?.body.isEmpty == false && answers["uuid"]?.body != alphaUUID, "\(other.stdout)")

        let answer = try MetadataServiceProcess.get(alphaURL, "/pod/uuid")
        #expect(answer.status == 200 && answer.body == alphaUUID, "\(answer)")
        try home.rkt(["stop", alphaUUID]).check("rkt stop")
        #expect(running.wait() != nil)
        // The service learns of the end from a pidfd of the pod's stage1 (which registered it).
        #expect(PodTestSupport.waitUntil(10) { (try? MetadataServiceProcess.get(alphaURL, "/pod/uuid").status) == 401 },
                "a pod's token must stop working when the pod ends: \(service.stderr)")
        #expect(service.stderr.contains("pod \(alphaUUID) ended: unregistered"), "\(service.stderr)")
    }

    @Test("rkt run-prepared --mds-register (bare, as rkt's boolean flag) registers the prepared pod")
    func runPrepared() throws {
        let home = try PodHome()
        let service = try MetadataServiceProcess(home: home)
        let image = try home.image(manifest: PodTestSupport.manifest(app: #"{"exec":["/bin/sh","-c","echo url=$AC_METADATA_URL"],"user":"0","group":"0"}"#))
        let uuid = try home.rkt(["prepare", "--quiet", image]).check("rkt prepare").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try home.rkt(["run-prepared", "--mds-register", "--net=host", uuid], environment: service.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("url=http://127.0.0.1:\(service.port)/"), "\(result.stdout)")
    }

    @Test("stage1 ABI: --mds-token always; --mds-port (not 18112) for interface version 6, a warning for 5")
    func stage1Arguments() throws {
        let home = try PodHome()
        let service = try MetadataServiceProcess(home: home)
        let image = try home.image()
        for version in ["6", "5"] {
            let stage1 = try RktPodStage1Tests.stub(home, interfaceVersion: version)
            let result = try home.run(["--stage1-path=\(stage1)", "--mds-register", "--net=host", image], environment: service.environment)
            #expect(result.status == 42, "\(result.stdout) \(result.stderr)")
            let arguments = (RktPodStage1Tests.value("stub-args", in: result.stdout) ?? "").split(separator: " ").map(String.init)
            let token = arguments.first { $0.hasPrefix("--mds-token=") }.map { String($0.dropFirst("--mds-token=".count)) } ?? ""
            #expect(token.count == 32 && token.allSatisfy(\.isHexDigit), "\(arguments)")
            #expect(arguments.contains("--mds-port=\(service.port)") == (version == "6"), "\(arguments)")
            #expect(result.stderr.contains("warning: --mds-port option is not supported by stage1") == (version == "5"), "\(result.stderr)")
        }
    }

    @Test("without a running service --mds-register fails before any pod is made, naming the socket and the command; --net=none is refused")
    func refusals() throws {
        let home = try PodHome()
        let image = try home.image()
        let socket = home.path("absent.sock")
        let result = try home.rkt(["run", "--mds-register", "--net=host", image], environment: ["RKT_METADATA_SOCKET": socket])
        #expect(result.status == 254)
        #expect(result.stderr.contains(#"run: --mds-register: no metadata service listens on \#(socket); start it with "rkt metadata-service", or run without --mds-register"#),
                "\(result.stderr)")
        #expect(home.podDirectories().isEmpty, "\(home.podDirectories())")
        let none = try home.rkt(["run", "--mds-register", "--net=none", image], environment: ["RKT_METADATA_SOCKET": socket])
        #expect(none.status == 254)
        #expect(none.stderr.contains("run: --mds-register: a pod on --net=none cannot reach the metadata service"), "\(none.stderr)")
    }
}
