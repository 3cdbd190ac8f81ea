import Foundation
import Shared
import TestSupport
import Testing

/// Finding an image in a layout: by tag, through nested indexes, by platform.
@Suite("OCI layout resolution")
struct OCILayoutResolveTests {
    static let amd64 = Platform(os: "linux", architecture: "amd64")
    static let arm64 = Platform(os: "linux", architecture: "arm64", variant: "v8")

    static func resolve(_ layout: OCILayout, tag: String?, _ platform: Platform = amd64) throws -> String {
        try OCITestLayout.label(of: try layout.resolve(tag: tag, platform: platform), in: layout)
    }

    @Test("a tag picks its image among several")
    func byTag() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let layout = try builder.index([try builder.image("a", tag: "a"), try builder.image("b", tag: "b"), try builder.image("c", tag: "c")])
        #expect(try Self.resolve(layout, tag: "b") == "b")
        #expect(try Self.resolve(layout, tag: "c") == "c")
        #expect(try layout.resolve(tag: "b", platform: Self.amd64).tag == "b")
        #expect(layout.tags == ["a", "b", "c"])
    }

    @Test("an unknown tag is an error listing the tags there are")
    func unknownTag() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let layout = try builder.index([try builder.image("a", tag: "a"), try builder.image("b", tag: "v1.0")])
        let error = thrownError { try layout.resolve(tag: "latest", platform: Self.amd64) }
        #expect(error?.contains("no image tagged \"latest\"") == true, "\(error ?? "resolved")")
        #expect(error?.contains("tags: a, v1.0") == true, "\(error ?? "")")
    }

    @Test("without a tag, the only image is taken, tagged or not")
    func onlyImage() throws {
        let directory = try Scratch()
        let untagged = try OCITestLayout(directory, name: "untagged")
        let layout = try untagged.index([try untagged.image("only")])
        #expect(try Self.resolve(layout, tag: nil) == "only")
        #expect(try layout.resolve(tag: nil, platform: Self.amd64).tag == nil)
        let tagged = try OCITestLayout(directory, name: "tagged")
        let second = try tagged.index([try tagged.image("only", tag: "v2")])
        #expect(try second.resolve(tag: nil, platform: Self.amd64).tag == "v2")
    }

    @Test("without a tag, several images without platforms are an error asking for LAYOUT:TAG")
    func severalWithoutTag() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let layout = try builder.index([try builder.image("a", tag: "a"), try builder.image("b", tag: "b")])
        let error = thrownError { try layout.resolve(tag: nil, platform: Self.amd64) }
        #expect(error?.contains("several images") == true, "\(error ?? "resolved")")
        #expect(error?.contains("LAYOUT:TAG") == true && error?.contains("tags: a, b") == true, "\(error ?? "")")
    }

    @Test("without a tag, descriptors with platforms are chosen by platform")
    func byPlatformInIndex() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let layout = try builder.index([
            try builder.image("amd64", descriptorPlatform: Self.amd64),
            try builder.image("arm64", architecture: "arm64", variant: "v8", descriptorPlatform: Self.arm64),
        ])
        #expect(try Self.resolve(layout, tag: nil, Self.amd64) == "amd64")
        #expect(try Self.resolve(layout, tag: nil, Self.arm64) == "arm64")
        #expect(try Self.resolve(layout, tag: nil, Platform(os: "linux", architecture: "arm64")) == "arm64")
        let error = thrownError { try layout.resolve(tag: nil, platform: Platform(os: "linux", architecture: "s390x")) }
        #expect(error?.contains("no image for linux/s390x") == true, "\(error ?? "resolved")")
        #expect(error?.contains("linux/amd64") == true && error?.contains("linux/arm64/v8") == true, "\(error ?? "")")
    }

    @Test("one tag on several descriptors (one per platform) is resolved by platform")
    func sameTagPerPlatform() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let layout = try builder.index([
            try builder.image("arm64", architecture: "arm64", variant: "v8", descriptorPlatform: Self.arm64, tag: "multi"),
            try builder.image("amd64", descriptorPlatform: Self.amd64, tag: "multi"),
        ])
        #expect(try Self.resolve(layout, tag: "multi", Self.amd64) == "amd64")
        #expect(try Self.resolve(layout, tag: "multi", Self.arm64) == "arm64")
    }

    @Test("a tag on a nested index is followed to the image for the platform, keeping the tag")
    func nestedIndex() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let nested = try builder.nestedIndex([
            try builder.image("arm64", architecture: "arm64", variant: "v8", descriptorPlatform: Self.arm64),
            try builder.image("amd64", descriptorPlatform: Self.amd64),
        ], tag: "multi")
        let layout = try builder.index([nested, try builder.image("other", tag: "other")])
        #expect(try Self.resolve(layout, tag: "multi", Self.amd64) == "amd64")
        #expect(try Self.resolve(layout, tag: "multi", Self.arm64) == "arm64")
        #expect(try layout.resolve(tag: "multi", platform: Self.arm64).tag == "multi")
        let error = thrownError { try layout.resolve(tag: "multi", platform: Platform(os: "windows", architecture: "amd64")) }
        #expect(error?.contains("no image for windows/amd64") == true, "\(error ?? "resolved")")
    }

    @Test("indexes nested twice are followed too")
    func doublyNested() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let inner = try builder.nestedIndex([try builder.image("deep", descriptorPlatform: Self.amd64)])
        let outer = try builder.nestedIndex([inner], tag: "deep")
        let layout = try builder.index([outer])
        #expect(try Self.resolve(layout, tag: "deep") == "deep")
        #expect(try Self.resolve(layout, tag: nil) == "deep")
    }

    @Test("an image whose config is for another platform than asked is refused with a hint")
    func configPlatformMismatch() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let layout = try builder.index([try builder.image("arm", architecture: "arm64", tag: "x")])
        let error = thrownError { try layout.resolve(tag: "x", platform: Self.amd64) }
        #expect(error?.contains("is for linux/arm64, not linux/amd64") == true, "\(error ?? "resolved")")
        #expect(try Self.resolve(layout, tag: "x", Platform(os: "linux", architecture: "arm64")) == "arm")
    }

    @Test("an index listing nothing is an error")
    func emptyIndex() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let layout = try builder.index([])
        #expect(thrownError { try layout.resolve(tag: nil, platform: Self.amd64) }?.contains("lists no images") == true)
    }

    @Test("blob reads are verified: a changed manifest, config or layer is refused")
    func verifiedReads() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let descriptor = try builder.image("x", tag: "x")
        let layout = try builder.index([descriptor])
        let manifestPath = layout.blobPath(descriptor.digest)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        bytes[bytes.count / 2] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: manifestPath))
        let error = thrownError { try layout.resolve(tag: "x", platform: Self.amd64) }
        #expect(error?.contains("digest mismatch") == true, "\(error ?? "resolved")")
        // A short blob is reported by its size.
        try Data(bytes.dropLast()).write(to: URL(fileURLWithPath: manifestPath))
        let short = thrownError { try layout.resolve(tag: "x", platform: Self.amd64) }
        #expect(short?.contains("\(bytes.count - 1) bytes, but its descriptor says \(bytes.count)") == true, "\(short ?? "resolved")")
        try FileManager.default.removeItem(atPath: manifestPath)
        #expect(thrownError { try layout.resolve(tag: "x", platform: Self.amd64) }?.contains("missing") == true)
    }

    @Test("a layer reader verifies the blob as it streams (a changed byte fails the read)")
    func verifiedLayerStream() throws {
        let directory = try Scratch()
        let writer = try OCILayoutWriter(directory: "\(directory.path)/layout")
        let tar = try TestTar.bytes([.file("big", String(repeating: "0123456789abcdef", count: 1 << 16))], compression: .gzip)
        let layer = try writer.writeBlob(tar, mediaType: MediaType.layerGzip)
        try writer.writeIndex([])
        let layout = try OCILayout(path: "\(directory.path)/layout")
        var changed = tar
        changed[changed.count - 3] ^= 0xFF  // in the gzip trailer (the uncompressed size)
        try Data(changed).write(to: URL(fileURLWithPath: layout.blobPath(layer.digest)))
        let error = thrownError { () -> Void in
            let reader = try layout.layerReader(layer)
            while try reader.next() != nil { try reader.skipData() }
            try reader.finish()
        }
        #expect(error?.contains("digest mismatch") == true, "\(error ?? "read without error")")
    }

    @Test("the layout header and index are checked when a layout is opened", arguments: [
        ("oci-layout", #"{"imageLayoutVersion":"2.0.0"}"#, "is not 1.0.0"),
        ("oci-layout", #"{}"#, "imageLayoutVersion is required"),
        ("oci-layout", #"{"imageLayoutVersion":"1.0.0","extra":true}"#, ""),
        ("index.json", #"{"schemaVersion":2}"#, "manifests is required"),
        ("index.json", #"not json"#, "index.json"),
    ])
    func layoutFiles(_ file: String, _ content: String, _ problem: String) throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        _ = try builder.index([])
        try directory.write("layout/\(file)", content)
        let error = thrownError { try OCILayout(path: builder.root) }
        if problem.isEmpty {
            #expect(error == nil, "\(error ?? "")")
        } else {
            #expect(error?.contains(problem) == true, "\(error ?? "opened")")
        }
    }

    @Test("a directory without oci-layout, or without blobs/, is not a layout")
    func notALayout() throws {
        let directory = try Scratch()
        try directory.write("plain/file", "x")
        #expect(thrownError { try OCILayout(path: "\(directory.path)/plain") }?.contains("not an OCI image layout") == true)
        let builder = try OCITestLayout(directory)
        _ = try builder.index([])
        try FileManager.default.removeItem(atPath: "\(builder.root)/blobs")
        #expect(thrownError { try OCILayout(path: builder.root) }?.contains("no blobs/ directory") == true)
    }
}

/// Complete validation of layouts, tags among it (their grammar is checked by validate).
@Suite("OCI layout validation")
struct OCILayoutValidatorTests {
    static func layout(tag: String?) throws -> (Scratch, String) {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        _ = try builder.index([try builder.image("x", tag: tag)])
        return (directory, builder.root)
    }

    @Test("tags following the grammar validate", arguments: [
        "latest", "v1.0.0", "1", "a-b", "a--b", "a_b", "a.b", "a:b", "a@b", "a+b", "example.com/app:1.0", "a/b/c", "A1", "x--y--z",
        "sha256-abc", "Z9",
    ])
    func validTag(_ tag: String) throws {
        let (directory, root) = try Self.layout(tag: tag)
        defer { withExtendedLifetime(directory) {} }
        #expect(try OCILayoutValidator.validate(root) == 1)
    }

    @Test("tags outside the grammar are refused", arguments: [
        "", "-a", "a-", ".a", "a.", "a..b", "a---b", "a-.b", "/a", "a/", "a//b", "a b", "a\tb", "é", "a/-b", "a:", ":a", "a#b", "a!b",
    ])
    func invalidTag(_ tag: String) throws {
        let (directory, root) = try Self.layout(tag: tag)
        defer { withExtendedLifetime(directory) {} }
        let error = thrownError { try OCILayoutValidator.validate(root) }
        #expect(error?.contains("invalid tag") == true, "\(tag): \(error ?? "accepted")")
        #expect(error?.contains("\"\(tag)\"") == true || tag.contains("\t"), "\(error ?? "")")
    }

    @Test("a valid layout counts its images, nested indexes included; unknown files and media types are not errors")
    func counts() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let nested = try builder.nestedIndex([try builder.image("a", descriptorPlatform: Platform(os: "linux", architecture: "amd64")),
                                              try builder.image("b", architecture: "arm64", descriptorPlatform: Platform(os: "linux", architecture: "arm64"))],
                                             tag: "multi")
        let artifact = try builder.writer.writeBlob(Array("opaque".utf8), mediaType: "application/vnd.example.thing")
        _ = try builder.index([nested, try builder.image("c", tag: "c"), artifact])
        try directory.write("layout/manifest.json", "[]")
        #expect(try OCILayoutValidator.validate(builder.root) == 3)
    }

    @Test("a blob whose content does not match its name is refused")
    func blobMismatch() throws {
        let (directory, root) = try Self.layout(tag: "x")
        try directory.write("layout/blobs/sha256/" + String(repeating: "a", count: 64), "not that")
        let error = thrownError { try OCILayoutValidator.validate(root) }
        #expect(error?.contains("blob sha256:\(String(repeating: "a", count: 64)): digest mismatch") == true, "\(error ?? "accepted")")
    }

    @Test("a blob file whose name is not a digest is refused")
    func blobName() throws {
        let (directory, root) = try Self.layout(tag: "x")
        try directory.write("layout/blobs/sha256/notadigest", "x")
        let error = thrownError { try OCILayoutValidator.validate(root) }
        #expect(error?.contains("blobs/sha256/notadigest: not a valid digest name") == true, "\(error ?? "accepted")")
    }

    @Test("a manifest with no layers is refused (image-spec schema: layers minItems 1)")
    func noLayers() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let config = try builder.writer.writeJSON(ImageConfig(os: "linux", architecture: "amd64", config: .init(), diffIDs: []).json,
                                                  mediaType: MediaType.imageConfig)
        let manifest = try builder.writer.writeJSON(OCIManifest(config: config, layers: []).json, mediaType: MediaType.imageManifest)
        _ = try builder.index([manifest])
        let error = thrownError { try OCILayoutValidator.validate(builder.root) }
        #expect(error?.contains("at least one layer is required") == true, "\(error ?? "accepted")")
    }

    @Test("a layer whose content is not its diff_id is refused")
    func diffIDMismatch() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let tar = try TestTar.bytes([.file("a", "a")])
        let layer = try builder.writer.writeBlob(tar, mediaType: MediaType.layer)
        let wrong = Digest.sha256(Array("something else".utf8))
        let config = try builder.writer.writeJSON(ImageConfig(os: "linux", architecture: "amd64", config: .init(), diffIDs: [wrong]).json,
                                                  mediaType: MediaType.imageConfig)
        let manifest = try builder.writer.writeJSON(OCIManifest(config: config, layers: [layer]).json, mediaType: MediaType.imageManifest)
        _ = try builder.index([manifest])
        let error = thrownError { try OCILayoutValidator.validate(builder.root) }
        #expect(error?.contains("uncompresses to \(Digest.sha256(tar))") == true, "\(error ?? "accepted")")
        #expect(error?.contains("diff_id is \(wrong)") == true, "\(error ?? "")")
    }

    @Test("as many diff_ids as layers, and only layer media types in layers")
    func layerList() throws {
        let directory = try Scratch()
        let builder = try OCITestLayout(directory)
        let tar = try TestTar.bytes([.file("a", "a")])
        let layer = try builder.writer.writeBlob(tar, mediaType: MediaType.layer)
        let config = try builder.writer.writeJSON(ImageConfig(os: "linux", architecture: "amd64", config: .init(),
                                                              diffIDs: [Digest.sha256(tar), Digest.sha256(tar)]).json,
                                                  mediaType: MediaType.imageConfig)
        let twoIDs = try builder.writer.writeJSON(OCIManifest(config: config, layers: [layer]).json, mediaType: MediaType.imageManifest)
        _ = try builder.index([twoIDs])
        #expect(thrownError { try OCILayoutValidator.validate(builder.root) }?.contains("1 layers but config") == true)
        var notLayer = layer
        notLayer.mediaType = "application/octet-stream"
        let oneID = try builder.writer.writeJSON(ImageConfig(os: "linux", architecture: "amd64", config: .init(), diffIDs: [Digest.sha256(tar)]).json,
                                                 mediaType: MediaType.imageConfig)
        let wrongType = try builder.writer.writeJSON(OCIManifest(config: oneID, layers: [notLayer]).json, mediaType: MediaType.imageManifest)
        _ = try builder.index([wrongType])
        #expect(thrownError { try OCILayoutValidator.validate(builder.root) }?.contains("is not a layer media type") == true)
    }

    @Test("a descriptor whose blob is missing, or of another size, is refused")
    func missingBlob() throws {
        let (directory, root) = try Self.layout(tag: "x")
        defer { withExtendedLifetime(directory) {} }
        let layout = try OCILayout(path: root)
        let manifest = try OCIManifest.decode(try layout.readBlob(layout.index.manifests[0]))
        try FileManager.default.removeItem(atPath: layout.blobPath(manifest.layers[0].digest))
        let error = thrownError { try OCILayoutValidator.validate(root) }
        #expect(error?.contains("missing") == true && error?.contains(manifest.layers[0].digest.description) == true, "\(error ?? "accepted")")
    }
}
