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
