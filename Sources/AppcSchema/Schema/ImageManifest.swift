/// The manifest of an App Container Image: its name and labels, what it runs, its annotations,
/// the images it depends on and which paths it keeps from them.
public struct ImageManifest: JSONRepresentable, Hashable {
    /// The largest manifest we read; larger ones are refused before being read into memory.
    public static let maximumSize = 1 << 20

    public var acVersion: SemVer
    public var name: ACIdentifier
    public var labels: Labels
    public var app: App?
    public var annotations: Annotations
    public var dependencies: [Dependency]
    public var pathWhitelist: [String]

    public init(name: ACIdentifier, acVersion: SemVer = AppcSpec.version, labels: Labels = try! Labels(), app: App? = nil,
                annotations: Annotations = try! Annotations(), dependencies: [Dependency] = [], pathWhitelist: [String] = []) {
        self.acVersion = acVersion
        self.name = name
        self.labels = labels
        self.app = app
        self.annotations = annotations
        self.dependencies = dependencies
        self.pathWhitelist = pathWhitelist
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        let kind = try reader.decode("acKind", as: ACKind.self)
        let version = try reader.decode("acVersion", as: SemVer.self)
        let name = try reader.decode("name", as: ACIdentifier.self)
        labels = try reader.decode("labels", as: Labels.self) ?? Labels()
        app = try reader.decode("app", as: App.self)
        annotations = try reader.decode("annotations", as: Annotations.self) ?? Annotations()
        dependencies = try reader.array("dependencies", of: Dependency.self) ?? []
        pathWhitelist = try reader.array("pathWhitelist") { try $0.stringValue() } ?? []
        guard kind == .imageManifest else { throw ACKind.mismatch(expected: .imageManifest) }
        guard let version else { throw JSONDecodingError("acVersion must be set", path: [.key("acVersion")]) }
        guard let name else { throw JSONDecodingError("name must be set", path: [.key("name")]) }
        acVersion = version
        self.name = name
    }

    public var json: JSONValue {
        let labels: JSONValue? = self.labels.isEmpty ? nil : self.labels.json
        let annotations: JSONValue? = self.annotations.isEmpty ? nil : self.annotations.json
        let whitelist: JSONValue? = pathWhitelist.isEmpty ? nil : .array(pathWhitelist.map(JSONValue.string))
        return .object([
            "acKind": ACKind.imageManifest.json, "acVersion": acVersion.json, "name": name.json, "labels": labels,
            "app": app?.json, "annotations": annotations, "dependencies": dependencies.jsonUnlessEmpty,
            "pathWhitelist": whitelist,
        ])
    }
}
