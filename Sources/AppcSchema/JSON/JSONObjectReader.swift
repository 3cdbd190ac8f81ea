/// Reads the members of a JSON object with Go `encoding/json` semantics: keys match field names
/// case-insensitively (with Go's folding), every matching member is decoded in order (so an
/// invalid earlier duplicate is still an error) and the last one wins, unknown members are
/// ignored, and `null` acts as Go's decoder does for the field's kind (`NullPolicy`).
public struct JSONObjectReader {
    /// What a `null` member does, by the kind of Go field it would land in.
    public enum NullPolicy: Sendable {
        /// Pointers, slices and maps: back to absent.
        case reset
        /// Plain values (strings, numbers, booleans, structs): nothing, an earlier value stays.
        case keep
        /// Values with their own decoder (names, versions, hashes): decoded, usually an error.
        case decode
    }

    public let members: [JSONMember]

    /// Fails unless `value` is an object.
    public init(_ value: JSONValue) throws {
        guard case .object(let members) = value else {
            throw JSONDecodingError("expected an object, got \(value.kindDescription)")
        }
        self.members = members
    }

    /// The members whose key matches `key` (exactly or by Go's case folding), in order.
    public func matching(_ key: String) -> [JSONMember] {
        let folded = Self.fold(key)
        return members.filter { $0.key == key || Self.fold($0.key) == folded }
    }

    /// The last member whose key matches `key`, null or not.
    public func member(_ key: String) -> JSONMember? { matching(key).last }

    /// The value of the last non-null member for `key`.
    public func value(_ key: String) -> JSONValue? {
        matching(key).last { $0.value != .null }?.value
    }

    /// Decodes every member for `key` with `transform` (errors prefixed with the key) and returns
    /// the last result; nil when absent (or reset by `null`).
    public func decode<T>(_ key: String, null policy: NullPolicy = .reset, _ transform: (JSONValue) throws -> T) throws -> T? {
        var result: T?
        for member in matching(key) {
            if member.value == .null {
                switch policy {
                case .reset: result = nil
                case .keep: continue
                case .decode: result = try JSONDecodingError.at(.key(key)) { try transform(.null) }
                }
            } else {
                result = try JSONDecodingError.at(.key(key)) { try transform(member.value) }
            }
        }
        return result
    }

    /// Decodes a `JSONRepresentable` member (null as the type says, unless `null` overrides it).
    public func decode<T: JSONRepresentable>(_ key: String, as type: T.Type = T.self, null policy: NullPolicy? = nil) throws -> T? {
        try decode(key, null: policy ?? T.nullPolicy) { try T(json: $0) }
    }

    /// Decodes an array member element by element (null elements become zero values).
    public func array<T>(_ key: String, _ transform: (JSONValue) throws -> T) throws -> [T]? {
        try decode(key) { try $0.arrayValue(transform) }
    }

    /// Decodes an array of `JSONRepresentable` elements.
    public func array<T: JSONRepresentable>(_ key: String, of type: T.Type = T.self) throws -> [T]? {
        try array(key) { try T.decodeElement($0) }
    }

    public func string(_ key: String) throws -> String? { try decode(key, null: .keep) { try $0.stringValue() } }
    public func bool(_ key: String) throws -> Bool? { try decode(key, null: .keep) { try $0.boolValue() } }
    public func int(_ key: String) throws -> Int? { try decode(key, null: .keep) { try $0.intValue() } }
    public func uint(_ key: String) throws -> UInt? { try decode(key, null: .keep) { try $0.uintValue() } }

    /// Go's key folding: lower case, with the Kelvin sign and long s folding to `k` and `s`.
    static func fold(_ key: String) -> String {
        var folded = key.lowercased()
        if folded.unicodeScalars.contains(where: { $0 == "\u{212A}" || $0 == "\u{17F}" }) {
            folded = String(String.UnicodeScalarView(folded.unicodeScalars.map { $0 == "\u{212A}" ? "k" : $0 == "\u{17F}" ? "s" : $0 }))
        }
        return folded
    }
}

extension JSONValue {
    /// The string (`null` reads as the empty string, Go's zero value), or an error naming the kind found instead.
    public func stringValue() throws -> String {
        if self == .null { return "" }
        guard case .string(let text) = self else { throw mismatch("a string") }
        return text
    }

    public func boolValue() throws -> Bool {
        if self == .null { return false }
        guard case .bool(let flag) = self else { throw mismatch("a boolean") }
        return flag
    }

    /// A 64-bit signed integer written without fraction or exponent (Go's `int`).
    public func intValue() throws -> Int {
        if self == .null { return 0 }
        guard case .number(let literal) = self else { throw mismatch("an integer") }
        guard let number = Int(literal) else {
            throw JSONDecodingError("expected an integer, got \(literal)")
        }
        return number
    }

    /// A 64-bit unsigned integer written without fraction or exponent (Go's `uint`).
    public func uintValue() throws -> UInt {
        if self == .null { return 0 }
        guard case .number(let literal) = self else { throw mismatch("a non-negative integer") }
        guard !literal.hasPrefix("-"), let number = UInt(literal) else {
            throw JSONDecodingError("expected a non-negative integer, got \(literal)")
        }
        return number
    }

    /// The elements decoded with `transform`, errors prefixed with the element's index.
    public func arrayValue<T>(_ transform: (JSONValue) throws -> T) throws -> [T] {
        if self == .null { return [] }
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
