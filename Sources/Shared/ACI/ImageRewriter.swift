/// Copies an image archive member by member, replacing the manifest with new bytes and keeping
/// every other member's header and data exactly as read. The input is fully checked on the way
/// (`ImageArchiveScanner`), so a hostile archive is refused rather than copied.
public enum ImageRewriter {
    /// `transform` receives the manifest's bytes and decoded form and returns the bytes to store.
    public static func rewrite(
        _ reader: ArchiveReader, to writer: ArchiveWriter,
        transform: ([UInt8], ImageManifest) throws -> [UInt8]
    ) throws {
        _ = try ImageArchiveScanner.scan(reader) { member in
            switch member {
            case .manifest(let bytes, let manifest):
                let replacement = try transform(bytes, manifest)
                try writer.writeHeader(copyingFrom: reader, size: Int64(replacement.count))
                try writer.writeData(replacement)
            case .other:
                try writer.writeHeader(copyingFrom: reader)
                try writer.writeData(copyingFrom: reader)
            }
        }
        try writer.finish()
    }
}
