/// A request that did not produce a usable response, and why: each limit's case says how to raise it.
public enum HTTPError: Error, Sendable, CustomStringConvertible {
    /// libcurl could not be loaded.
    case unavailable(reason: String)
    /// Connection, TLS, protocol or redirect failures, as libcurl reports them.
    case failed(url: String, reason: String)
    /// The body is (or is announced to be) larger than the limit.
    case tooLarge(url: String, limit: HTTPRequest.BodyLimit)
    /// The server sent less than the minimum speed for the whole window (or nothing at all).
    case tooSlow(url: String, limits: TransferLimits)
    /// No answer had begun when the deadline for trying the image's endpoints passed.
    case deadlinePassed(url: String, seconds: Int64)

    /// Whether the deadline for an image's endpoints passed: trying the next endpoint is pointless.
    public var isDeadline: Bool {
        if case .deadlinePassed = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .unavailable(let reason):
            return "cannot load libcurl: \(reason)"
        case .failed(let url, let reason):
            return "GET \(url): \(reason)"
        case .tooLarge(let url, .document(let bytes)):
            return "GET \(url): response larger than \(ByteSize.description(bytes))"
        case .tooLarge(let url, .image(let bytes)):
            return "GET \(url): larger than \(ByteSize.description(bytes)), the maximum image size (raise it with \(TransferLimits.Variable.maximumImageSize.usage))"
        case .tooSlow(let url, let limits):
            return "GET \(url): slower than \(ByteSize.description(Int64(limits.minimumSpeed)))/s for \(GoDuration.description(seconds: Int64(limits.minimumSpeedTime))), the minimum transfer speed (lower it with \(TransferLimits.Variable.minimumSpeed.usage), or lengthen the window with \(TransferLimits.Variable.minimumSpeedTime.usage))"
        case .deadlinePassed(let url, let seconds):
            return "GET \(url): no answer within \(GoDuration.description(seconds: seconds)), the deadline for trying an image's endpoints (raise it with \(TransferLimits.Variable.deadline.usage))"
        }
    }
}
