/// One `{"name", "value"}` annotation: free-form metadata about an image, app or pod.
public struct Annotation: JSONRepresentable, Hashable {
    public var name: ACIdentifier
    public var value: String

    public init(name: ACIdentifier, value: String) {
        self.name = name
        self.value = value
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.decode("name", as: ACIdentifier.self) ?? ACIdentifier.unchecked("")
        value = try reader.string("value") ?? ""
    }

    public var json: JSONValue { .object(["name": name.json, "value": .string(value)]) }
}
