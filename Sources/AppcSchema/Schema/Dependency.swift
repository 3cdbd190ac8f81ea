/// An image this image is layered on: `{"imageName", "imageID", "labels", "size"}`.
public struct Dependency: JSONRepresentable, Hashable {
    public var imageName: ACIdentifier
    public var imageID: ImageID?
    public var labels: Labels
    public var size: UInt

    public init(imageName: ACIdentifier, imageID: ImageID? = nil, labels: Labels = try! Labels(), size: UInt = 0) {
        self.imageName = imageName
        self.imageID = imageID
        self.labels = labels
        self.size = size
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        guard let name = try reader.decode("imageName", as: ACIdentifier.self) else {
            throw JSONDecodingError("imageName cannot be empty", path: [.key("imageName")])
        }
        imageName = name
        imageID = try reader.decode("imageID", as: ImageID.self, null: .reset)
        labels = try reader.decode("labels", as: Labels.self) ?? Labels()
        size = try reader.uint("size") ?? 0
    }

    public var json: JSONValue {
        .object([
            "imageName": imageName.json, "imageID": imageID?.json,
            "labels": labels.isEmpty ? nil : labels.json, "size": size == 0 ? nil : .number(String(size)),
        ])
    }
}
