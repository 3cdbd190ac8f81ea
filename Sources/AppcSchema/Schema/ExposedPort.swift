import Glibc

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
        // Go reads an empty string as no address.
        hostIP = try reader.decode("hostIP") { json -> String? in
            let text = try json.stringValue()
            return text.isEmpty ? nil : try Self.canonicalIP(text)
        } ?? nil
        podPort = try reader.decode("podPort", as: Port.self)
    }

    public var json: JSONValue {
        .object([
            "name": name.json, "hostPort": .number(String(hostPort)),
            "hostIP": hostIP.map(JSONValue.string), "podPort": podPort?.json,
        ])
    }

    /// The address as Go's `net.IP` writes it: IPv4 (and IPv4-mapped IPv6) dotted, other IPv6 in
    /// lower-case hex groups with the longest run of two or more zero groups as `::`.
    static func canonicalIP(_ text: String) throws -> String {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { $0.map(String.init).joined(separator: ".") } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { throw JSONDecodingError("invalid IP address: \(text)") }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var best = (start: -1, length: 0)
        var run = (start: -1, length: 0)
        for (index, group) in groups.enumerated() {
            if group == 0 {
                run = run.start < 0 ? (index, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}
