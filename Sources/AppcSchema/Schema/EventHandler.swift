/// A command run around the app's main process: `pre-start` (must exit before the app starts)
/// or `post-stop` (after it stopped).
public struct EventHandler: JSONRepresentable, Hashable {
    public static let names = ["pre-start", "post-stop"]

    public var name: String
    public var exec: [String]?

    public init(name: String, exec: [String]) throws {
        self.name = name
        self.exec = exec
        try Self.validate(name: name)
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.string("name") ?? ""
        exec = try reader.array("exec") { try $0.stringValue() }
        try JSONDecodingError.at(.key("name")) { try Self.validate(name: name) }
    }

    public var json: JSONValue {
        .object(["name": .string(name), "exec": exec.map { .array($0.map(JSONValue.string)) } ?? .null])
    }

    private static func validate(name: String) throws {
        if name.isEmpty { throw JSONDecodingError("eventHandler \"name\" cannot be empty") }
        if !names.contains(name) {
            throw JSONDecodingError("bad eventHandler \"name\": \(quoted(name)) (must be one of: pre-start, post-stop)")
        }
    }
}
