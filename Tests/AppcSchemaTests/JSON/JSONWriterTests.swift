import AppcSchema
import Testing

@Suite("JSON writing, Go-compatible")
struct JSONWriterTests {
    @Test("HTML-unsafe characters and line separators are escaped as Go does")
    func escaping() throws {
        let value = JSONValue.string("<a> & \u{2028}\u{2029}\"\\\n\t\u{01}\u{7F}é")
        let text = String(decoding: JSONWriter.compact(value), as: UTF8.self)
        #expect(text == #""\u003ca\u003e \u0026 \u2028\u2029\"\\\n\t\u0001\#u{7F}é""#)
    }

    @Test("raw source is compacted with its escapes kept")
    func compactSource() throws {
        let source = Array(#"{ "a" : [ 1 , "\u0041 <" ] ,"b":1e3 }"#.utf8)
        #expect(String(decoding: JSONWriter.compact(source: source[...]), as: UTF8.self) == #"{"a":[1,"\u0041 \u003c"],"b":1e3}"#)
    }

    @Test("indentation follows json.MarshalIndent")
    func indented() throws {
        let value = try JSONParser.parse(#"{"a":[],"b":{},"c":[1,{"d":"x"}]}"#)
        let expected = """
            {
                "a": [],
                "b": {},
                "c": [
                    1,
                    {
                        "d": "x"
                    }
                ]
            }
            """
        #expect(String(decoding: JSONWriter.indented(value), as: UTF8.self) == expected)
    }

    @Test("numbers are written as their literal text")
    func numbersVerbatim() {
        let value = JSONValue.array([.number("1.50"), .number("1E3"), .number("-0")])
        #expect(String(decoding: JSONWriter.compact(value), as: UTF8.self) == "[1.50,1E3,-0]")
    }

    @Test("object keys are escaped like strings and keep their order, duplicates included")
    func keysEscaped() {
        let value = JSONValue.object([JSONMember(key: "b<", value: .null), JSONMember(key: "a", value: .bool(false)),
                                      JSONMember(key: "b<", value: .bool(true))])
        #expect(String(decoding: JSONWriter.compact(value), as: UTF8.self) == #"{"b\u003c":null,"a":false,"b\u003c":true}"#)
    }

    @Test("pre-encoded bytes are written as they are")
    func encodedVerbatim() {
        let value = JSONValue.object([JSONMember(key: "v", value: .encoded(Array(#"{"x":[1,2.50]}"#.utf8)))])
        #expect(String(decoding: JSONWriter.compact(value), as: UTF8.self) == #"{"v":{"x":[1,2.50]}}"#)
    }

    @Test("compacting source escapes raw line and paragraph separators and keeps other text")
    func compactSourceSeparators() {
        let source = Array("[ \"a\u{2028}b\u{2029}c é \\\" < \" ]".utf8)
        #expect(String(decoding: JSONWriter.compact(source: source[...]), as: UTF8.self) == #"["a\u2028b\u2029c é \" \u003c "]"#)
    }

    @Test("indentation leaves empty containers compact at any depth")
    func indentedEmptyContainers() throws {
        let value = try JSONParser.parse(#"{"a":{"b":[],"c":{}},"d":[[]]}"#)
        let expected = """
            {
              "a": {
                "b": [],
                "c": {}
              },
              "d": [
                []
              ]
            }
            """
        #expect(String(decoding: JSONWriter.indented(value, indent: "  "), as: UTF8.self) == expected)
    }
}
