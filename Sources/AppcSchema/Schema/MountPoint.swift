/// A place in the app's filesystem where the executor mounts a volume: `{"name", "path", "readOnly"}`.
public struct MountPoint: JSONRepresentable, Hashable {
    public var name: ACName
    public var path: String
    public var readOnly: Bool

    public init(name: ACName, path: String, readOnly: Bool = false) throws {
        self.name = name
        self.path = path
        self.readOnly = readOnly
        if path.isEmpty { throw JSONDecodingError("path must be set") }
    }

    /// Parses the command-line form `NAME,path=/p[,readOnly=true]`.
    public init(parsing text: String) throws {
        let parameters = try KeyValueString.parse("name=" + text)
        var name: ACName?
        var path = ""
        var readOnly = false
        for (key, value) in parameters {
            switch key {
            case "name": name = try ACName(value)
            case "path": path = value
            case "readOnly": readOnly = try KeyValueString.bool(value)
            default: throw JSONDecodingError("unknown mountpoint parameter \(quoted(key))")
            }
        }
        guard let name else { throw JSONDecodingError("name must be set") }
        try self.init(name: name, path: path, readOnly: readOnly)
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        // As in the reference, a missing name or path is not checked when reading.
        name = try reader.decode("name", as: ACName.self) ?? ACName.unchecked("")
        path = try reader.string("path") ?? ""
        readOnly = try reader.bool("readOnly") ?? false
    }

    public var json: JSONValue {
        .object(["name": name.json, "path": .string(path), "readOnly": readOnly ? .bool(true) : nil])
    }
}

extension ACName {
    /// A value the reference would hold without checking (a missing field's zero value).
    static func unchecked(_ value: String) -> ACName { ACName(uncheckedValue: value) }

    private init(uncheckedValue: String) { value = uncheckedValue }
}
