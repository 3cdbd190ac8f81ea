/// What a trusted key may sign: any image (root) or images whose names lie under a prefix.
public enum TrustScope: Sendable, Hashable, CustomStringConvertible {
    case root
    case prefix(ACIdentifier)

    /// Parses a `--prefix` value: an AC identifier, no URL scheme.
    public static func prefix(parsing text: String) throws -> TrustScope {
        if text.contains("://") {
            throw TrustError.prefixWithScheme(text.components(separatedBy: "://")[0])
        }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        do {
            return .prefix(try ACIdentifier(String(trimmed)))
        } catch {
            throw TrustError.invalidPrefix(text, cause: error)
        }
    }

    /// The directory below `trustedkeys/` holding this scope's keys.
    var directory: String {
        switch self {
        case .root: return "root.d"
        case .prefix(let name): return "prefix.d/\(name.value)"
        }
    }

    public var description: String {
        switch self {
        case .root: return "root"
        case .prefix(let name): return name.value
        }
    }
}
