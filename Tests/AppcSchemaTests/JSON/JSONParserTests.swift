import AppcSchema
import Testing

@Suite("JSON parsing, strict RFC 8259")
struct JSONParserTests {
    /// A syntax error's message and position, for comparisons.
    private struct Located: Equatable {
        var message: String
        var line: Int
        var column: Int

        init(_ message: String, line: Int, column: Int) {
            self.message = message
            self.line = line
            self.column = column
        }
    }

    /// The syntax error `bytes` raise, or nil when they parse.
    private func syntaxError(_ bytes: [UInt8]) -> Located? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return Located(error.message, line: error.line, column: error.column)
        }
    }

    private func syntaxError(_ text: String) -> Located? {
        syntaxError(Array(text.utf8))
    }

    // MARK: Valid documents

    @Test("scalars parse to their cases")
    func scalars() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse(#""text""#) == .string("text"))
        #expect(try JSONParser.parse("42") == .number("42"))
    }

    @Test("white space around the top-level value is allowed")
    func surroundingWhitespace() throws {
        #expect(try JSONParser.parse(" \t\r\n [ 1 , 2 ] \n") == .array([.number("1"), .number("2")]))
    }

    @Test("empty containers and nested containers parse")
    func containers() throws {
        #expect(try JSONParser.parse("{}") == .object([]))
        #expect(try JSONParser.parse("[]") == .array([]))
        let value = try JSONParser.parse(#"{"a":[{"b":[]},{}],"c":{"d":null}}"#)
        let expected = JSONValue.object([
            JSONMember(key: "a", value: .array([.object([JSONMember(key: "b", value: .array([]))]), .object([])])),
            JSONMember(key: "c", value: .object([JSONMember(key: "d", value: .null)])),
        ])
        #expect(value == expected)
    }

    @Test("object members keep their document order")
    func memberOrder() throws {
        let value = try JSONParser.parse(#"{"zeta":1,"alpha":2,"mid":3}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["zeta", "alpha", "mid"])
    }

    @Test("duplicate member keys are all kept, in order")
    func duplicateKeysKept() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "b", "a"])
        #expect(members.map(\.value) == [.number("1"), .number("2"), .number("3")])
    }

    @Test("numbers are kept as the literal text they were written with",
          arguments: ["0", "-0", "42", "-0.50", "1e3", "1E+2", "2.5e-10", "12345678901234567890123456789", "1.000"])
    func numbersKeepLiteral(literal: String) throws {
        #expect(try JSONParser.parse(literal) == .number(literal))
        #expect(try JSONParser.parse("[\(literal)]") == .array([.number(literal)]))
    }

    @Test("each member records the exact bytes its value was written with")
    func memberSource() throws {
        let text = #"{"a" : [ 1 , "x" ] , "b":  2.50 }"#
        let value = try JSONParser.parse(text)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(String(decoding: members[0].source, as: UTF8.self) == #"[ 1 , "x" ]"#)
        #expect(String(decoding: members[1].source, as: UTF8.self) == "2.50")
    }

    @Test("string escapes are decoded")
    func stringEscapes() throws {
        let value = try JSONParser.parse(#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC""#)
        #expect(value == .string("\" \\ / \u{08} \u{0C} \n \r \t A é €"))
    }

    @Test("an escaped surrogate pair becomes one scalar")
    func surrogatePair() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test("a lone surrogate escape becomes U+FFFD, as Go decodes it",
          arguments: [
              (#""\ud800""#, "\u{FFFD}"),
              (#""\udc00""#, "\u{FFFD}"),
              (#""\ud800x""#, "\u{FFFD}x"),
              (#""\ud800\u0041""#, "\u{FFFD}A"),
              (#""\ud800\ud800\udc00""#, "\u{FFFD}\u{10000}"),
          ])
    func loneSurrogate(source: String, expected: String) throws {
        #expect(try JSONParser.parse(source) == .string(expected))
    }

    @Test("raw multi-byte UTF-8 in strings is decoded")
    func rawUTF8() throws {
        #expect(try JSONParser.parse("\"é € 😀 \u{7F}\"") == .string("é € 😀 \u{7F}"))
    }

    @Test("a string argument parses the same as its UTF-8 bytes")
    func stringConvenience() throws {
        let text = #"{"k":["v",1]}"#
        #expect(try JSONParser.parse(text) == (try JSONParser.parse(Array(text.utf8))))
    }

    // MARK: Syntax errors with line and column

    @Test("a trailing comma in an object is refused at the closing brace")
    func trailingCommaObject() {
        let error = syntaxError(#"{"a":1,}"#)
        #expect(error == Located("invalid character '}' looking for beginning of object key string", line: 1, column: 8))
    }

    @Test("a trailing comma in an array is refused at the closing bracket")
    func trailingCommaArray() {
        #expect(syntaxError("[1,2,]") == Located("invalid character ']' looking for beginning of value", line: 1, column: 6))
    }

    @Test("a number with a leading zero is refused after the zero")
    func leadingZero() {
        #expect(syntaxError("[01]") == Located("invalid character '1' after array element", line: 1, column: 3))
        #expect(syntaxError("01") == Located("invalid character '1' after top-level value", line: 1, column: 2))
        #expect(syntaxError("-01")?.message == "invalid character '1' after top-level value")
    }

    @Test("malformed numbers are refused", arguments: [
        ("-", "unexpected end of JSON input"),
        ("-a", "invalid character 'a' in numeric literal"),
        ("1.", "unexpected end of JSON input"),
        ("1.e5", "invalid character 'e' after decimal point in numeric literal"),
        ("1e", "unexpected end of JSON input"),
        ("1e+", "unexpected end of JSON input"),
        ("1ex", "invalid character 'x' after exponent in numeric literal"),
        ("+1", "invalid character '+' looking for beginning of value"),
        (".5", "invalid character '.' looking for beginning of value"),
    ])
    func malformedNumbers(source: String, message: String) {
        #expect(syntaxError(source)?.message == message)
    }

    @Test("an unknown escape is refused at the escaped character")
    func badEscape() {
        #expect(syntaxError(#""a\x""#) == Located("invalid character 'x' in string escape code", line: 1, column: 4))
    }

    @Test("a malformed \\u escape is refused")
    func badUnicodeEscape() {
        #expect(syntaxError(#""\u12x4""#) == Located(#"invalid character 'x' in \u hexadecimal character escape"#, line: 1, column: 6))
    }

    @Test("control characters inside strings are refused", arguments: [UInt8(0x00), 0x09, 0x0A, 0x1F])
    func controlCharacter(byte: UInt8) {
        let bytes: [UInt8] = Array(#""ab"#.utf8) + [byte] + Array(#"""#.utf8)
        #expect(syntaxError(bytes) == Located("invalid character 0x\(String(byte, radix: 16)) in string literal", line: 1, column: 4))
    }

    @Test("unterminated documents end with 'unexpected end of JSON input'",
          arguments: ["", " ", #""abc"#, #""abc\"#, #"{"a":1"#, #"{"a""#, #"{"a":"#, "[1", "[", "{", "tru", "nul", #""\u12"#])
    func unterminated(source: String) {
        #expect(syntaxError(source)?.message == "unexpected end of JSON input")
    }

    @Test("structural mistakes name the offending character", arguments: [
        (#"{"a" 1}"#, "invalid character '1' after object key"),
        (#"{"a":1 "b":2}"#, #"invalid character '"' after object key:value pair"#),
        (#"{1:2}"#, "invalid character '1' looking for beginning of object key string"),
        (#"{'a':1}"#, #"invalid character '\'' looking for beginning of object key string"#),
        ("[1 2]", "invalid character '2' after array element"),
        ("nulx", "invalid character 'x' in literal null"),
        ("True", "invalid character 'T' looking for beginning of value"),
        ("{} {}", "invalid character '{' after top-level value"),
        ("// comment\n{}", "invalid character '/' looking for beginning of value"),
    ])
    func structuralErrors(source: String, message: String) {
        #expect(syntaxError(source)?.message == message)
    }

    @Test("line and column count lines and characters, not bytes")
    func lineAndColumn() {
        let error = syntaxError("{\n  \"a\": tru\n}")
        #expect(error == Located("invalid character 0xa in literal true", line: 2, column: 11))
        // "é" is two bytes but one column.
        #expect(syntaxError(#"{"é": x}"#) == Located("invalid character 'x' looking for beginning of value", line: 1, column: 7))
    }

    @Test("a syntax error describes itself with its position")
    func syntaxErrorDescription() {
        do {
            _ = try JSONParser.parse("[1,]")
            Issue.record("parsed")
        } catch {
            #expect(error.description == "line 1, column 4: invalid character ']' looking for beginning of value")
        }
    }

    // MARK: Invalid UTF-8

    @Test("invalid UTF-8 inside strings is refused", arguments: [
        ([0xC0, 0xAF], "invalid UTF-8 byte 0xc0"),            // overlong two-byte "/"
        ([0xC1, 0xBF], "invalid UTF-8 byte 0xc1"),            // overlong two-byte
        ([0xE0, 0x80, 0xAF], "invalid UTF-8 sequence"),       // overlong three-byte "/"
        ([0xF0, 0x80, 0x80, 0xAF], "invalid UTF-8 sequence"), // overlong four-byte "/"
        ([0xED, 0xA0, 0x80], "invalid UTF-8 sequence"),       // encoded high surrogate U+D800
        ([0xED, 0xBF, 0xBF], "invalid UTF-8 sequence"),       // encoded low surrogate U+DFFF
        ([0xF4, 0x90, 0x80, 0x80], "invalid UTF-8 sequence"), // beyond U+10FFFF
        ([0xF5, 0x80, 0x80, 0x80], "invalid UTF-8 byte 0xf5"),
        ([0x80], "invalid UTF-8 byte 0x80"),                  // lone continuation byte
        ([0xFF], "invalid UTF-8 byte 0xff"),
        ([0xE2, 0x82], "invalid UTF-8 byte 0x22"),            // truncated, then the closing quote
        ([0xC3, 0x41], "invalid UTF-8 byte 0x41"),            // lead byte without continuation
    ] as [([UInt8], String)])
    func invalidUTF8(sequence: [UInt8], message: String) {
        let bytes = [UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]
        #expect(syntaxError(bytes)?.message == message)
    }

    @Test("a multi-byte sequence cut off by the end of input is refused as truncated")
    func truncatedAtEnd() {
        #expect(syntaxError([UInt8(ascii: "\""), 0xE2, 0x82])?.message == "invalid UTF-8: truncated sequence")
        #expect(syntaxError([UInt8(ascii: "\""), 0xF0, 0x9F, 0x98])?.message == "invalid UTF-8: truncated sequence")
    }

    @Test("invalid UTF-8 is reported where its sequence starts")
    func invalidUTF8Position() {
        let bytes: [UInt8] = Array("[\"ok\",\n \"é".utf8) + [0xFF, UInt8(ascii: "\""), UInt8(ascii: "]")]
        #expect(syntaxError(bytes) == Located("invalid UTF-8 byte 0xff", line: 2, column: 4))
    }

    @Test("a byte-order mark is not accepted before the value")
    func byteOrderMark() {
        #expect(syntaxError([0xEF, 0xBB, 0xBF] + Array("{}".utf8))?.message == "invalid character 0xef looking for beginning of value")
    }

    // MARK: Nesting depth

    @Test("nesting up to the maximum depth is accepted")
    func maximumDepthAccepted() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        _ = try JSONParser.parse(text)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        _ = try JSONParser.parse(objects)
    }

    @Test("nesting one level deeper than the maximum is refused")
    func tooDeep() {
        let depth = JSONParser.maximumDepth + 1
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(syntaxError(text) == Located("nesting deeper than 512 levels", line: 1, column: 513))
        let mixed = String(repeating: #"[{"a":"#, count: 300) + "1" + String(repeating: "}]", count: 300)
        #expect(syntaxError(mixed)?.message == "nesting deeper than 512 levels")
    }

    @Test("hostile nesting far past the limit fails cleanly instead of exhausting the stack")
    func hostileNesting() {
        #expect(syntaxError(String(repeating: "[", count: 1_000_000))?.message == "nesting deeper than 512 levels")
    }
}
