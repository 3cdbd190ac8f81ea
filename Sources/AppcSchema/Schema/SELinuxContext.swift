/// The value of an `os/linux/selinux-context` isolator.
public struct SELinuxContext: Sendable, Hashable {
    public var user: String
    public var role: String
    public var type: String
    public var level: String

    init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        user = try reader.string("user") ?? ""
        role = try reader.string("role") ?? ""
        type = try reader.string("type") ?? ""
        level = try reader.string("level") ?? ""
        for (field, value) in [("user", user), ("role", role), ("type", type)] where value.isEmpty || value.contains(":") {
            throw JSONDecodingError("invalid \(field) value \(quoted(value))")
        }
        if level.isEmpty { throw JSONDecodingError("invalid level value \"\"") }
    }
}
