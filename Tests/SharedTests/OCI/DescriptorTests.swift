import Foundation
import Shared
import TestSupport
import Testing

@Suite("OCI descriptors")
struct DescriptorTests {
    static let emptyJSON = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

    static func descriptor(_ members: String) -> String {
        #"{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0\#(members.isEmpty ? "" : ",")\#(members)}"#
    }

    @Test("the required fields decode; optional ones default to empty")
    func minimal() throws {
        let descriptor = try decoded(Descriptor.self, Self.descriptor(""))
        #expect(descriptor.mediaType == MediaType.layer)
        #expect(descriptor.digest == Digest.sha256([]))
        #expect(descriptor.size == 0)
        #expect(descriptor.urls.isEmpty && descriptor.annotations.isEmpty && descriptor.data == nil && descriptor.platform == nil)
        #expect(descriptor.refName == nil)
        #expect(compactText(descriptor) == Self.descriptor(""))
    }

    @Test("every optional field decodes and encodes back")
    func rich() throws {
        let text = #"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(Self.emptyJSON)","size":2,"urls":["https://example.com/x"],"annotations":{"a":"1","org.opencontainers.image.ref.name":"v1"},"data":"e30=","platform":{"architecture":"arm64","os":"linux","variant":"v8"},"artifactType":"application/example"}"#
        let descriptor = try decoded(Descriptor.self, text)
        #expect(descriptor.urls == ["https://example.com/x"])
        #expect(descriptor.refName == "v1")
        #expect(descriptor.data == Array("{}".utf8))
        #expect(descriptor.platform == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(descriptor.artifactType == "application/example")
        #expect(compactText(descriptor) == text)
    }

