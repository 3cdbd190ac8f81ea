import GRDB

/// What the store knows about an image downloaded from a URL, for caching and resuming.
public struct RemoteRecord: Codable, Sendable, Equatable, FetchableRecord {
    public var url: String
    public var signatureURL: String?
    public var etag: String?
    public var blobKey: String
    /// `Cache-Control: max-age` in seconds, 0 when absent.
    public var cacheMaxAge: Int64
    /// Nanoseconds since the epoch.
    public var downloadTime: Int64
}
