/// An image's labels, in document order. Rules: unique names, no label called `name`, and the
/// `os`/`arch` pair must be one the executor table knows (`OSArch`).
public struct Labels: JSONRepresentable, Hashable, Sequence {
    public private(set) var entries: [Label]

    public init(_ entries: [Label] = []) throws {
        self.entries = entries
        try validate()
    }

    public init(json: JSONValue) throws {
        try self.init(json.arrayValue { try Label.decodeElement($0) })
    }

    public var json: JSONValue { .array(entries.map(\.json)) }

    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[Label]> { entries.makeIterator() }

    /// The value of the label `name`, if present.
    public subscript(name: String) -> String? {
        entries.first { $0.name.value == name }?.value
    }

    /// Sets (replacing in place) or appends a label, then re-checks the rules.
    public mutating func set(_ name: ACIdentifier, _ value: String) throws {
        var updated = entries
        if let index = updated.firstIndex(where: { $0.name == name }) {
            updated[index].value = value
        } else {
            updated.append(Label(name: name, value: value))
        }
        self = try Labels(updated)
    }

    private func validate() throws {
        var seen: [String: String] = [:]
        for (position, label) in entries.enumerated() {
            if label.name.value == "name" {
                throw JSONDecodingError("invalid label name: \"name\"", path: [.index(position), .key("name")])
            }
            if seen[label.name.value] != nil {
                throw JSONDecodingError("duplicate labels of name \(quoted(label.name.value))", path: [.index(position)])
            }
            seen[label.name.value] = label.value
        }
        try OSArch.validate(os: seen["os"], arch: seen["arch"])
    }
}
