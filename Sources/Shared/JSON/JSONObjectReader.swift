/// Reads the members of a JSON object with Go `encoding/json` semantics: keys match field names
/// case-insensitively, the last matching member wins, unknown members are ignored, and `null`
/// counts as absent.
public struct JSONObjectReader {
    public let members: [JSONMember]

    /// Fails unless `value` is an object.
    public init(_ value: JSONValue) throws {
        guard case .object(let members) = value else {
            throw JSONDecodingError("expected an object, got \(value.kindDescription)")
        }
        self.members = members
    }

    /// The last member whose key matches `key` (exactly or ignoring case), null or not.
    public func member(_ key: String) -> JSONMember? {
        let folded = key.lowercased()
        return members.last { $0.key == key || $0.key.lowercased() == folded }
    }

    /// The value of `key`, or nil when it is absent or null.
    public func value(_ key: String) -> JSONValue? {
        guard let value = member(key)?.value, value != .null else { return nil }
        return value
    }

    /// Decodes the value of `key` with `transform`, prefixing errors with the key; nil when absent or null.
    public func decode<T>(_ key: String, _ transform: (JSONValue) throws -> T) throws -> T? {
        guard let value = value(key) else { return nil }
        return try JSONDecodingError.at(.key(key)) { try transform(value) }
    }

    /// Decodes a `JSONRepresentable` member; nil when absent or null.
    public func decode<T: JSONRepresentable>(_ key: String, as type: T.Type = T.self) throws -> T? {
        try decode(key) { try T(json: $0) }
    }

    /// Decodes an array member element by element; nil when absent or null.
    public func array<T>(_ key: String, _ transform: (JSONValue) throws -> T) throws -> [T]? {
        try decode(key) { try $0.arrayValue(transform) }
    }

    /// Decodes an array of `JSONRepresentable` elements; nil when absent or null.
    public func array<T: JSONRepresentable>(_ key: String, of type: T.Type = T.self) throws -> [T]? {
        try array(key) { try T(json: $0) }
    }

    public func string(_ key: String) throws -> String? { try decode(key) { try $0.stringValue() } }
    public func bool(_ key: String) throws -> Bool? { try decode(key) { try $0.boolValue() } }
    public func int(_ key: String) throws -> Int? { try decode(key) { try $0.intValue() } }
    public func uint(_ key: String) throws -> UInt? { try decode(key) { try $0.uintValue() } }
}

extension JSONValue {
    /// The string, or an error naming the kind found instead.
    public func stringValue() throws -> String {
        guard case .string(let text) = self else { throw mismatch("a string") }
        return text
    }

    public func boolValue() throws -> Bool {
        guard case .bool(let flag) = self else { throw mismatch("a boolean") }
        return flag
    }

    /// A 64-bit signed integer written without fraction or exponent (Go's `int`).
    public func intValue() throws -> Int {
        guard case .number(let literal) = self else { throw mismatch("an integer") }
        guard let number = Int(literal) else {
            throw JSONDecodingError("expected an integer, got \(literal)")
        }
        return number
    }

    /// A 64-bit unsigned integer written without fraction or exponent (Go's `uint`).
    public func uintValue() throws -> UInt {
        guard case .number(let literal) = self else { throw mismatch("a non-negative integer") }
        guard let number = UInt(literal) else {
            throw JSONDecodingError("expected a non-negative integer, got \(literal)")
        }
        return number
    }

    /// The elements decoded with `transform`, errors prefixed with the element's index.
    public func arrayValue<T>(_ transform: (JSONValue) throws -> T) throws -> [T] {
        guard case .array(let elements) = self else { throw mismatch("an array") }
        return try elements.enumerated().map { position, element in
            try JSONDecodingError.at(.index(position)) { try transform(element) }
        }
    }

    /// An array of strings.
    public func stringArrayValue() throws -> [String] {
        try arrayValue { try $0.stringValue() }
    }

    private func mismatch(_ expected: String) -> JSONDecodingError {
        JSONDecodingError("expected \(expected), got \(kindDescription)")
    }
}
