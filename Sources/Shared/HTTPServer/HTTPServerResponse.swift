/// The answer to an `HTTPServerRequest`.
public struct HTTPServerResponse: Sendable {
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]
    /// One more header, if any.
    public var header: (name: String, value: String)?

    public init(status: Int, contentType: String?, body: [UInt8], header: (name: String, value: String)? = nil) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.header = header
    }

    /// A `text/plain; charset=us-ascii` answer.
    public static func text(_ status: Int, _ text: String, header: (name: String, value: String)? = nil) -> HTTPServerResponse {
        HTTPServerResponse(status: status, contentType: plainText, body: Array(text.utf8), header: header)
    }

    /// An `application/json` answer.
    public static func json(_ body: [UInt8]) -> HTTPServerResponse {
        HTTPServerResponse(status: 200, contentType: json, body: body)
    }

    public static let plainText = "text/plain; charset=us-ascii"
    public static let json = "application/json"
}
