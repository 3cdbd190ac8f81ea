import AppcSchema

/// Small manifests for the schema tests: each helper returns JSON text with a valid frame around
/// the members under test, so a test shows only what it is about.
enum Fixture {
    /// The members every valid image manifest needs.
    static let imageFrame = #""acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app""#

    /// An image manifest with `members` added after the required ones.
    static func image(_ members: String = "") -> String {
        members.isEmpty ? "{\(imageFrame)}" : "{\(imageFrame),\(members)}"
    }

    /// An image manifest whose app has user and group `0` plus `members`.
    static func app(_ members: String = "") -> String {
        let app = members.isEmpty ? #"{"user":"0","group":"0"}"# : #"{"user":"0","group":"0",\#(members)}"#
        return image(#""app":\#(app)"#)
    }

    /// An image manifest whose app has the isolators `list` (a comma-separated list of objects).
    static func isolators(_ list: String) -> String {
        app(#""isolators":[\#(list)]"#)
    }

    /// A pod manifest (acVersion 0.8.11) with `members` added.
    static func pod(_ members: String = "") -> String {
        let frame = #""acVersion":"0.8.11","acKind":"PodManifest""#
        return members.isEmpty ? "{\(frame)}" : "{\(frame),\(members)}"
    }
}

/// The description of the error decoding `text` as `T` throws (`path: message`), or nil when
/// the document decodes.
func decodingError<T: JSONRepresentable>(_ type: T.Type, _ text: String) -> String? {
    do {
        _ = try T.decode(Array(text.utf8))
        return nil
    } catch {
        return "\(error)"
    }
}

/// The description of the error `body` throws, or nil when it returns.
func thrownError<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return "\(error)"
    }
}

/// Decodes `text` as `T`, for tests of documents that must be valid.
func decoded<T: JSONRepresentable>(_ type: T.Type, _ text: String) throws -> T {
    try T.decode(Array(text.utf8))
}

/// The compact encoding as text.
func compactText<T: JSONRepresentable>(_ value: T) -> String {
    String(decoding: value.compactJSON, as: UTF8.self)
}
