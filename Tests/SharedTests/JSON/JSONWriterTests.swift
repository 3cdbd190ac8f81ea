import Shared
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
}
