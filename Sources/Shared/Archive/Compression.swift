/// The compressions an image archive may come in, and content sniffing by magic bytes.
public enum Compression: String, Sendable, CaseIterable {
    case none, gzip, bzip2, xz, zstd

    /// What the first bytes of a file say it is.
    public enum Sniffed: Sendable, Equatable {
        case compressed(Compression)
        case tar
        case text
        case unknown
    }

    /// How many bytes `sniff` wants to see (fewer at end of file is fine).
    public static let sniffLength = 512

    /// Looks at the magic numbers: gzip `1f8b`, bzip2 `BZh`, xz `fd377a585a00`, zstd `28b52ffd`,
    /// `ustar` at offset 257, else text when it is printable UTF-8.
    public static func sniff(_ head: ArraySlice<UInt8>) -> Sniffed {
        let bytes = Array(head.prefix(sniffLength))
        if bytes.starts(with: [0x1F, 0x8B]) { return .compressed(.gzip) }
        if bytes.starts(with: [0x42, 0x5A, 0x68]) { return .compressed(.bzip2) }
        if bytes.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .compressed(.xz) }
        if bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .compressed(.zstd) }
        if bytes.count > 262, Array(bytes[257..<262]) == Array("ustar".utf8) { return .tar }
        if !bytes.isEmpty, isText(bytes) { return .text }
        return .unknown
    }

    /// Printable UTF-8 (tabs and line breaks allowed); a character cut by the sniff window is fine.
    private static func isText(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(where: { ($0 < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains($0)) || $0 == 0x7F }) {
            return false
        }
        let cuttable = bytes.count == sniffLength ? 3 : 0
        return (0...cuttable).contains { String(validating: bytes.dropLast($0), as: UTF8.self) != nil }
    }
}
