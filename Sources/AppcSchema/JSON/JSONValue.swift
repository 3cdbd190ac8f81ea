/// A parsed JSON document that keeps what the appc and OCI formats need to stay byte-faithful:
/// object members in their original order (duplicates included), numbers as their literal text,
/// and, for each member, the exact bytes its value was written with.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, as the literal text it was written with (`1e3`, `-0.5`, `42`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; a key may appear more than once.
    case object([JSONMember])
    /// Compact JSON bytes written as they are (used when encoding, never produced by the parser).
    case encoded([UInt8])

    /// A short name of the value's kind, for error messages ("a string", "an object").
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object, .encoded: return "an object"
        }
    }

    /// Builds an object from key/value pairs, dropping pairs whose value is nil
    /// (the encoder's `omitempty`).
    public static func object(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(members(pairs))
    }

    /// The members for key/value pairs, dropping pairs whose value is nil.
    public static func members(_ pairs: KeyValuePairs<String, JSONValue?>) -> [JSONMember] {
        pairs.compactMap { key, value in value.map { JSONMember(key: key, value: $0) } }
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
    /// The bytes the value was written with in the source document (empty when built in code).
    public var source: ArraySlice<UInt8>

    public init(key: String, value: JSONValue, source: ArraySlice<UInt8> = []) {
        self.key = key
        self.value = value
        self.source = source
    }

    public static func == (lhs: JSONMember, rhs: JSONMember) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }
}
