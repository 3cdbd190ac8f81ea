/// A pod that could not be registered with the metadata service (`--mds-register`).
public enum MetadataError: Error, Sendable, CustomStringConvertible {
    /// Nothing answers on the registration socket.
    case unreachable(socket: String)
    /// The service refused a registration (its status and message).
    case refused(socket: String, request: String, status: Int)

    public var description: String {
        switch self {
        case .unreachable(let socket):
            return "--mds-register: no metadata service listens on \(socket); start it with \"rkt metadata-service\", or run without --mds-register"
        case .refused(let socket, let request, let status):
            return "--mds-register: the metadata service on \(socket) answered \(request) with status \(status)"
        }
    }
}