    @Test("missing or wrongly typed required fields are errors naming the field", arguments: [
        (#"{"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0}"#, "mediaType: mediaType is required"),
        (#"{"mediaType":"a/b","size":0}"#, "digest: digest is required"),
        (#"{"mediaType":"a/b","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}"#, "size: size is required"),
        (#"{"mediaType":"a/b","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":-1}"#, "size: size must not be negative"),
        (#"{"mediaType":"not a type","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0}"#, "mediaType: invalid media type"),
        (#"{"mediaType":"a/b","digest":"sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855","size":0}"#, "digest: invalid digest"),
        (#"{"mediaType":"a/b","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":"0"}"#, "size"),
        (#"{"mediaType":"a/b","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0,"annotations":{"a":1}}"#, "annotations.a"),
        (#"{"mediaType":"a/b","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0,"platform":{"os":"linux"}}"#, "platform.architecture"),
        (#"[]"#, ""),
    ])
    func requiredFields(_ text: String, _ expected: String) {
        let error = decodingError(Descriptor.self, text)
        #expect(error != nil, "accepted: \(text)")
        #expect(error?.hasPrefix(expected) == true, "\(error ?? "nil")")
    }

    @Test("data must be padded standard base64", arguments: ["e30", "e3-=", "e3_=", "e30=\\n", " e30=", "!!!!", "e30==", "ZTMwPQ"])
    func dataBase64(_ data: String) {
        let text = #"{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(Self.emptyJSON)","size":2,"data":"\#(data)"}"#
        let error = decodingError(Descriptor.self, text)
        #expect(error != nil, "data \(data) accepted")
        #expect(error?.contains("data") == true && error?.contains("base64") == true, "\(error ?? "nil")")
    }

    @Test("data must match the size and the digest")
    func dataChecked() {
        let wrongSize = #"{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(Self.emptyJSON)","size":3,"data":"e30="}"#
        #expect(decodingError(Descriptor.self, wrongSize) == "data: data is 2 bytes but size says 3")
        // "{ }"-like content of the right size but other bytes: `[]` is W10=.
        let wrongDigest = #"{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(Self.emptyJSON)","size":2,"data":"W10="}"#
        #expect(decodingError(Descriptor.self, wrongDigest) == "data: data does not match digest \(Self.emptyJSON)")
        // Data under an algorithm we cannot compute is not checked (only its size is).
        let unknown = #"{"mediaType":"application/vnd.oci.empty.v1+json","digest":"other:abc","size":2,"data":"W10="}"#
        #expect(decodingError(Descriptor.self, unknown) == nil)
        let sha512 = "sha512:" + ContentHasher.hex(.sha512, of: Array("{}".utf8))
        #expect(decodingError(Descriptor.self, #"{"mediaType":"a/b","digest":"\#(sha512)","size":2,"data":"e30="}"#) == nil)
        #expect(decodingError(Descriptor.self, #"{"mediaType":"a/b","digest":"\#(sha512)","size":2,"data":"W10="}"#) != nil)
    }

    @Test("a descriptor of content carries its SHA-256 and size")
    func ofContent() {
        let descriptor = Descriptor(mediaType: MediaType.empty, content: Array("{}".utf8))
        #expect(descriptor.digest.description == Self.emptyJSON)
        #expect(descriptor.size == 2)
    }

    @Test("an embedded data blob is returned by readBlob without touching the blobs directory")
    func embeddedDataRead() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let layout = try builder.index([])
        var descriptor = Descriptor(mediaType: MediaType.empty, content: Array("{}".utf8))
        #expect(thrownError { try layout.readBlob(descriptor) }?.contains("missing") == true)
        descriptor.data = Array("{}".utf8)
        #expect(try layout.readBlob(descriptor) == Array("{}".utf8))
    }
}

@Suite("OCI media types")
struct MediaTypeTests {
    @Test("types that follow the RFC 6838 grammar are valid", arguments: [
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip", "a/b", "0/9",
        "text/plain", "x!#$&^_.+-/y!#$&^_.+-", "application/" + String(repeating: "a", count: 127),
    ])
    func valid(_ type: String) {
        #expect(MediaType.isValid(type))
    }

    @Test("types outside the grammar are invalid", arguments: [
        "", "application", "/json", "application/", "application/vnd/x", "+json/x", "x/.json", "a b/c", "a/b c",
        "a/b;charset=utf-8", "a/b@c", "a/(b)", "é/b", "application/" + String(repeating: "a", count: 128),
        String(repeating: "a", count: 128) + "/b",
    ])
    func invalid(_ type: String) {
        #expect(!MediaType.isValid(type))
    }

    @Test("index, manifest and config types are told apart (OCI and Docker)")
    func kinds() {
        #expect(MediaType.isIndex(MediaType.imageIndex) && MediaType.isIndex(MediaType.dockerManifestList))
        #expect(!MediaType.isIndex(MediaType.imageManifest))
        #expect(MediaType.isManifest(MediaType.imageManifest) && MediaType.isManifest(MediaType.dockerManifest))
        #expect(!MediaType.isManifest(MediaType.imageIndex) && !MediaType.isManifest(MediaType.imageConfig))
        #expect(MediaType.isConfig(MediaType.imageConfig) && MediaType.isConfig(MediaType.dockerConfig))
        #expect(!MediaType.isConfig(MediaType.empty))
    }

    @Test("layer types promise a compression; other types are not layers", arguments: [
        (MediaType.layer, Compression.none), (MediaType.layerGzip, .gzip), (MediaType.layerZstd, .zstd),
        (MediaType.layerNondistributable, .none), (MediaType.layerNondistributableGzip, .gzip),
        (MediaType.layerNondistributableZstd, .zstd), (MediaType.dockerLayerGzip, .gzip), (MediaType.dockerForeignLayerGzip, .gzip),
    ])
    func layerCompression(_ type: String, _ compression: Compression) {
        #expect(MediaType.layerCompression(type) == compression)
    }

    @Test("non-layer types have no layer compression", arguments: [MediaType.imageConfig, MediaType.imageManifest, "application/octet-stream", "application/vnd.oci.image.layer.v1.tar+bzip2"])
    func notLayers(_ type: String) {
        #expect(MediaType.layerCompression(type) == nil)
    }
}
