/// The manifest of a pod: its apps (each by image ID), volumes, pod-level isolators,
/// annotations and exposed ports.
public struct PodManifest: JSONRepresentable, Hashable {
    public var acVersion: SemVer?
    /// Apps in order; nil when the document had none (written as `null`).
    public var apps: [RuntimeApp]?
    public var volumes: [Volume]?
    public var isolators: [Isolator]?
    public var annotations: Annotations?
    public var ports: [ExposedPort]?
    public var userAnnotations: [String: String]
    public var userLabels: [String: String]

    public init(apps: [RuntimeApp], volumes: [Volume] = [], isolators: [Isolator] = [],
                annotations: Annotations = try! Annotations(), ports: [ExposedPort] = [], acVersion: SemVer = AppcSpec.version) throws {
        self.acVersion = acVersion
        self.apps = apps
        self.volumes = volumes
        self.isolators = isolators
        self.annotations = annotations
        self.ports = ports
        userAnnotations = [:]
        userLabels = [:]
        try validate()
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        acVersion = try reader.decode("acVersion", as: SemVer.self)
        let kind = try reader.decode("acKind", as: ACKind.self)
        apps = try reader.array("apps", of: RuntimeApp.self)
        volumes = try reader.array("volumes", of: Volume.self)
        isolators = try reader.array("isolators", of: Isolator.self)
        annotations = try reader.decode("annotations", as: Annotations.self)
        ports = try reader.array("ports", of: ExposedPort.self)
        userAnnotations = try reader.decode("userAnnotations") { try App.stringMap($0) } ?? [:]
        userLabels = try reader.decode("userLabels") { try App.stringMap($0) } ?? [:]
        guard kind == .podManifest else { throw ACKind.mismatch(expected: .podManifest) }
        try validate()
    }

    /// The reference's field order: `acVersion` first; apps, volumes, isolators, annotations and
    /// ports always written (`null` when absent).
    public var json: JSONValue {
        let version: JSONValue = acVersion?.json ?? .string("")
        let apps: JSONValue = self.apps?.json ?? .null
        let volumes: JSONValue = self.volumes?.json ?? .null
        let isolators: JSONValue = self.isolators?.json ?? .null
        let annotations: JSONValue = self.annotations?.json ?? .null
        let ports: JSONValue = self.ports?.json ?? .null
        let userAnnotations: JSONValue? = self.userAnnotations.isEmpty ? nil : App.sortedObject(self.userAnnotations)
        let userLabels: JSONValue? = self.userLabels.isEmpty ? nil : App.sortedObject(self.userLabels)
        return .object([
            "acVersion": version, "acKind": ACKind.podManifest.json, "apps": apps, "volumes": volumes,
            "isolators": isolators, "annotations": annotations, "ports": ports,
            "userAnnotations": userAnnotations, "userLabels": userLabels,
        ])
    }

    private func validate() throws {
        var appNames: Set<ACName> = []
        for (position, app) in (apps ?? []).enumerated() where !appNames.insert(app.name).inserted {
            throw JSONDecodingError("duplicate apps of name \(quoted(app.name.value))", path: [.key("apps"), .index(position)])
        }
        var volumeNames: Set<ACName> = []
        for (position, volume) in (volumes ?? []).enumerated() where !volumeNames.insert(volume.name).inserted {
            throw JSONDecodingError("duplicate volume name \(quoted(volume.name.value))", path: [.key("volumes"), .index(position)])
        }
    }
}
