/// A key location that rkt will not fetch a key from.
public enum KeyLocationError: Error, Sendable, CustomStringConvertible {
    /// Discovery announced something else than an http(s) URL (a path would read this machine's files).
    case notAURL(location: String)
    /// A plain-http URL without the option that allows it.
    case plainHTTP(location: String)

    public var description: String {
        switch self {
        case .notAURL(let location):
            "discovered key location \(quoted(location)) is not an https URL: keys that discovery announces are fetched from https URLs only (http with --insecure-allow-http), never read from a path"
        case .plainHTTP(let location):
            "--insecure-allow-http required for http URLs (\(location))"
        }
    }
}
