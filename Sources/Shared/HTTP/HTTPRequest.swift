/// A request (GET unless told otherwise) and how careful to be with it.
public struct HTTPRequest: Sendable {
    /// What bounds a response body, for the message when one is larger.
    public enum BodyLimit: Sendable, Equatable {
        /// A document (page, signature, key, token, manifest): a fixed limit of this many bytes.
        case document(Int64)
        /// An image or image blob: `TransferLimits.maximumImageSize`, which the user may raise.
        case image(Int64)

        public var bytes: Int64 {
            switch self {
            case .document(let bytes), .image(let bytes): bytes
            }
        }
    }

    public var url: String
    /// GET, or another method (with `body`).
    public var method = "GET"
    /// The request body (its `Content-Type` among `headers`).
    public var body: [UInt8]?
    /// Connect to this unix socket instead of the URL's host (the URL still names the path).
    public var unixSocket: String?
    /// Extra request headers (`Authorization`, `Accept`, `If-None-Match`, `If-Range`…).
    public var headers: [(name: String, value: String)]
    /// Accept any TLS certificate (`--insecure-options=tls`).
    public var insecureTLS: Bool
    /// Follow a redirect from https to plain http.
    public var allowHTTPDowngrade: Bool
    /// The largest body accepted: the whole representation, counting what a range skipped.
    public var bodyLimit: BodyLimit
    /// Ask for the representation from this byte on (`Range: bytes=N-`). The answer may be 206
    /// with that range or 200 with everything; the caller tells them apart (`download`'s `start`).
    public var rangeStart: Int64?
    /// The minimum speed (the maximum image size is the caller's `bodyLimit`).
    public var limits: TransferLimits
    /// The answer must have begun by then (`get`: must be complete).
    public var deadline: Deadline?

    public init(url: String, headers: [(name: String, value: String)] = [], insecureTLS: Bool = false,
                allowHTTPDowngrade: Bool = false, bodyLimit: BodyLimit = .document(1 << 20), rangeStart: Int64? = nil,
                limits: TransferLimits = .standard, deadline: Deadline? = nil) {
        self.url = url
        self.headers = headers
        self.insecureTLS = insecureTLS
        self.allowHTTPDowngrade = allowHTTPDowngrade
        self.bodyLimit = bodyLimit
        self.rangeStart = rangeStart
        self.limits = limits
        self.deadline = deadline
    }
}
