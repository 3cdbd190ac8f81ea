/// An image asked for by name: `name[:version][,label=value…]` (`coreos.com/etcd:v2.0.0`,
/// `example.com/app,version=1.2.3,arch=amd64`). The colon is sugar for `,version=` and may appear
/// once, right after the name.
public struct AppString: Sendable, Hashable, CustomStringConvertible {
    public var name: ACIdentifier
    /// Requested labels in the order given.
    public var labels: [(name: ACIdentifier, value: String)]

    public init(name: ACIdentifier, labels: [(name: ACIdentifier, value: String)] = []) {
        self.name = name
        self.labels = labels
    }

    public init(parsing text: String) throws {
        let firstComma = text.firstIndex(of: ",")
        let firstColon = text.firstIndex(of: ":")
        if let firstColon, let firstComma, firstColon > firstComma {
            throw AppStringError.colonAfterLabels(text)
        }
        if text.filter({ $0 == ":" }).count > 1 {
            throw AppStringError.severalColons(text)
        }
        var prepared = "name=" + text
        if let colon = prepared.firstIndex(of: ":") { prepared.replaceSubrange(colon...colon, with: ",version=") }
        var name: ACIdentifier?
        var labels: [(name: ACIdentifier, value: String)] = []
        for (key, value) in try KeyValueString.parse(prepared) {
            if key == "name" {
                name = try ACIdentifier(value)
            } else {
                labels.append((try ACIdentifier(key), value))
            }
        }
        self.init(name: name!, labels: labels)
    }

    /// The value of a requested label.
    public subscript(label: String) -> String? {
        labels.first { $0.name.value == label }?.value
    }

    /// Sets a label unless it was given.
    public mutating func setDefault(_ label: String, _ value: String) {
        if self[label] == nil { labels.append((try! ACIdentifier(label), value)) }
    }

    public var description: String {
        ([name.value] + labels.map { "\($0.name)=\($0.value)" }).joined(separator: ",")
    }

    public static func == (lhs: AppString, rhs: AppString) -> Bool {
        lhs.name == rhs.name && lhs.labels.elementsEqual(rhs.labels) { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        for label in labels {
            hasher.combine(label.name)
            hasher.combine(label.value)
        }
    }
}
