import Foundation
import Shared

/// Collects written bytes in memory.
final class OCIMemorySink: ByteSink {
    var bytes: [UInt8] = []
    func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
    func finish() throws {}
}

/// One member of a test tar: its header and, for regular files, its content.
struct OCITarMember {
    var entry: ArchiveEntry
    var content: [UInt8] = []

    static func file(_ path: String, _ text: String, mode: UInt32 = 0o644, uid: Int64 = 0, gid: Int64 = 0, mtime: Int64 = 1_000_000) -> OCITarMember {
        let bytes = Array(text.utf8)
        return OCITarMember(entry: ArchiveEntry(path: path, type: .regular, permissions: mode, size: Int64(bytes.count), uid: uid, gid: gid,
                                                modificationTime: mtime), content: bytes)
    }

    static func directory(_ path: String, mode: UInt32 = 0o755, uid: Int64 = 0, gid: Int64 = 0, mtime: Int64 = 1_000_000) -> OCITarMember {
        OCITarMember(entry: ArchiveEntry(path: path, type: .directory, permissions: mode, uid: uid, gid: gid, modificationTime: mtime))
    }

    static func symlink(_ path: String, to target: String) -> OCITarMember {
        OCITarMember(entry: ArchiveEntry(path: path, type: .symlink, permissions: 0o777, modificationTime: 1_000_000, linkTarget: target))
    }

    static func hardlink(_ path: String, to target: String) -> OCITarMember {
        OCITarMember(entry: ArchiveEntry(path: path, type: .hardlink, permissions: 0o644, modificationTime: 1_000_000, linkTarget: target))
    }

    static func device(_ path: String, major: UInt32, minor: UInt32) -> OCITarMember {
        var entry = ArchiveEntry(path: path, type: .characterDevice, permissions: 0o666)
        entry.deviceMajor = major
        entry.deviceMinor = minor
        return OCITarMember(entry: entry)
    }

    /// A whiteout (an empty regular file).
    static func whiteout(_ path: String) -> OCITarMember { file(path, "", mode: 0) }
}

enum OCITestTar {
    /// A plain (or gzip) tar of `members`, written with the suite's own archive writer.
    static func bytes(_ members: [OCITarMember], compression: Compression = .none) throws -> [UInt8] {
        let sink = OCIMemorySink()
        let writer = try ArchiveWriter(sink: sink, compression: compression, name: "test layer")
        for member in members {
            try writer.writeHeader(member.entry)
            if !member.content.isEmpty { try writer.writeData(member.content) }
        }
        try writer.finish()
        return sink.bytes
    }
}

/// A temporary directory for one unit test (removed when the value goes away).
final class OCITestDirectory {
    let directory: TemporaryDirectory
    var path: String { directory.path }

    init() throws { directory = try TemporaryDirectory(prefix: "rkt-oci-unit") }

    func write(_ relative: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: "\(path)/\(relative)")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func write(_ relative: String, _ text: String) throws { try write(relative, Array(text.utf8)) }

    func read(_ relative: String) -> String? { try? String(contentsOfFile: "\(path)/\(relative)", encoding: .utf8) }

    func exists(_ relative: String) -> Bool { (try? FileManager.default.attributesOfItem(atPath: "\(path)/\(relative)")) != nil }
}

/// Builds OCI layouts for unit tests with the suite's writer: each image is one layer (a tar of one
/// file naming it), a config for a platform, and a manifest; `index.json` lists what the test says.
final class OCITestLayout {
    let root: String
    let writer: OCILayoutWriter

    init(_ directory: OCITestDirectory, name: String = "layout") throws {
        root = "\(directory.path)/\(name)"
        writer = try OCILayoutWriter(directory: root)
    }

    /// An image whose rootfs holds `/image` = `label`; returns its manifest descriptor (with
    /// `platform` and `tag`, if given, on the descriptor).
    func image(_ label: String, os: String = "linux", architecture: String = "amd64", variant: String? = nil,
               descriptorPlatform: Platform? = nil, tag: String? = nil) throws -> Descriptor {
        let tar = try OCITestTar.bytes([.file("image", label)])
        let layer = try writer.writeBlob(tar, mediaType: MediaType.layer)
        let config = ImageConfig(os: os, architecture: architecture, variant: variant, config: .init(), diffIDs: [Digest.sha256(tar)])
        let configDescriptor = try writer.writeJSON(config.json, mediaType: MediaType.imageConfig)
        var manifest = try writer.writeJSON(OCIManifest(config: configDescriptor, layers: [layer]).json, mediaType: MediaType.imageManifest)
        manifest.platform = descriptorPlatform
        if let tag { manifest.annotations[Descriptor.refNameAnnotation] = tag }
        return manifest
    }

    /// A nested index listing `manifests`; returns its descriptor (tagged `tag`).
    func nestedIndex(_ manifests: [Descriptor], tag: String? = nil) throws -> Descriptor {
        var descriptor = try writer.writeJSON(OCIIndex(manifests: manifests).json, mediaType: MediaType.imageIndex)
        if let tag { descriptor.annotations[Descriptor.refNameAnnotation] = tag }
        return descriptor
    }

    func index(_ manifests: [Descriptor]) throws -> OCILayout {
        try writer.writeIndex(manifests)
        return try OCILayout(path: root)
    }

    /// The `image` file of the resolved image's layer.
    static func label(of image: ResolvedImage, in layout: OCILayout) throws -> String {
        let reader = try layout.layerReader(image.manifest.layers[0])
        guard try reader.next() != nil else { return "" }
        let bytes = try reader.readAll(limit: 1024)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The description of the error decoding `text` as `T` throws, or nil when it decodes.
func ociDecodingError<T: JSONRepresentable>(_ type: T.Type, _ text: String) -> String? {
    do {
        _ = try T.decode(Array(text.utf8))
        return nil
    } catch {
        return "\(error)"
    }
}

/// The description of the error `body` throws, or nil when it returns.
func ociThrown<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return "\(error)"
    }
}

/// Decodes `text` as `T` (for documents that must be valid).
func ociDecoded<T: JSONRepresentable>(_ type: T.Type, _ text: String) throws -> T {
    try T.decode(Array(text.utf8))
}

/// The compact JSON encoding as text.
func ociCompact<T: JSONRepresentable>(_ value: T) -> String {
    String(decoding: value.compactJSON, as: UTF8.self)
}
