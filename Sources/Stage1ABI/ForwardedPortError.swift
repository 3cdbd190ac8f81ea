/// A `--port` that cannot be forwarded; the messages are rkt's.
public enum ForwardedPortError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case ambiguous(String)
    case conflict(protocol: String, hostIP: String, hostPort: UInt, podPort: UInt)

    public var description: String {
        switch self {
        case .notFound(let name): "port name \"\(name)\" could not be found in any apps"
        case .ambiguous(let name): "port name \"\(name)\" defined multiple apps"
        case .conflict(let proto, let hostIP, let hostPort, let podPort): "port \(proto)-\(hostIP):\(hostPort) already mapped to pod port \(podPort)"
        }
    }
}
