/// One `{"name", "value"}` label of an image (`version`, `os`, `arch`, …).
public struct Label: JSONRepresentable, Hashable {
    public var name: ACIdentifier
    public var value: String

    public init(name: ACIdentifier, value: String) {
        self.name = name
        self.value = value
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        // Go leaves a missing name as the empty string without validating it.
        name = try reader.decode("name", as: ACIdentifier.self) ?? ACIdentifier.unchecked("")
        value = try reader.string("value") ?? ""
    }

    public var json: JSONValue { .object(["name": name.json, "value": .string(value)]) }
}

extension ACIdentifier {
    /// A value the reference would hold without checking (a missing field's zero value).
    static func unchecked(_ value: String) -> ACIdentifier { ACIdentifier(uncheckedValue: value) }

    private init(uncheckedValue: String) { value = uncheckedValue }
}
