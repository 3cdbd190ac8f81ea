/// One app of a pod: its name, its image, the app settings (overriding the image's), and mounts.
public struct RuntimeApp: JSONRepresentable, Hashable {
    public var name: ACName
    public var image: RuntimeImage
    public var app: App?
    public var readOnlyRootFS: Bool
    public var mounts: [PodMount]
    public var annotations: Annotations

    public init(name: ACName, image: RuntimeImage, app: App?, readOnlyRootFS: Bool = false,
                mounts: [PodMount] = [], annotations: Annotations = try! Annotations()) {
        self.name = name
        self.image = image
        self.app = app
        self.readOnlyRootFS = readOnlyRootFS
        self.mounts = mounts
        self.annotations = annotations
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.decode("name", as: ACName.self) ?? ACName.unchecked("")
        image = try reader.decode("image", as: RuntimeImage.self, null: .keep) ?? RuntimeImage(json: .object([]))
        app = try reader.decode("app", as: App.self)
        readOnlyRootFS = try reader.bool("readOnlyRootFS") ?? false
        mounts = try reader.array("mounts", of: PodMount.self) ?? []
        annotations = try reader.decode("annotations", as: Annotations.self) ?? Annotations()
    }

    public var json: JSONValue {
        .object([
            "name": name.json, "image": image.json, "app": app?.json,
            "readOnlyRootFS": readOnlyRootFS ? .bool(true) : nil,
            "mounts": mounts.isEmpty ? nil : .array(mounts.map(\.json)),
            "annotations": annotations.isEmpty ? nil : annotations.json,
        ])
    }
}
