/// An image ID (appc "Hash"): `sha512-<hex>`, the SHA-512 of the uncompressed image tar.
///
/// Parsed as the reference does: exactly one `-`, the algorithm `sha512`, a non-empty value.
/// The store keys images by the first 64 hex digits (`storeKey`); tools display 32 (`short`).
public struct ImageID: JSONRepresentable, Hashable, CustomStringConvertible {
    public let algorithm: String
    public let value: String

    public init(_ text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw JSONDecodingError("badly formatted hash string (got \(quoted(text)))") }
        switch parts[0] {
        case "sha512": break
        case "": throw JSONDecodingError("unexpected empty hash type")
        default: throw JSONDecodingError("unrecognized hash type: \(parts[0])")
        }
        if parts[1].isEmpty { throw JSONDecodingError("unexpected empty hash value") }
        algorithm = String(parts[0])
        value = String(parts[1])
    }

    /// An ID from raw SHA-512 hex digits.
    public init(sha512Hex: String) {
        algorithm = "sha512"
        value = sha512Hex
    }

    public init(json: JSONValue) throws { try self.init(json.stringValue()) }

    public static var nullPolicy: JSONObjectReader.NullPolicy { .decode }

    public var json: JSONValue { .string(description) }
    public var description: String { "\(algorithm)-\(value)" }

    /// `sha512-` and the first 64 hex digits: the key of the image in the store.
    public var storeKey: String { String(description.prefix(7 + 64)) }

    /// `sha512-` and the first 32 hex digits, as `rkt fetch` prints it.
    public var short: String { String(description.prefix(7 + 32)) }
}
