/// The value of a `resource/*` isolator: `{"default", "request", "limit"}` quantities.
public struct ResourceValue: Sendable, Hashable {
    public var isDefault: Bool
    public var request: Quantity?
    public var limit: Quantity?

    public init(isDefault: Bool = false, request: Quantity? = nil, limit: Quantity? = nil) {
        self.isDefault = isDefault
        self.request = request
        self.limit = limit
    }

    init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        isDefault = try reader.bool("default") ?? false
        request = try Self.quantity("request", reader)
        limit = try Self.quantity("limit", reader)
    }

    /// A quantity member, read from its JSON text as written.
    private static func quantity(_ key: String, _ reader: JSONObjectReader) throws -> Quantity? {
        var result: Quantity?
        for member in reader.matching(key) {
            result = try JSONDecodingError.at(.key(key)) { try Quantity.decode(member.value, source: member.source) }
        }
        return result
    }
}
