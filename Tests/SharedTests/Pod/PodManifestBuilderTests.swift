import Foundation
import Shared
import TestSupport
import Testing

@Suite("pod: the pod manifest from images and command-line overrides")
struct PodManifestBuilderTests {
    /// An image manifest for linux/amd64 whose app runs `/bin/app` with `environment` members.
    static func manifest(_ name: String, app: String? = #"{"exec":["/bin/app","--flag"],"user":"0","group":"0","environment":[{"name":"FROM","value":"image"},{"name":"KEEP","value":"image"}]}"#) -> String {
        #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"\#(name)","labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]"#
            + (app.map { #","app":\#($0)"# } ?? "") + "}"
    }

    /// The records of images with these manifests, imported into a store in `scratch`.
    static func images(_ scratch: Scratch, _ manifests: [String]) throws -> [ImageRecord] {
        let store = try ImageStore(dataDirectory: scratch.path("data"))
        return try manifests.enumerated().map { index, manifest in
            try store.importImage(try InputFile(path: try TestImage.write(scratch, "\(index).aci", try TestImage.tar(manifest: manifest))))
        }
    }

    /// The manifest built for one app per image, each app adjusted by `configure`.
    static func build(_ manifests: [String], _ configure: (inout PodRequest) -> Void = { _ in }) throws -> [RuntimeApp] {
        let scratch = try Scratch()
        let images = try images(scratch, manifests)
        var request = PodRequest()
        request.apps = images.map { AppRequest(image: $0.key) }
        configure(&request)
        return try PodManifestBuilder(request: request).build(images: images).apps ?? []
    }

    @Test("apps are named after the last part of the image name; the image's app, ID and labels are recorded", .enabled(if: OSArch.host.arch == "amd64"))
    func appsFromImages() throws {
        let apps = try Self.build([Self.manifest("example.com/tools/web_server"), Self.manifest("example.com/db")])
        #expect(apps.map(\.name.value) == ["web-server", "db"])
        #expect(apps[0].app?.exec == ["/bin/app", "--flag"])
        #expect(apps[0].image.name?.value == "example.com/tools/web_server")
        #expect(apps[0].image.labels["os"] == "linux")
    }

    @Test("--exec replaces the command, arguments after the image's command replace its arguments", .enabled(if: OSArch.host.arch == "amd64"))
    func execOverrides() throws {
        let replaced = try Self.build([Self.manifest("example.com/a")]) { $0.apps[0].exec = "/bin/other"; $0.apps[0].arguments = ["x"] }
        #expect(replaced[0].app?.exec == ["/bin/other", "x"])
        let arguments = try Self.build([Self.manifest("example.com/a")]) { $0.apps[0].arguments = ["y", "z"] }
        #expect(arguments[0].app?.exec == ["/bin/app", "y", "z"])
    }

    @Test("the environment: the image's, then --set-env, then the app's own --environment", .enabled(if: OSArch.host.arch == "amd64"))
    func environmentPrecedence() throws {
        let apps = try Self.build([Self.manifest("example.com/a")]) { request in
            request.setEnvironment = [("FROM", "set-env"), ("POD", "set-env")]
            request.apps[0].environment = [("FROM", "environment")]
        }
        let environment = apps[0].app?.environment.map { "\($0.name)=\($0.value)" }
        #expect(environment == ["FROM=environment", "KEEP=image", "POD=set-env"])
    }

    @Test("refusals name the app and the fix", .enabled(if: OSArch.host.arch == "amd64"))
    func refusals() throws {
        let twice = #expect(throws: (any Error).self) { try Self.build([Self.manifest("example.com/a"), Self.manifest("other.org/a")]) }
        #expect(described(twice) == "error: multiple apps with name a")
        let noApp = #expect(throws: (any Error).self) { try Self.build([Self.manifest("example.com/a", app: nil)]) }
        #expect(described(noApp).hasSuffix("has no app section and --exec argument is not provided"), "\(described(noApp))")
        let memory = #expect(throws: (any Error).self) { try Self.build([Self.manifest("example.com/a")]) { $0.apps[0].memory = "1Ki" } }
        #expect(described(memory) == "memory limit of 1024 bytes too low. Try a limit of at least 4Ki")
        let caps = #expect(throws: (any Error).self) {
            try Self.build([Self.manifest("example.com/a")]) { $0.apps[0].capsRetain = ["CAP_NET_BIND_SERVICE"]; $0.apps[0].capsRemove = ["CAP_CHOWN"] }
        }
        #expect(described(caps).hasPrefix("cannot have both --caps-retain and --caps-remove for one app"), "\(described(caps))")
        let volume = #expect(throws: (any Error).self) { try Self.build([Self.manifest("example.com/a")]) { $0.apps[0].mounts = [("data", "/data")] } }
        #expect(described(volume) == "app a: mount of volume data, which no --volume defines")
    }

    @Test("an image for another platform is refused", .enabled(if: OSArch.host.arch == "amd64"))
    func platform() throws {
        let arm = Self.manifest("example.com/a").replacingOccurrences(of: "amd64", with: "aarch64")
        let error = #expect(throws: (any Error).self) { try Self.build([arm]) }
        #expect(described(error) == #"bad arch "aarch64" (this host runs amd64)"#)
    }
}
