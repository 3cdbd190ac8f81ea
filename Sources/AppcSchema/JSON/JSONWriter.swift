/// Writes JSON the way Go's `encoding/json` does, so manifests we write are byte-identical to the
/// reference tools' for the same content: compact output, `<`, `>`, `&`, U+2028 and U+2029 escaped,
/// control characters as `\u00XX` (except `\n`, `\r`, `\t`), numbers as their literal text.
public enum JSONWriter {
    /// Compact encoding (`json.Marshal`).
    public static func compact(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    /// Indented encoding (`json.MarshalIndent(v, "", indent)`): Go's layout, `{}` and `[]` for empty
    /// containers, `"key": value`.
    public static func indented(_ value: JSONValue, indent: String = "    ") -> [UInt8] {
        reindent(compact(value), indent: indent)
    }

    /// Compacts JSON source bytes as Go does for a `json.RawMessage`: white space outside strings is
    /// dropped, string contents are kept as written except for the HTML-unsafe characters.
    /// The input must be valid JSON (for instance a `JSONMember.source`).
    public static func compact(source: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var inString = false
        var escaped = false
        var index = source.startIndex
        while index < source.endIndex {
            let byte = source[index]
            if inString {
                if escaped {
                    escaped = false
                    out.append(byte)
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                    out.append(byte)
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    out.append(byte)
                } else if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") {
                    appendUnicodeEscape(UInt32(byte), into: &out)
                } else if byte == 0xE2, index + 2 < source.endIndex, source[index + 1] == 0x80,
                          source[index + 2] == 0xA8 || source[index + 2] == 0xA9 {
                    appendUnicodeEscape(source[index + 2] == 0xA8 ? 0x2028 : 0x2029, into: &out)
                    index += 2
                } else {
                    out.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
                case UInt8(ascii: "\""): inString = true; out.append(byte)
                default: out.append(byte)
                }
            }
            index += 1
        }
        return out
    }

    /// Re-lays-out compact JSON bytes with one member or element per line (Go's `json.Indent`).
    public static func reindent(_ compact: [UInt8], indent: String) -> [UInt8] {
        let indentBytes = Array(indent.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(compact.count * 2)
        var depth = 0
        var needIndent = false
        var inString = false
        var escaped = false
        func newline() {
            out.append(UInt8(ascii: "\n"))
            for _ in 0..<depth { out.append(contentsOf: indentBytes) }
        }
        for byte in compact {
            if inString {
                out.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            if needIndent && byte != UInt8(ascii: "]") && byte != UInt8(ascii: "}") {
                needIndent = false
                depth += 1
                newline()
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                out.append(byte)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(byte)
                needIndent = true
            case UInt8(ascii: ","):
                out.append(byte)
                newline()
            case UInt8(ascii: ":"):
                out.append(byte)
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if needIndent {
                    needIndent = false
                } else {
                    depth -= 1
                    newline()
                }
                out.append(byte)
            default:
                out.append(byte)
            }
        }
        return out
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let literal): out.append(contentsOf: literal.utf8)
        case .string(let text): writeString(text, into: &out)
        case .encoded(let bytes): out.append(contentsOf: bytes)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Writes a quoted string with Go's escaping rules (HTML-safe).
    public static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: #"\""#.utf8)
            case "\\": out.append(contentsOf: #"\\"#.utf8)
            case "\n": out.append(contentsOf: #"\n"#.utf8)
            case "\r": out.append(contentsOf: #"\r"#.utf8)
            case "\t": out.append(contentsOf: #"\t"#.utf8)
            case "<", ">", "&", "\u{2028}", "\u{2029}": appendUnicodeEscape(scalar.value, into: &out)
            default:
                if scalar.value < 0x20 {
                    appendUnicodeEscape(scalar.value, into: &out)
                } else {
                    out.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendUnicodeEscape(_ value: UInt32, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: #"\u"#.utf8)
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hex[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}
