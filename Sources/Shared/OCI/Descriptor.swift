import Foundation

/// A reference to content by digest and size: `{"mediaType", "digest", "size", "urls",
/// "annotations", "data", "platform", "artifactType"}`.
public struct Descriptor: JSONRepresentable, Hashable {
    /// The annotation holding a tag in `index.json`.
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"

    public var mediaType: String
    public var digest: Digest
    public var size: Int64
    public var urls: [String]
    public var annotations: [String: String]
    /// Embedded content (base64 in JSON), which must match the digest and size.
    public var data: [UInt8]?
    public var platform: Platform?
    public var artifactType: String?

    public init(mediaType: String, digest: Digest, size: Int64, annotations: [String: String] = [:], platform: Platform? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
        self.platform = platform
        urls = []
    }

    /// The descriptor of some bytes (SHA-256).
    public init(mediaType: String, content: [UInt8]) {
        self.init(mediaType: mediaType, digest: .sha256(content), size: Int64(content.count))
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        guard let mediaType = try reader.string("mediaType") else {
            throw JSONDecodingError("mediaType is required", path: [.key("mediaType")])
        }
        guard MediaType.isValid(mediaType) else {
            throw JSONDecodingError("invalid media type \(quoted(mediaType))", path: [.key("mediaType")])
        }
        guard let digest = try reader.decode("digest", as: Digest.self) else {
            throw JSONDecodingError("digest is required", path: [.key("digest")])
        }
        guard let size = try reader.int("size") else { throw JSONDecodingError("size is required", path: [.key("size")]) }
        guard size >= 0 else { throw JSONDecodingError("size must not be negative", path: [.key("size")]) }
        self.mediaType = mediaType
        self.digest = digest
        self.size = Int64(size)
        urls = try reader.array("urls") { try $0.stringValue() } ?? []
        annotations = try reader.decode("annotations") { try Self.stringMap($0) } ?? [:]
        platform = try reader.decode("platform", as: Platform.self)
        artifactType = try reader.string("artifactType")
        data = try reader.decode("data") { json -> [UInt8] in
            let text = try json.stringValue()
            guard let decoded = Data(base64Encoded: text), decoded.base64EncodedString() == text else {
                throw JSONDecodingError("not padded standard base64")
            }
            return Array(decoded)
        }
        if let data {
            guard Int64(data.count) == self.size else {
                throw JSONDecodingError("data is \(data.count) bytes but size says \(self.size)", path: [.key("data")])
            }
            if let algorithm = digest.verifiableAlgorithm, ContentHasher.hex(algorithm, of: data) != digest.encoded {
                throw JSONDecodingError("data does not match digest \(digest)", path: [.key("data")])
            }
        }
    }

    /// The tag of a descriptor in `index.json`, if any.
    public var refName: String? { annotations[Self.refNameAnnotation] }

    public var json: JSONValue {
        .object([
            "mediaType": .string(mediaType), "digest": digest.json, "size": .number(String(size)),
            "urls": urls.isEmpty ? nil : .array(urls.map(JSONValue.string)),
            "annotations": annotations.isEmpty ? nil : Self.sortedObject(annotations),
            "data": data.map { .string(Data($0).base64EncodedString()) },
            "platform": platform?.json, "artifactType": artifactType.map(JSONValue.string),
        ])
    }

    /// A string-to-string JSON object (Go's `map[string]string`).
    static func stringMap(_ json: JSONValue) throws -> [String: String] {
        var map: [String: String] = [:]
        for member in try JSONObjectReader(json).members {
            map[member.key] = try JSONDecodingError.at(.key(member.key)) { try member.value.stringValue() }
        }
        return map
    }

    /// A Go map as `encoding/json` writes it: keys sorted.
    static func sortedObject(_ map: [String: String]) -> JSONValue {
        .object(map.keys.sorted().map { JSONMember(key: $0, value: .string(map[$0]!)) })
    }
}
