import Shared
import TestSupport
import Testing

/// Decoding errors of the three OCI documents: the index, the manifest and the image config.
@Suite("OCI index, manifest and config decoding")
struct OCIDocumentTests {
    static let digestText = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let layerJSON = #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(digestText)","size":32}"#
    static let configJSON = #"{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(digestText)","size":7}"#

    // MARK: index

    @Test("an index with manifests, tags and platforms decodes")
    func index() throws {
        let text = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(Self.digestText)","size":3,"annotations":{"org.opencontainers.image.ref.name":"v1"},"platform":{"architecture":"amd64","os":"linux"}}],"annotations":{"k":"v"}}"#
        let index = try decoded(OCIIndex.self, text)
        #expect(index.manifests.count == 1)
        #expect(index.manifests[0].refName == "v1")
        #expect(index.manifests[0].platform?.description == "linux/amd64")
        #expect(index.annotations == ["k": "v"])
        #expect(compactText(index) == text)
    }

    @Test("an index may list no manifests, and may omit mediaType (umoci)")
    func emptyIndex() throws {
        #expect(try decoded(OCIIndex.self, #"{"schemaVersion":2,"manifests":[]}"#).manifests.isEmpty)
    }

    @Test("index errors name the member", arguments: [
        (#"{"manifests":[]}"#, "schemaVersion: schemaVersion is required"),
        (#"{"schemaVersion":1,"manifests":[]}"#, "schemaVersion: schemaVersion must be 2, got 1"),
        (#"{"schemaVersion":"2","manifests":[]}"#, "schemaVersion"),
        (#"{"schemaVersion":2}"#, "manifests: manifests is required"),
        (#"{"schemaVersion":2,"manifests":{}}"#, "manifests"),
        (#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","manifests":[]}"#, "mediaType: not an index media type"),
        (#"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":3}]}"#, "manifests[0].digest: digest is required"),
        (#"{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":3}]}"#, "manifests[0].mediaType: invalid media type"),
        (#"{"schemaVersion":2,"manifests":[],"annotations":{"j":2}}"#, "annotations.j"),
        (#"{"schemaVersion":2,"manifests":[]"#, "malformed JSON"),
    ])
    func indexErrors(_ text: String, _ expected: String) {
        let error = decodingError(OCIIndex.self, text)
        #expect(error?.hasPrefix(expected) == true, "\(error ?? "accepted")")
    }

    @Test("a Docker manifest list decodes as an index")
    func dockerManifestList() throws {
        let index = try decoded(OCIIndex.self, #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[]}"#)
        #expect(index.mediaType == MediaType.dockerManifestList)
    }

    // MARK: manifest

    @Test("a manifest decodes, with or without mediaType, and encodes back")
    func manifest() throws {
        let text = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(Self.configJSON),"layers":[\#(Self.layerJSON)],"annotations":{"a":"b"}}"#
        let manifest = try decoded(OCIManifest.self, text)
        #expect(manifest.config.size == 7 && manifest.layers.map(\.size) == [32])
        #expect(compactText(manifest) == text)
        let umoci = try decoded(OCIManifest.self, #"{"schemaVersion":2,"config":\#(Self.configJSON),"layers":[]}"#)
        #expect(umoci.mediaType == nil && umoci.layers.isEmpty)
    }

    @Test("manifest errors name the member", arguments: [
        (#"{"config":\#(configJSON),"layers":[]}"#, "schemaVersion: schemaVersion is required"),
        (#"{"schemaVersion":3,"config":\#(configJSON),"layers":[]}"#, "schemaVersion: schemaVersion must be 2, got 3"),
        (#"{"schemaVersion":2,"layers":[]}"#, "config: config is required"),
        (#"{"schemaVersion":2,"config":\#(configJSON)}"#, "layers: layers is required"),
        (#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","config":\#(configJSON),"layers":[]}"#, "mediaType: not a manifest media type"),
        (#"{"schemaVersion":2,"config":{"mediaType":"a/b","size":1},"layers":[]}"#, "config.digest: digest is required"),
        (#"{"schemaVersion":2,"config":\#(configJSON),"layers":[\#(layerJSON),{"mediaType":"a/b","digest":"sha256:0","size":1}]}"#, "layers[1].digest: invalid digest"),
        (#"{"schemaVersion":2,"config":\#(configJSON),"layers":[{"mediaType":"a/b","digest":"\#(digestText)","size":-5}]}"#, "layers[0].size: size must not be negative"),
        (#"{"schemaVersion":2,"config":\#(configJSON),"layers":"x"}"#, "layers"),
    ])
    func manifestErrors(_ text: String, _ expected: String) {
        let error = decodingError(OCIManifest.self, text)
        #expect(error?.hasPrefix(expected) == true, "\(error ?? "accepted")")
    }

    // MARK: config

    static func imageConfig(_ members: String, rootfs: String = #"{"type":"layers","diff_ids":["sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]}"#) -> String {
        #"{"architecture":"amd64","os":"linux","rootfs":\#(rootfs)\#(members.isEmpty ? "" : ",")\#(members)}"#
    }

    @Test("a config decodes its run section, case-insensitively as Go does")
    func config() throws {
        let config = try decoded(ImageConfig.self, Self.imageConfig(#"""
            "created":"2020-01-02T03:04:05.123456789Z","author":"me","variant":"v8",
            "config":{"User":"1000:100","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Env":["A=1","B=x=y","C="],
                      "entrypoint":["/bin/sh"],"CMD":["-c","true"],"Volumes":{"/data":{}},"WorkingDir":"/srv",
                      "Labels":{"k":"v"},"StopSignal":"SIGTERM"}
            """#))
        #expect(config.created == "2020-01-02T03:04:05.123456789Z")
        #expect(config.variant == "v8")
        #expect(config.config.user == "1000:100")
        #expect(Set(config.config.exposedPorts) == ["80/tcp", "53/udp"])
        #expect(config.config.env == ["A=1", "B=x=y", "C="])
        #expect(config.config.entrypoint == ["/bin/sh"] && config.config.cmd == ["-c", "true"])
        #expect(config.config.volumes == ["/data"] && config.config.workingDir == "/srv")
        #expect(config.config.labels == ["k": "v"] && config.config.stopSignal == "SIGTERM")
        #expect(config.diffIDs == [Digest.sha256([])])
    }

    @Test("Entrypoint, Cmd, Volumes and Labels may be null; config may be absent")
    func nulls() throws {
        let config = try decoded(ImageConfig.self, Self.imageConfig(#""config":{"Entrypoint":null,"Cmd":null,"Volumes":null,"Labels":null}"#))
        #expect(config.config.entrypoint == nil && config.config.cmd == nil && config.config.volumes.isEmpty && config.config.labels.isEmpty)
        #expect(try decoded(ImageConfig.self, Self.imageConfig("")).config == ImageConfig.RunConfig())
        #expect(try decoded(ImageConfig.self, Self.imageConfig("", rootfs: #"{"type":"layers","diff_ids":[]}"#)).diffIDs.isEmpty)
    }

    @Test("config errors name the member", arguments: [
        (#"{"os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#, "architecture: architecture is required"),
        (#"{"architecture":"amd64","rootfs":{"type":"layers","diff_ids":[]}}"#, "os: os is required"),
        (#"{"architecture":"amd64","os":"linux"}"#, "rootfs: rootfs is required"),
        (imageConfig("", rootfs: #"{"type":"layer","diff_ids":[]}"#), "rootfs.type: type must be \"layers\""),
        (imageConfig("", rootfs: #"{"diff_ids":[]}"#), "rootfs.type"),
        (imageConfig("", rootfs: #"{"type":"layers","diff_ids":["sha256:1"]}"#), "rootfs.diff_ids[0]: invalid digest"),
        (imageConfig(#""created":"yesterday""#), "created: created is not an RFC 3339 date"),
        (imageConfig(#""created":"2020-01-02 03:04:05Z""#), "created"),
        (imageConfig(#""config":{"Env":["A=1","NOEQUALS"]}"#), "config.Env[1]: environment entry must be NAME=VALUE"),
        (imageConfig(#""config":{"Env":["=x"]}"#), "config.Env[0]: environment entry must be NAME=VALUE"),
        (imageConfig(#""config":{"Env":"A=1"}"#), "config.Env"),
        (imageConfig(#""config":{"Cmd":[1]}"#), "config.Cmd[0]"),
        (imageConfig(#""config":{"ExposedPorts":["80/tcp"]}"#), "config.ExposedPorts"),
        (imageConfig(#""config":{"Labels":{"k":1}}"#), "config.Labels.k"),
        (imageConfig(#""config":{"User":5}"#), "config.User"),
    ])
    func configErrors(_ text: String, _ expected: String) {
        let error = decodingError(ImageConfig.self, text)
        #expect(error?.hasPrefix(expected) == true, "\(error ?? "accepted")")
    }

    @Test("a config encodes to what it decodes from")
    func configRoundTrip() throws {
        var run = ImageConfig.RunConfig()
        run.entrypoint = ["/bin/app"]
        run.env = ["A=1"]
        run.exposedPorts = ["8080/tcp"]
        run.labels = ["z": "1", "a": "2"]
        let config = ImageConfig(os: "linux", architecture: "arm", variant: "v7", config: run, diffIDs: [Digest.sha256([1])], created: "2021-01-01T00:00:00Z")
        let again = try ImageConfig.decode(config.compactJSON)
        #expect(again == config)
        #expect(compactText(config).contains(#""Labels":{"a":"2","z":"1"}"#))
    }
}
