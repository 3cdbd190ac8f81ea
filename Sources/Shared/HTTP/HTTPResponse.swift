/// The final response of a request, after redirects.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// The headers of the final response, in order.
    public var headers: [(name: String, value: String)]
    /// The URL the response came from.
    public var url: String
    /// The body, when the request collected it (empty when it was streamed to a sink).
    public var body: [UInt8]

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}
