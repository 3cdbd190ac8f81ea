/// Gets public keys for the trust store: from a file, an https URL (http only when allowed), or
/// the `ac-discovery-pubkeys` meta tags of a prefix.
public struct KeyFetcher: Sendable {
    public var allowHTTP: Bool
    public var insecureTLS: Bool

    public init(allowHTTP: Bool = false, insecureTLS: Bool = false) {
        self.allowHTTP = allowHTTP
        self.insecureTLS = insecureTLS
    }

    /// The key bytes at `location` (a path, or an http(s) URL).
    public func fetch(_ location: String) throws -> [UInt8] {
        let lowered = location.lowercased()
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
            if lowered.hasPrefix("http://") && !allowHTTP {
                throw TrustError("--insecure-allow-http required for http URLs (\(location))")
            }
            let response = try HTTPClient.get(HTTPRequest(url: location, insecureTLS: insecureTLS, allowHTTPDowngrade: allowHTTP))
            guard response.status == 200 else { throw TrustError("GET \(location): HTTP status \(response.status)") }
            return response.body
        }
        return try FileIO.readFile(location, limit: 1 << 20)
    }

    /// The key URLs that discovery announces for `prefix`.
    public func discover(prefix: ACIdentifier) throws -> [String] {
        let discovery = Discovery(insecureTLS: insecureTLS, allowHTTP: allowHTTP)
        do {
            return try discovery.publicKeys(for: AppString(name: prefix)).value
        } catch {
            throw TrustError("error determining key location: prefix meta discovery error: \(error)")
        }
    }
}
