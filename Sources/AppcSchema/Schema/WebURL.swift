/// The checks the reference applies to the `homepage` and `documentation` annotations: a URL that
/// Go's `url.Parse` accepts, with an http or https scheme.
public enum WebURL {
    public static func validate(_ text: String) throws {
        let bytes = Array(text.utf8)
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw JSONDecodingError("bad URL \(quoted(text)): invalid control character in URL")
        }
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, bytes[index + 1].isHexDigit, bytes[index + 2].isHexDigit else {
                    throw JSONDecodingError("bad URL \(quoted(text)): invalid URL escape")
                }
                index += 3
            } else {
                index += 1
            }
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              bytes[0].isASCIILetter,
              bytes[..<colon].allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || "+-.".utf8.contains($0) })
        else {
            throw JSONDecodingError("bad URL scheme, must be http/https (got \(quoted(text)))")
        }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw JSONDecodingError("bad URL scheme, must be http/https (got \(quoted(text)))")
        }
        let rest = bytes[(colon + 1)...]
        if rest.starts(with: "//".utf8) {
            let authority = rest.dropFirst(2).prefix { !"/?#".utf8.contains($0) }
            let hostAndPort = authority.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false).last ?? []
            try validateHost(Array(hostAndPort), text)
        }
    }

    /// Go's `parseHost`: a bracketed IPv6 address or a name of allowed characters, `%XX` escapes
    /// only for non-ASCII (or `%25`), and an optional numeric port.
    private static func validateHost(_ host: [UInt8], _ text: String) throws {
        var name = host[...]
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else {
                throw JSONDecodingError("bad URL \(quoted(text)): missing ']' in host")
            }
            try validatePort(host[(close + 1)...], text)
            return
        }
        if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            try validatePort(host[colon...], text)
            name = host[..<colon]
        }
        var index = name.startIndex
        while index < name.endIndex {
            let byte = name[index]
            if byte == UInt8(ascii: "%") {
                let escape = String(decoding: name[index...].prefix(3), as: UTF8.self)
                if escape != "%25", let first = name.dropFirst(index - name.startIndex + 1).first,
                   let value = Int(String(UnicodeScalar(first)), radix: 16), value < 8 {
                    throw JSONDecodingError("bad URL \(quoted(text)): invalid URL escape \(quoted(escape))")
                }
                index += 3
                continue
            }
            if byte < 0x80 && !(byte.isASCIILetter || byte.isASCIIDigit || "-_.~!$&'()*+,;=:[]<>\"".utf8.contains(byte)) {
                throw JSONDecodingError("bad URL \(quoted(text)): invalid character \(quoted(String(UnicodeScalar(byte)))) in host name")
            }
            index += 1
        }
    }

    private static func validatePort(_ port: ArraySlice<UInt8>, _ text: String) throws {
        guard let colon = port.first else { return }
        guard colon == UInt8(ascii: ":"), port.dropFirst().allSatisfy(\.isASCIIDigit) else {
            throw JSONDecodingError("bad URL \(quoted(text)): invalid port \(quoted(String(decoding: port, as: UTF8.self))) after host")
        }
    }
}

extension UInt8 {
    public var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    public var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
    public var isHexDigit: Bool { isASCIIDigit || (0x41...0x46).contains(self) || (0x61...0x66).contains(self) }
}
