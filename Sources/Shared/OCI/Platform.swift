/// The platform an image runs on: `{"architecture", "os", "os.version", "os.features", "variant"}`.
public struct Platform: JSONRepresentable, Hashable, CustomStringConvertible {
    public var architecture: String
    public var os: String
    public var osVersion: String?
    public var osFeatures: [String]
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
        osFeatures = []
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        guard let architecture = try reader.string("architecture"), !architecture.isEmpty else {
            throw JSONDecodingError("architecture is required", path: [.key("architecture")])
        }
        guard let os = try reader.string("os"), !os.isEmpty else { throw JSONDecodingError("os is required", path: [.key("os")]) }
        self.architecture = architecture
        self.os = os
        osVersion = try reader.string("os.version")
        osFeatures = try reader.array("os.features") { try $0.stringValue() } ?? []
        variant = try reader.string("variant")
    }

    /// The host: linux and the machine's architecture, in OCI names.
    public static var host: Platform {
        let appc = OSArch.host
        let go = OSArch.goArch(fromAppc: appc.arch) ?? (appc.arch, nil)
        return Platform(os: appc.os, architecture: go.arch, variant: go.variant)
    }

    /// Whether an image for `self` matches what `wanted` asks (a missing variant matches any).
    public func matches(_ wanted: Platform) -> Bool {
        os == wanted.os && architecture == wanted.architecture && (wanted.variant == nil || variant == wanted.variant)
    }

    public var json: JSONValue {
        .object([
            "architecture": .string(architecture), "os": .string(os), "os.version": osVersion.map(JSONValue.string),
            "os.features": osFeatures.isEmpty ? nil : .array(osFeatures.map(JSONValue.string)),
            "variant": variant.map(JSONValue.string),
        ])
    }

    public var description: String { "\(os)/\(architecture)\(variant.map { "/\($0)" } ?? "")" }
}
