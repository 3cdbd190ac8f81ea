import Shared
import TestSupport
import Testing

@Suite("conversion: appc manifests and OCI image configs")
struct ImageConfigMappingTests {
    static let manifest = """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/web",
         "labels":[{"name":"version","value":"2.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"},{"name":"tier","value":"front"}],
         "app":{"exec":["/bin/web","--port","80"],"user":"33","group":"33","workingDirectory":"/srv",
                "environment":[{"name":"MODE","value":"production"}],
                "ports":[{"name":"http","protocol":"tcp","port":80}],
                "mountPoints":[{"name":"data","path":"/var/data"}]},
         "annotations":[{"name":"authors","value":"ops@example.com"}]}
        """

    @Test("an appc manifest maps to an OCI config: entrypoint, env, user, workdir, ports, volumes, labels, platform")
    func toConfig() throws {
        let manifest = try decoded(ImageManifest.self, Self.manifest)
        let config = ImageConfigMapping.imageConfig(from: manifest, diffIDs: [])
        #expect(config.os == "linux" && config.architecture == "amd64")
        #expect(config.config.entrypoint == ["/bin/web", "--port", "80"])
        #expect(config.config.env == ["MODE=production"])
        #expect(config.config.user == "33:33")
        #expect(config.config.workingDir == "/srv")
        #expect(config.config.exposedPorts == ["80/tcp"])
        #expect(config.config.volumes == ["/var/data"])
        #expect(config.config.labels == ["authors": "ops@example.com", "tier": "front"])
    }

    @Test("the OCI config maps back to the same app, platform and version")
    func roundTrip() throws {
        let manifest = try decoded(ImageManifest.self, Self.manifest)
        let back = try ImageConfigMapping.imageManifest(from: ImageConfigMapping.imageConfig(from: manifest, diffIDs: []),
                                                        name: manifest.name, version: "2.0")
        #expect(back.app?.exec == manifest.app?.exec)
        #expect(back.app?.environment == manifest.app?.environment)
        #expect(back.app?.user == "33" && back.app?.group == "33")
        #expect(back.app?.workingDirectory == "/srv")
        #expect(back.app?.ports.map(\.port) == [80])
        #expect(back.app?.mountPoints.map(\.path) == ["/var/data"])
        #expect(back.labels["version"] == "2.0" && back.labels["os"] == "linux" && back.labels["arch"] == "amd64")
    }
}
