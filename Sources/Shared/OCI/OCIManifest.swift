/// An OCI image manifest (or Docker schema-2 manifest): a config and an ordered list of layers.
public struct OCIManifest: JSONRepresentable, Hashable {
    public var mediaType: String?
    public var artifactType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]

    public init(config: Descriptor, layers: [Descriptor], annotations: [String: String] = [:]) {
        mediaType = MediaType.imageManifest
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        guard let version = try reader.int("schemaVersion") else {
            throw JSONDecodingError("schemaVersion is required", path: [.key("schemaVersion")])
        }
        guard version == 2 else { throw JSONDecodingError("schemaVersion must be 2, got \(version)", path: [.key("schemaVersion")]) }
        mediaType = try reader.string("mediaType")
        if let mediaType, !MediaType.isManifest(mediaType) {
            throw JSONDecodingError("not a manifest media type: \(quoted(mediaType))", path: [.key("mediaType")])
        }
        artifactType = try reader.string("artifactType")
        guard let config = try reader.decode("config", as: Descriptor.self) else {
            throw JSONDecodingError("config is required", path: [.key("config")])
        }
        self.config = config
        guard let layers = try reader.array("layers", of: Descriptor.self) else {
            throw JSONDecodingError("layers is required", path: [.key("layers")])
        }
        self.layers = layers
        subject = try reader.decode("subject", as: Descriptor.self)
        annotations = try reader.decode("annotations") { try Descriptor.stringMap($0) } ?? [:]
    }

    public var json: JSONValue {
        .object([
            "schemaVersion": .number("2"), "mediaType": mediaType.map(JSONValue.string),
            "artifactType": artifactType.map(JSONValue.string), "config": config.json, "layers": layers.json,
            "subject": subject?.json, "annotations": annotations.isEmpty ? nil : Descriptor.sortedObject(annotations),
        ])
    }
}
