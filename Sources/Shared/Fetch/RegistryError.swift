/// A docker registry that asked for more than rkt gives.
public enum RegistryError: Error, Sendable, CustomStringConvertible {
    /// The registry's token realm would take the credentials over plain http (or another scheme).
    case insecureRealm(registry: String, realm: String)

    public var description: String {
        switch self {
        case .insecureRealm(let registry, let realm):
            "\(registry) wants its credentials sent to the token realm \(realm), which is not https: refused (a realm may use plain http only with --insecure-options=http)"
        }
    }
}
