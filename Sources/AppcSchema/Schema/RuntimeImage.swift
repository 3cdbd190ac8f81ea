/// The image of a pod app: always by ID, optionally with the name and labels it was asked by.
public struct RuntimeImage: JSONRepresentable, Hashable {
    public var name: ACIdentifier?
    /// The image ID; nil only while reading a manifest the reference would accept and later fail to write.
    public var id: ImageID?
    public var labels: Labels

    public init(name: ACIdentifier?, id: ImageID, labels: Labels = try! Labels()) {
        self.name = name
        self.id = id
        self.labels = labels
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.decode("name", as: ACIdentifier.self, null: .reset)
        id = try reader.decode("id", as: ImageID.self)
        labels = try reader.decode("labels", as: Labels.self) ?? Labels()
    }

    public var json: JSONValue {
        .object(["name": name?.json, "id": id?.json ?? .string(""), "labels": labels.isEmpty ? nil : labels.json])
    }
}
