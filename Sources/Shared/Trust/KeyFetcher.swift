/// Gets public keys for the trust store: from a file or an https URL given by the user (http only
/// when allowed), or from the `ac-discovery-pubkeys` meta tags of a prefix, which may only name
/// https URLs (http when allowed).
public struct KeyFetcher: Sendable {
    public var allowHTTP: Bool
    public var insecureTLS: Bool
    public var limits: TransferLimits

    public init(allowHTTP: Bool = false, insecureTLS: Bool = false, limits: TransferLimits = .standard) {
        self.allowHTTP = allowHTTP
        self.insecureTLS = insecureTLS
        self.limits = limits
    }

    /// The key bytes at `location`, which the user gave: a path, or an http(s) URL.
    public func fetch(_ location: String) throws -> [UInt8] {
        let lowered = location.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else {
            return try FileIO.readFile(location, limit: 1 << 20)
        }
        return try download(location)
    }

    /// The key bytes at `location`, which discovery announced: an https URL (http when allowed).
    public func fetchDiscovered(_ location: String) throws -> [UInt8] {
        try Self.checkDiscovered(location)
        return try download(location)
    }

    /// Refuses a discovered location that is not an http(s) URL (whether plain http is allowed is
    /// the fetcher's to say).
    public static func checkDiscovered(_ location: String) throws {
        let lowered = location.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { throw KeyLocationError.notAURL(location: location) }
    }

    private func download(_ url: String) throws -> [UInt8] {
        if url.lowercased().hasPrefix("http://") && !allowHTTP { throw KeyLocationError.plainHTTP(location: url) }
        let response = try HTTPClient.get(HTTPRequest(url: url, insecureTLS: insecureTLS, allowHTTPDowngrade: allowHTTP, limits: limits,
                                                      deadline: Deadline(seconds: limits.deadline)))
        guard response.status == 200 else { throw TrustError.keyStatus(url: url, status: response.status) }
        return response.body
    }

    /// The key URLs that discovery announces for `prefix`.
    public func discover(prefix: ACIdentifier) throws -> [String] {
        let discovery = Discovery(insecureTLS: insecureTLS, allowHTTP: allowHTTP, limits: limits, deadline: Deadline(seconds: limits.deadline))
        do {
            return try discovery.publicKeys(for: AppString(name: prefix)).value
        } catch {
            throw TrustError.keyDiscovery(cause: error)
        }
    }

    /// Why a key about to be trusted cannot vouch for anything (expired, revoked), for a warning.
    public static func unusable(_ key: PublicKey) -> String? {
        let state = key.isRevoked ? "revoked" : key.isExpired ? "expired" : nil
        return state.map { "warning: key \(key.groupedFingerprint) is \($0): signatures it made will not verify" }
    }
}
