/// A trust-store operation that cannot be done, and why.
public enum TrustError: Error, Sendable, CustomStringConvertible {
    /// A `--prefix` with a URL scheme (`scheme`, before `://`).
    case prefixWithScheme(String)
    /// A `--prefix` that is not an AC identifier.
    case invalidPrefix(String, cause: any Error)
    /// Not 40 hex digits.
    case notAFingerprint(String)
    /// No key with that fingerprint to remove for the scope (`maskedBy`: the local file that masks
    /// its system key already, if one does).
    case notTrusted(fingerprint: String, scope: TrustScope, maskedBy: String?)
    /// A key file without a public key.
    case noKey
    /// A key file with several keys.
    case severalKeys(count: Int)
    /// The server answered a key's download with another status than 200.
    case keyStatus(url: String, status: Int)
    /// Discovery of a prefix's keys failed.
    case keyDiscovery(cause: any Error)
    /// Every key offered was refused.
    case noKeyTrusted
    /// The fingerprint cannot be reviewed without a terminal.
    case reviewImpossible

    public var description: String {
        switch self {
        case .prefixWithScheme(let scheme):
            "--prefix must not contain a URL scheme, omit \(scheme)://"
        case .invalidPrefix(let text, let cause):
            "invalid prefix \(quoted(text)): \(cause)"
        case .notAFingerprint(let text):
            "\(quoted(text)) is not a 40-digit key fingerprint"
        case .notTrusted(let fingerprint, let scope, let maskedBy):
            "no key \(fingerprint) is trusted for \(scope)" + (maskedBy.map { " (its system key is masked by \($0) already)" } ?? "")
        case .noKey:
            "no OpenPGP public key found"
        case .severalKeys(let count):
            "\(count) keys in one file; give one key per file"
        case .keyStatus(let url, let status):
            "GET \(url): HTTP status \(status)"
        case .keyDiscovery(let cause):
            "error determining key location: prefix meta discovery error: \(cause)"
        case .noKeyTrusted:
            "no key trusted"
        case .reviewImpossible:
            "error reviewing key: unable to ask user to review fingerprint due to lack of tty (use --skip-fingerprint-review if you have checked the key another way)"
        }
    }
}
