/// A container image reference as tags carry it (`docker.io/library/busybox:latest`,
/// `example.com/app:1.0`, or a bare tag `latest`), turned into an appc name and version.
public struct ImageReference: Sendable, Equatable {
    public var name: String?
    public var tag: String?

    public init(_ text: String) {
        // A tag follows the last colon after the last slash; `host:port/repo` keeps its port.
        if let colon = text.lastIndex(of: ":"), !text[colon...].contains("/") {
            let before = String(text[..<colon])
            name = before.isEmpty ? nil : before
            tag = String(text[text.index(after: colon)...])
        } else if text.contains("/") || text.contains(".") && !text.allSatisfy({ $0.isNumber || $0 == "." }) {
            name = text
            tag = nil
        } else {
            name = nil
            tag = text
        }
        if let at = name?.firstIndex(of: "@") { name = String(name![..<at]) }
    }

    /// The appc name for `name`: lower case, characters outside the AC Identifier set replaced.
    public static func appcName(_ text: String) throws -> ACIdentifier {
        var bytes = text.lowercased().utf8.map { byte -> UInt8 in
            ACIdentifier.isLowerAlphanumeric(byte) || "-._~/".utf8.contains(byte) ? byte : UInt8(ascii: "-")
        }
        while let first = bytes.first, !ACIdentifier.isLowerAlphanumeric(first) { bytes.removeFirst() }
        while let last = bytes.last, !ACIdentifier.isLowerAlphanumeric(last) { bytes.removeLast() }
        return try ACIdentifier(String(decoding: bytes, as: UTF8.self))
    }
}
