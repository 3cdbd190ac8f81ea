import Foundation

/// A pod port published on the host: `{"name", "hostPort", "hostIP", "podPort"}`.
public struct ExposedPort: JSONRepresentable, Hashable {
    public var name: ACName
    public var hostPort: UInt
    /// The host address in canonical form, if one was given.
    public var hostIP: String?
    public var podPort: Port?

    public init(name: ACName, hostPort: UInt, hostIP: String? = nil, podPort: Port? = nil) throws {
        self.name = name
        self.hostPort = hostPort
        self.hostIP = try hostIP.map(Self.canonicalIP)
        self.podPort = podPort
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.decode("name", as: ACName.self) ?? ACName.unchecked("")
        hostPort = try reader.uint("hostPort") ?? 0
        hostIP = try reader.decode("hostIP") { try Self.canonicalIP($0.stringValue()) }
        podPort = try reader.decode("podPort", as: Port.self)
    }

    public var json: JSONValue {
        .object([
            "name": name.json, "hostPort": .number(String(hostPort)),
            "hostIP": hostIP.map(JSONValue.string), "podPort": podPort?.json,
        ])
    }

    /// The address as Go's `net.IP` writes it (IPv4 dotted, IPv6 compressed), or an error.
    static func canonicalIP(_ text: String) throws -> String {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { ipString(family: AF_INET, $0.baseAddress!, length: INET_ADDRSTRLEN) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                return bytes[12...].map(String.init).joined(separator: ".")
            }
            return withUnsafeBytes(of: &v6) { ipString(family: AF_INET6, $0.baseAddress!, length: INET6_ADDRSTRLEN) }
        }
        throw JSONDecodingError("invalid IP address: \(text)")
    }

    private static func ipString(family: Int32, _ address: UnsafeRawPointer, length: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(length))
        inet_ntop(family, address, &buffer, socklen_t(length))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
