/// A list of annotations with unique names. The well-known ones are checked: `created` must be an
/// RFC 3339 date, `homepage` and `documentation` http(s) URLs.
public struct Annotations: JSONRepresentable, Hashable, Sequence {
    public private(set) var entries: [Annotation]

    public init(_ entries: [Annotation] = []) throws {
        self.entries = entries
        try validate()
    }

    public init(json: JSONValue) throws {
        try self.init(json.arrayValue { try Annotation.decodeElement($0) })
    }

    public var json: JSONValue { .array(entries.map(\.json)) }

    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[Annotation]> { entries.makeIterator() }

    /// The value of the annotation `name`, if present.
    public subscript(name: String) -> String? {
        entries.first { $0.name.value == name }?.value
    }

    /// Sets (replacing in place) or appends an annotation, then re-checks the rules.
    public mutating func set(_ name: ACIdentifier, _ value: String) throws {
        var updated = entries
        if let index = updated.firstIndex(where: { $0.name == name }) {
            updated[index].value = value
        } else {
            updated.append(Annotation(name: name, value: value))
        }
        self = try Annotations(updated)
    }

    private func validate() throws {
        var seen: Set<String> = []
        for (position, annotation) in entries.enumerated() {
            if !seen.insert(annotation.name.value).inserted {
                throw JSONDecodingError("duplicate annotations of name \(quoted(annotation.name.value))", path: [.index(position)])
            }
            let path: [JSONDecodingError.Component] = [.index(position), .key("value")]
            switch annotation.name.value {
            case "created":
                guard RFC3339.isValid(annotation.value) else {
                    throw JSONDecodingError("created: bad Date \(quoted(annotation.value)) (must be RFC 3339, like 2006-01-02T15:04:05Z)", path: path)
                }
            case "homepage", "documentation":
                try JSONDecodingError.at(.index(position)) {
                    try JSONDecodingError.at(.key("value")) { try WebURL.validate(annotation.value) }
                }
            default:
                break
            }
        }
    }
}
