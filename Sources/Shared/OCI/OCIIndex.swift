/// An OCI image index (or Docker manifest list): descriptors of manifests or nested indexes,
/// with platforms and tags. `index.json` of a layout is one.
public struct OCIIndex: JSONRepresentable, Hashable {
    public var mediaType: String?
    public var artifactType: String?
    public var manifests: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]

    public init(manifests: [Descriptor], annotations: [String: String] = [:]) {
        mediaType = MediaType.imageIndex
        self.manifests = manifests
        self.annotations = annotations
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        guard let version = try reader.int("schemaVersion") else {
            throw JSONDecodingError("schemaVersion is required", path: [.key("schemaVersion")])
        }
        guard version == 2 else { throw JSONDecodingError("schemaVersion must be 2, got \(version)", path: [.key("schemaVersion")]) }
        mediaType = try reader.string("mediaType")
        if let mediaType, !MediaType.isIndex(mediaType) {
            throw JSONDecodingError("not an index media type: \(quoted(mediaType))", path: [.key("mediaType")])
        }
        artifactType = try reader.string("artifactType")
        guard let manifests = try reader.array("manifests", of: Descriptor.self) else {
            throw JSONDecodingError("manifests is required", path: [.key("manifests")])
        }
        self.manifests = manifests
        subject = try reader.decode("subject", as: Descriptor.self)
        annotations = try reader.decode("annotations") { try Descriptor.stringMap($0) } ?? [:]
    }

    public var json: JSONValue {
        .object([
            "schemaVersion": .number("2"), "mediaType": mediaType.map(JSONValue.string),
            "artifactType": artifactType.map(JSONValue.string), "manifests": manifests.json, "subject": subject?.json,
            "annotations": annotations.isEmpty ? nil : Descriptor.sortedObject(annotations),
        ])
    }
}
