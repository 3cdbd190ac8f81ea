import Shared
import TestSupport

/// Builds OCI layouts for unit tests with the suite's writer: each image is one layer (a tar of one
/// file naming it), a config for a platform, and a manifest; `index.json` lists what the test says.
final class OCITestLayout {
    let root: String
    let writer: OCILayoutWriter

    init(_ directory: Scratch, name: String = "layout") throws {
        root = "\(directory.path)/\(name)"
        writer = try OCILayoutWriter(directory: root)
    }

    /// An image whose rootfs holds `/image` = `label`; returns its manifest descriptor (with
    /// `platform` and `tag`, if given, on the descriptor).
    func image(_ label: String, os: String = "linux", architecture: String = "amd64", variant: String? = nil,
               descriptorPlatform: Platform? = nil, tag: String? = nil) throws -> Descriptor {
        let tar = try TestTar.bytes([.file("image", label)])
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
