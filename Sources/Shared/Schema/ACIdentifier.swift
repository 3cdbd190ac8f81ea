/// An AC Identifier: image names and the names of labels, annotations and isolators
/// (`example.com/app`, `os`, `resource/memory`).
///
/// The spec documents `^[a-z0-9]+([-._~/][a-z0-9]+)*$`; like the reference implementation we
/// check the character set and the first and last characters only, so `a..b` is accepted.
public struct ACIdentifier: JSONRepresentable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) throws {
        if value.isEmpty { throw JSONDecodingError("ACIdentifier cannot be empty") }
        let separators: Set<UInt8> = Set("-._~/".utf8)
        for byte in value.utf8 where !(Self.isLowerAlphanumeric(byte) || separators.contains(byte)) {
            throw JSONDecodingError("ACIdentifier must contain only lower case alphanumeric characters plus \"-._~/\" (got \(quoted(value)))")
        }
        if let first = value.utf8.first, let last = value.utf8.last,
           !Self.isLowerAlphanumeric(first) || !Self.isLowerAlphanumeric(last) {
            throw JSONDecodingError("ACIdentifier must start and end with only lower case alphanumeric characters (got \(quoted(value)))")
        }
        self.value = value
    }

    public init(json: JSONValue) throws { try self.init(json.stringValue()) }

    public var json: JSONValue { .string(value) }
    public var description: String { value }

    public static func < (lhs: ACIdentifier, rhs: ACIdentifier) -> Bool { lhs.value < rhs.value }

    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// A string in double quotes with Go's `%q` escaping of quotes and backslashes, for messages.
public func quoted(_ text: String) -> String {
    var bytes: [UInt8] = []
    JSONWriter.writeString(text, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}
