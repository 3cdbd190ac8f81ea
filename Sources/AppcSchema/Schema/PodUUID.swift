/// A pod UUID (RFC 4122): parsed from 32 hex digits with any dashes, written lower case 8-4-4-4-12.
public struct PodUUID: JSONRepresentable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(_ text: String) throws {
        let hex = Array(text.utf8.filter { $0 != UInt8(ascii: "-") })
        guard hex.count == 32 else { throw JSONDecodingError("bad UUID length != 32 (got \(quoted(text)))") }
        guard hex.allSatisfy(\.isHexDigit) else { throw JSONDecodingError("invalid hex in UUID \(quoted(text))") }
        let bytes = stride(from: 0, to: 32, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
        if bytes.allSatisfy({ $0 == 0 }) { throw JSONDecodingError("UUID cannot be empty") }
        self.bytes = bytes
    }

    /// A new random (version 4) UUID.
    public static func random() -> PodUUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return PodUUID(validBytes: bytes)
    }

    private init(validBytes: [UInt8]) { bytes = validBytes }

    public init(json: JSONValue) throws { try self.init(json.stringValue()) }

    public static var nullPolicy: JSONObjectReader.NullPolicy { .decode }

    public var json: JSONValue { .string(description) }

    public var description: String {
        let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            hex.dropFirst(range.lowerBound).prefix(range.count)
        }
        return groups.joined(separator: "-")
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    public func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
