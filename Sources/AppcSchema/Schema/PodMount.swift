/// A pod app's mount: which volume goes to which path (`{"volume", "path", "appVolume"}`).
public struct PodMount: JSONRepresentable, Hashable {
    public var volume: ACName
    public var path: String
    /// A volume defined inline for this app only.
    public var appVolume: Volume?

    public init(volume: ACName, path: String, appVolume: Volume? = nil) {
        self.volume = volume
        self.path = path
        self.appVolume = appVolume
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        volume = try reader.decode("volume", as: ACName.self) ?? ACName.unchecked("")
        path = try reader.string("path") ?? ""
        appVolume = try reader.decode("appVolume", as: Volume.self)
    }

    public var json: JSONValue {
        .object(["volume": volume.json, "path": .string(path), "appVolume": appVolume?.json])
    }
}
