/// Discovery that found nothing, and why.
public enum DiscoveryError: Error, Sendable, CustomStringConvertible {
    /// No prefix of the name led to what was looked for (`failures`: the prefixes whose pages
    /// could not be fetched; none when the pages had no matching meta tags).
    case nothingFound(app: String, failures: [Discovery.FailedAttempt])

    public var description: String {
        switch self {
        case .nothingFound(let app, let failures):
            let attempts = failures.map { "\n  \($0.prefix): \($0.error)" }.joined()
            return "discovery failed for \(app)" + (attempts.isEmpty ? " (no matching meta tags)" : ":" + attempts)
        }
    }
}
