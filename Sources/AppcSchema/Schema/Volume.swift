/// A pod volume: `host` (a host directory bind-mounted) or `empty` (a fresh directory with a
/// mode and owner). Empty volumes get the defaults mode `0755`, uid 0, gid 0.
public struct Volume: JSONRepresentable, Hashable {
    public enum Kind: String, Sendable {
        case empty, host
    }

    public var name: ACName
    public var kind: Kind
    public var source: String
    public var readOnly: Bool?
    public var recursive: Bool?
    public var mode: String?
    public var uid: Int?
    public var gid: Int?

    /// Parses the command-line form `NAME,kind=host,source=/p[,readOnly=…][,recursive=…]` or
    /// `NAME,kind=empty[,mode=0755][,uid=N][,gid=N][,readOnly=…]`.
    public init(parsing text: String) throws {
        var fields = Fields()
        for (key, value) in try KeyValueString.parse("name=" + text) {
            switch key {
            case "name": fields.name = try ACName(value)
            case "kind": fields.kind = value
            case "source": fields.source = value
            case "readOnly": fields.readOnly = try KeyValueString.bool(value)
            case "recursive": fields.recursive = try KeyValueString.bool(value)
            case "mode": fields.mode = value
            case "uid": fields.uid = try Self.int(value, key)
            case "gid": fields.gid = try Self.int(value, key)
            default: throw JSONDecodingError("unknown volume parameter \(quoted(key))")
            }
        }
        try self.init(fields)
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        var fields = Fields()
        fields.name = try reader.decode("name", as: ACName.self)
        fields.kind = try reader.string("kind") ?? ""
        fields.source = try reader.string("source") ?? ""
        fields.readOnly = try reader.decode("readOnly") { try $0.boolValue() }
        fields.recursive = try reader.decode("recursive") { try $0.boolValue() }
        fields.mode = try reader.decode("mode") { try $0.stringValue() }
        fields.uid = try reader.decode("uid") { try $0.intValue() }
        fields.gid = try reader.decode("gid") { try $0.intValue() }
        try self.init(fields)
    }

    public var json: JSONValue {
        .object([
            "name": name.json, "kind": .string(kind.rawValue),
            "source": source.isEmpty ? nil : .string(source),
            "readOnly": readOnly.map(JSONValue.bool), "recursive": recursive.map(JSONValue.bool),
            "mode": mode.map(JSONValue.string),
            "uid": uid.map { .number(String($0)) }, "gid": gid.map { .number(String($0)) },
        ])
    }

    private struct Fields {
        var name: ACName?
        var kind = ""
        var source = ""
        var readOnly: Bool?
        var recursive: Bool?
        var mode: String?
        var uid: Int?
        var gid: Int?
    }

    private init(_ fields: Fields) throws {
        guard let name = fields.name else { throw JSONDecodingError("name must be set", path: [.key("name")]) }
        self.name = name
        source = fields.source
        readOnly = fields.readOnly
        recursive = fields.recursive
        mode = fields.mode
        uid = fields.uid
        gid = fields.gid
        switch fields.kind {
        case "empty":
            kind = .empty
            if !source.isEmpty { throw JSONDecodingError("source for empty volume must be empty", path: [.key("source")]) }
            mode = mode ?? "0755"
            uid = uid ?? 0
            gid = gid ?? 0
        case "host":
            kind = .host
            if source.isEmpty { throw JSONDecodingError("source for host volume cannot be empty", path: [.key("source")]) }
            if mode != nil { throw JSONDecodingError("mode for host volume cannot be set", path: [.key("mode")]) }
            if uid != nil { throw JSONDecodingError("uid for host volume cannot be set", path: [.key("uid")]) }
            if gid != nil { throw JSONDecodingError("gid for host volume cannot be set", path: [.key("gid")]) }
            if !source.hasPrefix("/") {
                throw JSONDecodingError("source for host volume must be absolute path (got \(quoted(source)))", path: [.key("source")])
            }
        default:
            throw JSONDecodingError("unrecognized volume kind: should be one of \"empty\", \"host\" (got \(quoted(fields.kind)))", path: [.key("kind")])
        }
    }

    private static func int(_ text: String, _ key: String) throws -> Int {
        guard let value = Int(text) else { throw JSONDecodingError("\(key): \(quoted(text)) is not a number") }
        return value
    }
}
