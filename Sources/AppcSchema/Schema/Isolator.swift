/// An isolator: `{"name", "value"}`. Known kinds carry a checked typed value; unknown names are
/// kept as they are (allowed at pod level, refused inside an app, as the reference does).
/// The value's JSON is kept byte-for-byte (compacted), so re-encoding never changes it.
public struct Isolator: JSONRepresentable, Hashable {
    public let name: ACIdentifier
    /// The known kind, or nil for a name the spec does not define.
    public let kind: IsolatorKind?
    /// The checked value of a known kind.
    public let value: IsolatorValue?
    /// The value as compact JSON (nil when the document had none).
    public let encodedValue: [UInt8]?

    /// Builds a known isolator from a JSON value, checking it.
    public init(kind: IsolatorKind, value json: JSONValue) throws {
        name = try ACIdentifier(kind.rawValue)
        self.kind = kind
        value = try JSONDecodingError.at(.key("value")) { try kind.decodeValue(json) }
        encodedValue = JSONWriter.compact(json)
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.decode("name", as: ACIdentifier.self) ?? ACIdentifier.unchecked("")
        kind = IsolatorKind(rawValue: name.value)
        let member = reader.member("value")
        if let member, member.value != .null {
            encodedValue = member.source.isEmpty ? JSONWriter.compact(member.value) : JSONWriter.compact(source: member.source)
        } else {
            encodedValue = nil
        }
        guard let kind else {
            value = nil
            return
        }
        guard let valueJSON = reader.value("value") else {
            throw JSONDecodingError("isolator \(quoted(name.value)) needs a value", path: [.key("value")])
        }
        value = try JSONDecodingError.at(.key("value")) { try kind.decodeValue(valueJSON) }
    }

    public var json: JSONValue {
        .object(["name": name.json, "value": encodedValue.map(JSONValue.encoded) ?? .null])
    }

    /// The rules of an app's isolator set: only known kinds, single-instance kinds at most once,
    /// no conflicting kinds together.
    public static func validateSet(_ isolators: [Isolator]) throws {
        var seen: Set<IsolatorKind> = []
        for (position, isolator) in isolators.enumerated() {
            guard let kind = isolator.kind else {
                throw JSONDecodingError("invalid isolator: unknown isolator \(quoted(isolator.name.value)) (known: \(IsolatorKind.allCases.map(\.rawValue).joined(separator: ", ")))", path: [.index(position)])
            }
            if seen.contains(kind) && !kind.allowsMultiple {
                throw JSONDecodingError("isolators set contains too many instances of type \(kind.rawValue)", path: [.index(position)])
            }
            if let conflict = kind.conflicts.first(where: seen.contains) {
                throw JSONDecodingError("isolators set contains incompatible types (\(kind.rawValue) with \(conflict.rawValue))", path: [.index(position)])
            }
            seen.insert(kind)
        }
    }
}
