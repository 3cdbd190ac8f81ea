import Foundation
import Shared
import TestSupport

/// Small app container images for unit tests, written with the suite's own archive writer: the
/// same arguments always give the same bytes (fixed times and owners).
enum TestImage {
    /// An image manifest named `name` with a version label.
    static func manifest(_ name: String = "example.com/app", version: String = "1.0.0") -> String {
        #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"\#(name)","labels":[{"name":"version","value":"\#(version)"}]}"#
    }

    /// The tar of an image: `manifest`, `rootfs/` and one file `rootfs/content` holding `content`.
    static func tar(manifest: String = manifest(), content: String = "", compression: Compression = .none) throws -> [UInt8] {
        try TestTar.bytes([.file("manifest", manifest), .directory("rootfs"), .file("rootfs/content", content)], compression: compression)
    }

    /// The image ID the store gives an image whose uncompressed tar is `tar`.
    static func key(of tar: [UInt8]) -> String {
        "sha512-" + ContentHasher.hex(.sha512, of: tar).prefix(64)
    }

    /// Writes an image into the scratch directory; returns its path.
    static func write(_ scratch: Scratch, _ name: String, _ bytes: [UInt8]) throws -> String {
        try scratch.write(name, Data(bytes))
    }
}
