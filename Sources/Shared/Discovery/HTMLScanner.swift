/// Finds start tags in HTML the way a browser's tokenizer would for our purpose: comments,
/// doctype and processing instructions skipped, raw-text elements (`script`, `style`, …) skipped
/// to their end tag, attributes with quoted or bare values and character references decoded.
struct HTMLScanner {
    struct Tag {
        var name: String
        var attributes: [(name: String, value: String)]
    }

    private static let rawTextElements: Set<String> = [
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext",
    ]

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next start tag, or nil at the end of the document.
    mutating func nextStartTag() -> Tag? {
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            index = open + 1
            if starts(with: "!--") {
                index = find("-->").map { $0 + 3 } ?? bytes.count
            } else if starts(with: "!") || starts(with: "?") || starts(with: "/") {
                index = bytes[index...].firstIndex(of: UInt8(ascii: ">")).map { $0 + 1 } ?? bytes.count
            } else if index < bytes.count, bytes[index].isASCIILetter {
                let tag = parseTag()
                if Self.rawTextElements.contains(tag.name) {
                    index = findEndTag(tag.name) ?? bytes.count
                }
                return tag
            }
        }
        index = bytes.count
        return nil
    }

    private mutating func parseTag() -> Tag {
        let start = index
        while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: ">") {
            index += 1
        }
        let name = String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
        var attributes: [(name: String, value: String)] = []
        while index < bytes.count {
            while index < bytes.count, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") { index += 1 }
            guard index < bytes.count, bytes[index] != UInt8(ascii: ">") else { break }
            let nameStart = index
            while index < bytes.count, !isSpace(bytes[index]), !"=/>".utf8.contains(bytes[index]) { index += 1 }
            if index == nameStart { index += 1; continue }
            let attributeName = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            var value = ""
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                value = Self.decodeReferences(parseValue())
            }
            attributes.append((attributeName, value))
        }
        if index < bytes.count { index += 1 }
        return Tag(name: name, attributes: attributes)
    }

    private mutating func parseValue() -> String {
        guard index < bytes.count else { return "" }
        let quote = bytes[index]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote { index += 1 }
            let value = String(decoding: bytes[start..<index], as: UTF8.self)
            if index < bytes.count { index += 1 }
            return value
        }
        let start = index
        while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func starts(with text: String) -> Bool {
        bytes[index...].starts(with: text.utf8)
    }

    private func find(_ text: String) -> Int? {
        let needle = Array(text.utf8)
        var position = index
        while position + needle.count <= bytes.count {
            if bytes[position..<position + needle.count].elementsEqual(needle) { return position }
            position += 1
        }
        return nil
    }

    private func findEndTag(_ name: String) -> Int? {
        let needle = Array("</\(name)".utf8)
        var position = index
        while position + needle.count <= bytes.count {
            let candidate = bytes[position..<position + needle.count].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            if candidate == needle { return position }
            position += 1
        }
        return nil
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    /// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;` and `&#xHH;`.
    static func decodeReferences(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"]
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            rest = rest[rest.index(after: ampersand)...]
            guard let semicolon = rest.prefix(10).firstIndex(of: ";") else {
                result += "&"
                continue
            }
            let reference = rest[..<semicolon]
            var replacement: String?
            if reference.hasPrefix("#x") || reference.hasPrefix("#X") {
                replacement = UInt32(reference.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
            } else if reference.hasPrefix("#") {
                replacement = UInt32(reference.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
            } else {
                replacement = named[String(reference)]
            }
            if let replacement {
                result += replacement
                rest = rest[rest.index(after: semicolon)...]
            } else {
                result += "&"
            }
        }
        return result + rest
    }
}
