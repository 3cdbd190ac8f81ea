/// A `--net` value rkt refuses; the messages are rkt's.
public enum NetworkSelectionError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyName
    case duplicate(String)
    case invalidArguments(network: String, arguments: [String])
    case argumentsNotSupported(String)
    case specialNotAlone(String)

    public var description: String {
        switch self {
        case .emptyName: "netname must not be empty"
        case .duplicate(let name): "found duplicate netname \"\(name)\""
        case .invalidArguments(let network, let arguments): "network \"\(network)\" provided with invalid arguments: [\(arguments.joined(separator: " "))]"
        case .argumentsNotSupported(let name): "arguments are not supported by special netname \"\(name)\""
        case .specialNotAlone(let name): "--net=\(name) cannot be combined with other networks"
        }
    }
}
