import Stage1ABI

/// Why a pod's networks could not be set up.
public enum NetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound([String])
    case invalidConfiguration(file: String, reason: String)
    case pluginNotFound(type: String, network: String, searched: [String])
    /// A plugin failed: its own message (CNI's `msg` and `details`), or its exit status.
    case plugin(command: String, network: String, message: String)
    case invalidResult(network: String, reason: String)
    case noNetworkForPorts
    case portInUse(ForwardedPort)

    public var description: String {
        switch self {
        case .notFound(let names): "networks not found: \(names.joined(separator: ", "))"
        case .invalidConfiguration(let file, let reason): "network configuration \(file): \(reason)"
        case .pluginNotFound(let type, let network, let searched):
            "network \"\(network)\": could not find plugin \"\(type)\" (searched \(searched.joined(separator: ", ")))"
        case .plugin(let command, let network, let message):
            "error \(command == "ADD" ? "adding" : "deleting") network \"\(network)\": \(message)"
        case .invalidResult(let network, let reason): "network \"\(network)\": the plugin's result \(reason)"
        case .noNetworkForPorts: "no network to forward ports on"
        case .portInUse(let port): "port \(port.name): host port \(port.protocol)-\(port.hostIP):\(port.hostPort) is already in use"
        }
    }
}
