/// The `acKind` of an appc document.
public enum ACKind: String, JSONRepresentable, CaseIterable {
    case imageManifest = "ImageManifest"
    case podManifest = "PodManifest"

    public init(json: JSONValue) throws {
        let text = try json.stringValue()
        if text.isEmpty { throw JSONDecodingError("ACKind must be set") }
        guard let kind = ACKind(rawValue: text) else { throw JSONDecodingError("bad ACKind: \(text)") }
        self = kind
    }

    public var json: JSONValue { .string(rawValue) }

    public static var nullPolicy: JSONObjectReader.NullPolicy { .decode }

    /// The error for a document whose kind is missing or not `expected`.
    public static func mismatch(expected: ACKind) -> JSONDecodingError {
        JSONDecodingError("missing or bad ACKind (must be \"\(expected.rawValue)\")", path: [.key("acKind")])
    }
}
