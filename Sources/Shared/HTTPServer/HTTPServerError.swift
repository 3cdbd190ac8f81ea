/// An `HTTPServer` that could not start.
public enum HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// The listening socket could not be made (address in use, no permission…).
    case listen(reason: String)
    /// libmicrohttpd could not be loaded or did not start.
    case start(reason: String)

    public var description: String {
        switch self {
        case .listen(let reason): reason
        case .start(let reason): reason
        }
    }
}
