/// A type read from and written to JSON with explicit, rule-checking code rather than `Codable`:
/// Go-compatible key matching, validation with precise error paths, and a canonical field order.
public protocol JSONRepresentable: Sendable {
    /// Decodes and validates; errors carry paths relative to `json`.
    init(json: JSONValue) throws
    /// The canonical encoding (field order and omissions of the reference implementation).
    var json: JSONValue { get }
    /// What a `null` member of this type does (Go: types with their own decoder see the null).
    static var nullPolicy: JSONObjectReader.NullPolicy { get }
}

extension JSONRepresentable {
    public static var nullPolicy: JSONObjectReader.NullPolicy { .reset }

    /// Decodes an array element: a `null` element is the type's zero value, as in Go.
    public static func decodeElement(_ json: JSONValue) throws -> Self {
        guard json == .null else { return try Self(json: json) }
        return try Self(json: nullPolicy == .decode ? .null : .object([]))
    }

    /// Parses and decodes a whole document; syntax errors become `JSONDecodingError`s naming line and column.
    public static func decode(_ bytes: [UInt8]) throws -> Self {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw JSONDecodingError("malformed JSON: \(error)")
        }
        return try Self(json: value)
    }

    /// The compact canonical bytes.
    public var compactJSON: [UInt8] { JSONWriter.compact(json) }
}

extension Array where Element: JSONRepresentable {
    /// The elements' encodings as a JSON array.
    public var json: JSONValue { .array(map(\.json)) }

    /// The array's encoding, or nil when empty (the encoder's `omitempty`).
    public var jsonUnlessEmpty: JSONValue? { isEmpty ? nil : json }
}
