/// An OCI image configuration: the platform, how to run the image, and the layers' diff IDs.
/// Fields are read case-insensitively (Docker writes `Env`, `Cmd`, …).
public struct ImageConfig: JSONRepresentable, Hashable {
    /// The `config` section: the defaults for running a container.
    public struct RunConfig: Hashable, Sendable {
        public var user: String?
        public var exposedPorts: [String]
        public var env: [String]
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var volumes: [String]
        public var workingDir: String?
        public var labels: [String: String]
        public var stopSignal: String?

        public init() {
            exposedPorts = []
            env = []
            volumes = []
            labels = [:]
        }
    }

    public var created: String?
    public var author: String?
    public var architecture: String
    public var os: String
    public var variant: String?
    public var config: RunConfig
    public var diffIDs: [Digest]

    public init(os: String, architecture: String, variant: String? = nil, config: RunConfig, diffIDs: [Digest], created: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
        self.config = config
        self.diffIDs = diffIDs
        self.created = created
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        created = try reader.string("created")
        if let created, !RFC3339.isValid(created) {
            throw JSONDecodingError("created is not an RFC 3339 date: \(quoted(created))", path: [.key("created")])
        }
        author = try reader.string("author")
        guard let architecture = try reader.string("architecture") else {
            throw JSONDecodingError("architecture is required", path: [.key("architecture")])
        }
        guard let os = try reader.string("os") else { throw JSONDecodingError("os is required", path: [.key("os")]) }
        self.architecture = architecture
        self.os = os
        variant = try reader.string("variant")
        config = try reader.decode("config") { try Self.runConfig($0) } ?? RunConfig()
        guard let rootfs = try reader.decode("rootfs", { try JSONObjectReader($0) }) else {
            throw JSONDecodingError("rootfs is required", path: [.key("rootfs")])
        }
        diffIDs = try JSONDecodingError.at(.key("rootfs")) {
            guard try rootfs.string("type") == "layers" else { throw JSONDecodingError("type must be \"layers\"", path: [.key("type")]) }
            return try rootfs.array("diff_ids", of: Digest.self) ?? []
        }
    }

    private static func runConfig(_ json: JSONValue) throws -> RunConfig {
        let reader = try JSONObjectReader(json)
        var config = RunConfig()
        config.user = try reader.string("User")
        config.exposedPorts = try reader.decode("ExposedPorts") { try JSONObjectReader($0).members.map(\.key) } ?? []
        config.env = try reader.array("Env") { try $0.stringValue() } ?? []
        for (position, entry) in config.env.enumerated() where (entry.firstIndex(of: "=").map { $0 == entry.startIndex } ?? true) {
            throw JSONDecodingError("environment entry must be NAME=VALUE, got \(quoted(entry))", path: [.key("Env"), .index(position)])
        }
        config.entrypoint = try reader.array("Entrypoint") { try $0.stringValue() }
        config.cmd = try reader.array("Cmd") { try $0.stringValue() }
        config.volumes = try reader.decode("Volumes") { try JSONObjectReader($0).members.map(\.key) } ?? []
        config.workingDir = try reader.string("WorkingDir")
        config.labels = try reader.decode("Labels") { try Descriptor.stringMap($0) } ?? [:]
        config.stopSignal = try reader.string("StopSignal")
        return config
    }

    public var json: JSONValue {
        let run = config
        let runJSON = JSONValue.object([
            "User": run.user.map(JSONValue.string),
            "ExposedPorts": run.exposedPorts.isEmpty ? nil : .object(run.exposedPorts.sorted().map { JSONMember(key: $0, value: .object([])) }),
            "Env": run.env.isEmpty ? nil : .array(run.env.map(JSONValue.string)),
            "Entrypoint": run.entrypoint.map { .array($0.map(JSONValue.string)) },
            "Cmd": run.cmd.map { .array($0.map(JSONValue.string)) },
            "Volumes": run.volumes.isEmpty ? nil : .object(run.volumes.sorted().map { JSONMember(key: $0, value: .object([])) }),
            "WorkingDir": run.workingDir.map(JSONValue.string),
            "Labels": run.labels.isEmpty ? nil : Descriptor.sortedObject(run.labels),
            "StopSignal": run.stopSignal.map(JSONValue.string),
        ])
        return .object([
            "created": created.map(JSONValue.string), "author": author.map(JSONValue.string),
            "architecture": .string(architecture), "os": .string(os), "variant": variant.map(JSONValue.string),
            "config": runJSON,
            "rootfs": .object(["type": .string("layers"), "diff_ids": .array(diffIDs.map(\.json))]),
        ])
    }
}
