import AppcSchema

/// A host port forwarded to an app's port (`rkt run --port=NAME:[HOSTIP:]HOSTPORT`): the pod
/// manifest's exposed port matched by name with the port an app declares (rkt's rules).
public struct ForwardedPort: Sendable, Equatable {
    public var name: String
    /// `tcp` or `udp`.
    public var `protocol`: String
    public var podPort: UInt
    public var hostPort: UInt
    /// The host address the port is bound to; `0.0.0.0` for all.
    public var hostIP: String

    /// The forwarded ports of a pod: each exposed port with the app port of its name, from the
    /// apps' ports (`apps`, each app's list). Refuses a name no app or several apps declare, and
    /// two host ports that overlap.
    public static func resolve(_ exposed: [ExposedPort], apps: [[Port]]) throws(ForwardedPortError) -> [ForwardedPort] {
        var result: [ForwardedPort] = []
        for port in exposed {
            let name = port.name.value
            var found: Port? = port.podPort
            if found == nil {
                for appPorts in apps {
                    for candidate in appPorts where candidate.name.value == name {
                        if found != nil { throw .ambiguous(name) }
                        found = candidate
                    }
                }
            }
            guard let podPort = found else { throw .notFound(name) }
            let forwarded = ForwardedPort(name: name, protocol: podPort.protocol, podPort: podPort.port,
                                          hostPort: port.hostPort, hostIP: port.hostIP ?? "0.0.0.0")
            if let other = result.first(where: forwarded.conflicts) {
                throw .conflict(protocol: forwarded.protocol, hostIP: forwarded.hostIP, hostPort: forwarded.hostPort, podPort: other.podPort)
            }
            result.append(forwarded)
        }
        return result
    }

    private func conflicts(_ other: ForwardedPort) -> Bool {
        self.protocol == other.protocol && hostPort == other.hostPort
            && (hostIP == "0.0.0.0" || other.hostIP == "0.0.0.0" || hostIP == other.hostIP)
    }
}
