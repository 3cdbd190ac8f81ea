import Glibc

/// rkt's configuration: `*.json` files of `paths.d`, `stage1.d` and `auth.d`, read from the system
/// directory, then the local one, then the user one (later ones override per field, domain and
/// registry). Only regular `.json` files directly in each kind's directory count.
public struct RktConfig: Sendable {
    /// Credentials for a domain (`auth` kind): a header to send.
    public struct Credentials: Sendable, Equatable {
        public var header: (name: String, value: String)
        public static func == (lhs: Credentials, rhs: Credentials) -> Bool { lhs.header == rhs.header }
    }

    /// The data directory from `paths.d` (`data`), if configured.
    public var dataDirectory: String?
    /// Where stage1 images are looked for (`stage1-images`).
    public var stage1ImagesDirectory: String?
    /// The default stage1 from `stage1.d`.
    public var stage1: (name: String, version: String, location: String)?
    /// Headers per domain (`auth`, basic or oauth).
    public var domainHeaders: [String: Credentials] = [:]
    /// User and password per registry (`dockerAuth`).
    public var registryCredentials: [String: (user: String, password: String)] = [:]

    public init() {}

    /// Reads every layer that exists.
    public static func load(system: String, local: String, user: String?) throws -> RktConfig {
        var config = RktConfig()
        for directory in [system, local, user].compactMap({ $0 }) {
            try config.read(kind: "paths.d", in: directory, expecting: ["paths"])
            try config.read(kind: "stage1.d", in: directory, expecting: ["stage1"])
            try config.read(kind: "auth.d", in: directory, expecting: ["auth", "dockerAuth"])
        }
        return config
    }

    /// The header to authenticate a request to `host`, if configured.
    public func header(for host: String) -> [(name: String, value: String)] {
        domainHeaders[host].map { [$0.header] } ?? []
    }

    private mutating func read(kind: String, in base: String, expecting kinds: [String]) throws {
        let directory = "\(base)/\(kind)"
        guard let opened = FileDescriptor(checking: open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) else { return }
        let fd = opened.rawValue
        var seenDomains: Set<String> = []
        for name in try DirectoryWalker.sortedNames(fd, path: directory) where name.hasSuffix(".json") {
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let path = "\(directory)/\(name)"
            do {
                let reader = try JSONObjectReader(try JSONParser.parse(try FileIO.readFile(path, limit: 1 << 20)))
                guard let fileKind = try reader.string("rktKind"), !fileKind.isEmpty else { throw ConfigError.kindRequired }
                guard let version = try reader.string("rktVersion"), version == "v1" else {
                    throw ConfigError.version
                }
                guard kinds.contains(fileKind) else {
                    throw ConfigError.unexpectedKind(directory: directory, kinds: kinds, file: name, kind: fileKind)
                }
                try apply(fileKind, reader, seen: &seenDomains)
            } catch {
                throw ConfigError.file(path: path, cause: error)
            }
        }
    }

    private mutating func apply(_ kind: String, _ reader: JSONObjectReader, seen: inout Set<String>) throws {
        switch kind {
        case "paths":
            if let data = try reader.string("data") {
                guard data.hasPrefix("/") else { throw ConfigError.relativeDataDirectory }
                dataDirectory = data
            }
            if let images = try reader.string("stage1-images") {
                guard images.hasPrefix("/") else { throw ConfigError.relativeStage1ImagesDirectory }
                stage1ImagesDirectory = images
            }
        case "stage1":
            let name = try reader.string("name") ?? ""
            let version = try reader.string("version") ?? ""
            let location = try reader.string("location") ?? ""
            if name.isEmpty != version.isEmpty { throw ConfigError.stage1NameAndVersion }
            if !location.isEmpty && !location.hasPrefix("/") && !location.contains("://") {
                throw ConfigError.stage1Location
            }
            stage1 = (name, version, location)
        case "auth":
            let domains = try reader.array("domains") { try $0.stringValue() } ?? []
            if domains.isEmpty { throw ConfigError.noDomains }
            guard let type = try reader.string("type"), !type.isEmpty else { throw ConfigError.noAuthType }
            let credentials = try reader.decode("credentials") { try JSONObjectReader($0) }
            let header: (String, String)
            switch type {
            case "basic":
                guard let user = try credentials?.string("user"), !user.isEmpty else { throw ConfigError.noUser }
                guard let password = try credentials?.string("password"), !password.isEmpty else { throw ConfigError.noPassword }
                header = ("Authorization", "Basic " + Base64.encode(Array("\(user):\(password)".utf8)))
            case "oauth":
                guard let token = try credentials?.string("token"), !token.isEmpty else { throw ConfigError.noToken }
                header = ("Authorization", "Bearer \(token)")
            default:
                throw ConfigError.unknownAuthType(type)
            }
            for domain in domains {
                guard seen.insert("auth:\(domain)").inserted else { throw ConfigError.duplicateDomain(domain) }
                domainHeaders[domain] = Credentials(header: header)
            }
        case "dockerAuth":
            let registries = try reader.array("registries") { try $0.stringValue() } ?? []
            if registries.isEmpty { throw ConfigError.noRegistries }
            let credentials = try reader.decode("credentials") { try JSONObjectReader($0) }
            guard let user = try credentials?.string("user"), !user.isEmpty else { throw ConfigError.noUser }
            guard let password = try credentials?.string("password"), !password.isEmpty else { throw ConfigError.noPassword }
            for registry in registries {
                guard seen.insert("docker:\(registry)").inserted else { throw ConfigError.duplicateRegistry(registry) }
                registryCredentials[registry] = (user, password)
            }
        default:
            break
        }
    }
}
