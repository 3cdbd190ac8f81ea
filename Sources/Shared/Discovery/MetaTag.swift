/// An `<meta name="ac-…" content="PREFIX URL">` tag of a discovery page.
public struct MetaTag: Sendable, Equatable {
    /// `ac-discovery` or `ac-discovery-pubkeys` (any name starting with `ac-` is kept).
    public var name: String
    public var prefix: String
    public var uri: String

    public init(name: String, prefix: String, uri: String) {
        self.name = name
        self.prefix = prefix
        self.uri = uri
    }

    /// The `ac-` meta tags of an HTML page, in document order. Tags inside comments, scripts and
    /// other raw-text elements do not count; attribute values have their character references decoded.
    public static func parse(_ html: [UInt8]) -> [MetaTag] {
        var scanner = HTMLScanner(html)
        var tags: [MetaTag] = []
        while let tag = scanner.nextStartTag() {
            guard tag.name == "meta" else { continue }
            let name = tag.attributes.first { $0.name == "name" }?.value ?? ""
            let content = (tag.attributes.first { $0.name == "content" }?.value ?? "").trimmingSpaces()
            guard name.hasPrefix("ac-"), let space = content.firstIndex(of: " ") else { continue }
            let prefix = String(content[..<space])
            let uri = String(content[content.index(after: space)...]).trimmingSpaces()
            if !prefix.isEmpty && !uri.isEmpty { tags.append(MetaTag(name: name, prefix: prefix, uri: uri)) }
        }
        return tags
    }
}

extension String {
    /// The string without leading and trailing white space.
    public func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
