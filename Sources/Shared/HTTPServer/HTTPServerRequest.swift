/// One complete request to an `HTTPServer`: its body read, a form body parsed.
public struct HTTPServerRequest: Sendable {
    /// The process and user at the other end of a unix socket.
    public struct Peer: Sendable, Equatable {
        public var pid: Int32
        public var uid: UInt32
    }

    public var method: String
    /// The path of the request target, percent-decoded, without its query.
    public var path: String
    /// The request headers, in order.
    public var headers: [(name: String, value: String)]
    /// The query's arguments.
    public var query: [String: String]
    /// The fields of an `application/x-www-form-urlencoded` or `multipart/form-data` body.
    public var form: [String: String]
    public var body: [UInt8]
    /// Set for requests over a unix socket.
    public var peer: Peer?

    public init(method: String, path: String, headers: [(name: String, value: String)] = [], query: [String: String] = [:],
                form: [String: String] = [:], body: [UInt8] = [], peer: Peer? = nil) {
        self.method = method
        self.path = path
        self.headers = headers
        self.query = query
        self.form = form
        self.body = body
        self.peer = peer
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}
