/// One `{"name", "value"}` entry of an app's environment. Names match `[A-Za-z_][A-Za-z_0-9.-]*`.
public struct EnvironmentVariable: JSONRepresentable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) throws {
        self.name = name
        self.value = value
        try Self.validate(name: name)
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.string("name") ?? ""
        value = try reader.string("value") ?? ""
    }

    public var json: JSONValue { .object(["name": .string(name), "value": .string(value)]) }

    static func validate(name: String) throws {
        if name.isEmpty { throw JSONDecodingError("environment variable name must not be empty") }
        let bytes = Array(name.utf8)
        let first = bytes[0]
        let validFirst = first.isASCIILetter || first == UInt8(ascii: "_")
        let validRest = bytes.dropFirst().allSatisfy {
            $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
        if !validFirst || !validRest {
            throw JSONDecodingError("environment variable does not have valid identifier \(quoted(name))")
        }
    }

    /// Checks names and their uniqueness over a whole environment.
    static func validate(_ environment: [EnvironmentVariable]) throws {
        var seen: Set<String> = []
        for (position, variable) in environment.enumerated() {
            try JSONDecodingError.at(.index(position)) { try validate(name: variable.name) }
            if !seen.insert(variable.name).inserted {
                throw JSONDecodingError("duplicate environment variable of name \(quoted(variable.name))", path: [.index(position)])
            }
        }
    }
}
