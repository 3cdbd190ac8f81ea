import AppcSchema

/// One network a pod joined, as stage1 records it in the pod's `net-info.json` (rkt's format)
/// and `rkt list`/`rkt status` show it.
public struct NetworkInfo: Sendable, Equatable {
    public var name: String
    /// The copy of the network's configuration in the pod directory, relative to it.
    public var configuration: String
    public var pluginPath: String
    public var interface: String
    public var ip: String
    public var arguments: String
    public var mask: String

    public init(name: String, configuration: String, pluginPath: String, interface: String, ip: String, arguments: String, mask: String) {
        self.name = name
        self.configuration = configuration
        self.pluginPath = pluginPath
        self.interface = interface
        self.ip = ip
        self.arguments = arguments
        self.mask = mask
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.string("netName") ?? ""
        configuration = try reader.string("netConf") ?? ""
        pluginPath = try reader.string("pluginPath") ?? ""
        interface = try reader.string("ifName") ?? ""
        ip = try reader.string("ip") ?? ""
        arguments = try reader.string("args") ?? ""
        mask = try reader.string("mask") ?? ""
    }

    public var json: JSONValue {
        .object(["netName": .string(name), "netConf": .string(configuration), "pluginPath": .string(pluginPath),
                 "ifName": .string(interface), "ip": .string(ip), "args": .string(arguments), "mask": .string(mask)])
    }

    /// `name:ip4=A.B.C.D`, as `rkt list` shows a network.
    public var summary: String { "\(name):ip4=\(ip)" }

    /// Reads a `net-info.json`.
    public static func decode(_ bytes: [UInt8]) throws -> [NetworkInfo] {
        try JSONParser.parse(bytes).arrayValue { try NetworkInfo(json: $0) }
    }

    /// The bytes of a `net-info.json` for `networks`.
    public static func encode(_ networks: [NetworkInfo]) -> [UInt8] {
        JSONWriter.compact(.array(networks.map(\.json))) + [0x0A]
    }
}
