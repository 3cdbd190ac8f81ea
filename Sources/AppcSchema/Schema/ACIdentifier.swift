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

    public static var nullPolicy: JSONObjectReader.NullPolicy { .decode }

    public var json: JSONValue { .string(value) }
    public var description: String { value }

    public static func < (lhs: ACIdentifier, rhs: ACIdentifier) -> Bool { lhs.value < rhs.value }

    /// `a`–`z` or `0`–`9`.
    public static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// A string quoted as Go's `%q` does: `"` and `\\` escaped, control and non-printable characters
/// as `\n`, `\t`, `\xNN`, `\uNNNN` or `\UNNNNNNNN`, printable Unicode kept. For messages.
public func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\u{07}": result += "\\a"
        case "\u{08}": result += "\\b"
        case "\u{0C}": result += "\\f"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\u{0B}": result += "\\v"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            } else if isPrintable(scalar) {
                result.unicodeScalars.append(scalar)
            } else if scalar.value < 0x10000 {
                result += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            } else {
                result += "\\U" + String(scalar.value, radix: 16).leftPadded(to: 8)
            }
        }
    }
    return result + "\""
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
private func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .spaceSeparator, .lineSeparator, .paragraphSeparator:
        return false
    default:
        return true
    }
}
