/// A request that did not produce a response: connection, TLS, protocol, size or sink failures.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public let url: String
    public let message: String

    public init(url: String, message: String) {
        self.url = url
        self.message = message
    }

    public var description: String { "GET \(url): \(message)" }
}
