/// One layer of an image to apply: a name for messages and a way to open a verifying reader.
public struct LayerSource {
    public let name: String
    public let open: () throws -> ArchiveReader

    public init(name: String, open: @escaping () throws -> ArchiveReader) {
        self.name = name
        self.open = open
    }
}
