import Foundation
import GRDB

/// An image of the store's index.
public struct ImageRecord: Codable, Sendable, Equatable, FetchableRecord {
    /// `sha512-` and 64 hex digits: the first half of the SHA-512 of the uncompressed image tar.
    public var key: String
    public var name: String
    /// The labels, as the manifest's JSON array.
    public var labels: String
    /// The image manifest, exactly as stored in the image.
    public var manifest: Data
    /// Nanoseconds since the epoch.
    public var importTime: Int64
    public var lastUsed: Int64
    /// Size of the stored (uncompressed) image.
    public var size: Int64
    /// Size of its rendered tree, 0 when not rendered.
    public var treeStoreSize: Int64
    /// Fetched by name without a version: preferred when a name is asked for without one.
    public var latest: Bool

    /// The decoded manifest.
    public func decodedManifest() throws -> ImageManifest {
        try ImageManifest.decode(Array(manifest))
    }

    /// The manifest's labels, from the index's copy (no manifest to decode).
    public func decodedLabels() -> Labels {
        (try? Labels.decode(Array(labels.utf8))) ?? (try! Labels())
    }

    /// The value of a label, if the image has it.
    public func label(_ name: String) -> String? {
        decodedLabels()[name]
    }

    /// The image ID.
    public var id: ImageID { ImageID(sha512Hex: String(key.dropFirst("sha512-".count))) }
}
