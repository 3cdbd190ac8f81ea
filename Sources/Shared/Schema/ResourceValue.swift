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
        request = try reader.decode("request") { try Quantity.decode($0) } ?? nil
        limit = try reader.decode("limit") { try Quantity.decode($0) } ?? nil
    }
}
