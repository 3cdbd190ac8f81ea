/// A GET request and how careful to be with it.
public struct HTTPRequest: Sendable {
    public var url: String
    /// Extra request headers (`Authorization`, `Accept`, `If-None-Match`, `Range`…).
    public var headers: [(name: String, value: String)]
    /// Accept any TLS certificate (`--insecure-options=tls`).
    public var insecureTLS: Bool
    /// Follow a redirect from https to plain http.
    public var allowHTTPDowngrade: Bool
    /// Refuse bodies larger than this (for pages and manifests; downloads stream instead).
    public var maximumBodySize: Int
    /// Continue a download from this byte offset (`Range: bytes=N-`).
    public var resumeFrom: Int64?

    public init(url: String, headers: [(name: String, value: String)] = [], insecureTLS: Bool = false,
                allowHTTPDowngrade: Bool = false, maximumBodySize: Int = 1 << 20, resumeFrom: Int64? = nil) {
        self.url = url
        self.headers = headers
        self.insecureTLS = insecureTLS
        self.allowHTTPDowngrade = allowHTTPDowngrade
        self.maximumBodySize = maximumBodySize
        self.resumeFrom = resumeFrom
    }
}
