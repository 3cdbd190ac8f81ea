/// A configuration file (paths.d, stage1.d, auth.d) that cannot be used, and why.
public enum ConfigError: Error, Sendable, CustomStringConvertible {
    /// A failure in the file at `path`.
    case file(path: String, cause: any Error)
    /// No `rktKind`.
    case kindRequired
    /// An `rktVersion` other than `v1`.
    case version
    /// A file of another kind than its directory holds.
    case unexpectedKind(directory: String, kinds: [String], file: String, kind: String)
    /// paths.d: a relative data directory.
    case relativeDataDirectory
    /// paths.d: a relative stage1 images directory.
    case relativeStage1ImagesDirectory
    /// stage1.d: a name without a version, or a version without a name.
    case stage1NameAndVersion
    /// stage1.d: a relative location that is no URL.
    case stage1Location
    /// auth.d: no domains.
    case noDomains
    /// auth.d: no type.
    case noAuthType
    /// auth.d: basic credentials without a user.
    case noUser
    /// auth.d: basic credentials without a password.
    case noPassword
    /// auth.d: oauth credentials without a token.
    case noToken
    /// auth.d: a type other than basic and oauth.
    case unknownAuthType(String)
    /// auth.d: a domain configured twice.
    case duplicateDomain(String)
    /// dockerAuth: no registries.
    case noRegistries
    /// dockerAuth: a registry configured twice.
    case duplicateRegistry(String)

    public var description: String {
        switch self {
        case .file(let path, let cause):
            "\(path): \(cause)"
        case .kindRequired:
            "rktKind is required"
        case .version:
            "rktVersion must be \"v1\""
        case .unexpectedKind(let directory, let kinds, let file, let kind):
            "the configuration directory \(quoted(directory)) expects to have configuration files of kinds \(quoted(kinds.joined(separator: ", "))), but \(quoted(file)) has kind of \(quoted(kind))"
        case .relativeDataDirectory:
            "data directory must be an absolute path"
        case .relativeStage1ImagesDirectory:
            "stage1 images directory must be an absolute path"
        case .stage1NameAndVersion:
            "default stage1 image name and version must be given together"
        case .stage1Location:
            "default stage1 image location is either a relative path or a URL without scheme"
        case .noDomains:
            "no domains specified"
        case .noAuthType:
            "no auth type specified"
        case .noUser:
            "user not specified"
        case .noPassword:
            "password not specified"
        case .noToken:
            "no oauth bearer token specified"
        case .unknownAuthType(let type):
            "unknown auth type: \(quoted(type))"
        case .duplicateDomain(let domain):
            "auth for domain \(quoted(domain)) is already specified"
        case .noRegistries:
            "no registries specified"
        case .duplicateRegistry(let registry):
            "auth for registry \(quoted(registry)) is already specified"
        }
    }
}
