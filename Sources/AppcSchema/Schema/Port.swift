/// A port the app listens on: `{"name", "protocol", "port", "count", "socketActivated"}`;
/// `count` ports starting at `port`, all within 1–65535.
public struct Port: JSONRepresentable, Hashable {
    public var name: ACName
    public var `protocol`: String
    public var port: UInt
    public var count: UInt
    public var socketActivated: Bool

    /// A checked port; `count` 0 is kept as given (the reference writes it so from the command line
    /// and reads it back as 1).
    public init(name: ACName, protocol: String, port: UInt, count: UInt = 1, socketActivated: Bool = false) throws {
        self.name = name
        self.protocol = `protocol`
        self.port = port
        self.count = count
        self.socketActivated = socketActivated
        try validate()
    }

    /// Parses the command-line form `NAME,protocol=tcp,port=N[,count=N][,socketActivated=true]`.
    public init(parsing text: String) throws {
        let parameters = try KeyValueString.parse("name=" + text)
        var name: ACName?
        var proto = ""
        var port: UInt = 0
        var count: UInt = 0
        var socketActivated = false
        for (key, value) in parameters {
            switch key {
            case "name": name = try ACName(value)
            case "protocol": proto = value
            case "port": port = try Self.uint16(value, key)
            case "count": count = try Self.uint16(value, key)
            case "socketActivated": socketActivated = try KeyValueString.bool(value)
            default: throw JSONDecodingError("unknown port parameter \(quoted(key))")
            }
        }
        guard let name else { throw JSONDecodingError("name must be set") }
        try self.init(name: name, protocol: proto, port: port, count: count, socketActivated: socketActivated)
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.decode("name", as: ACName.self) ?? ACName.unchecked("")
        self.protocol = try reader.string("protocol") ?? ""
        port = try reader.uint("port") ?? 0
        count = try reader.uint("count") ?? 0
        socketActivated = try reader.bool("socketActivated") ?? false
        try validate()
        if count == 0 { count = 1 }
    }

    public var json: JSONValue {
        .object([
            "name": name.json, "protocol": .string(self.protocol), "port": .number(String(port)),
            "count": .number(String(count)), "socketActivated": .bool(socketActivated),
        ])
    }

    private func validate() throws {
        guard (1...65535).contains(port) else {
            throw JSONDecodingError("port must be in 1-65535 range (got \(port))", path: [.key("port")])
        }
        if port.addingReportingOverflow(count).partialValue > 65536 || count > 65536 {
            throw JSONDecodingError("end of port range must be in 1-65535 range (port \(port), count \(count))", path: [.key("count")])
        }
    }

    private static func uint16(_ text: String, _ key: String) throws -> UInt {
        guard let value = UInt16(text) else {
            throw JSONDecodingError("\(key): \(quoted(text)) is not a number from 0 to 65535")
        }
        return UInt(value)
    }
}
