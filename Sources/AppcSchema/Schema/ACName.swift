/// An AC Name: app, volume, mount-point and port names (`nginx`, `work-dir`).
///
/// The spec documents `^[a-z0-9]+([-][a-z0-9]+)*$`; like the reference we check the character set
/// and the edges, so `a--b` is accepted.
public struct ACName: JSONRepresentable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) throws {
        if value.isEmpty { throw JSONDecodingError("ACName cannot be empty") }
        for byte in value.utf8 where !(ACIdentifier.isLowerAlphanumeric(byte) || byte == UInt8(ascii: "-")) {
            throw JSONDecodingError("ACName must contain only lower case alphanumeric characters plus \"-\" (got \(quoted(value)))")
        }
        if value.utf8.first == UInt8(ascii: "-") || value.utf8.last == UInt8(ascii: "-") {
            throw JSONDecodingError("ACName must start and end with only lower case alphanumeric characters (got \(quoted(value)))")
        }
        self.value = value
    }

    public init(json: JSONValue) throws { try self.init(json.stringValue()) }

    public static var nullPolicy: JSONObjectReader.NullPolicy { .decode }

    /// Turns any string into a valid name the way the reference's `SanitizeACName` does:
    /// lower case, invalid characters replaced by `-`, leading and trailing dashes removed.
    public static func sanitizing(_ text: String) throws -> ACName {
        var scalars = text.lowercased().unicodeScalars.map { scalar -> Unicode.Scalar in
            scalar.isASCII && ACIdentifier.isLowerAlphanumeric(UInt8(scalar.value)) ? scalar : "-"
        }
        while scalars.first == "-" { scalars.removeFirst() }
        while scalars.last == "-" { scalars.removeLast() }
        if scalars.isEmpty { throw JSONDecodingError("\(quoted(text)) must contain at least one valid character") }
        return try ACName(String(String.UnicodeScalarView(scalars)))
    }

    public var json: JSONValue { .string(value) }
    public var description: String { value }

    public static func < (lhs: ACName, rhs: ACName) -> Bool { lhs.value < rhs.value }
}
