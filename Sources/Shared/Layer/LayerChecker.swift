/// Checks an OCI layer by the rules `LayerApplier` enforces, writing nothing: names and hard links
/// that climb out of the image, whiteouts without a name and device nodes are refused, naming the
/// entry. Every member's data is read, so a corrupted or truncated stream fails too.
public enum LayerChecker {
    /// Checks every entry of the layer `name`, then finishes the reader (and so verifies it).
    public static func check(_ reader: ArchiveReader, name: String) throws {
        while let entry = try reader.next() {
            let failure = { (why: String) in LayerError.entry(layer: name, path: entry.path, reason: why) }
            if let path = try LayerApplier.relativePath(entry.path, failure), LayerApplier.split(path).base == ".wh." {
                throw failure("a whiteout without a name")
            }
            switch entry.type {
            case .hardlink: _ = try LayerApplier.hardLinkTarget(entry, failure)
            case .characterDevice, .blockDevice: throw failure("device nodes are not allowed in images")
            default: break
            }
            try reader.discardData()
        }
        try reader.finish()
    }
}
