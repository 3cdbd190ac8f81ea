import AppcSchema
import TestSupport
import Testing

@Suite("key=value strings")
struct KeyValueStringTests {
    private func pairs(_ text: String) throws -> [String] {
        try KeyValueString.parse(text).map { "\($0.key)=\($0.value)" }
    }

    @Test("parts split on commas, then on the first equals sign, in order")
    func parsing() throws {
        #expect(try pairs("name=data,kind=host,source=/a=b") == ["name=data", "kind=host", "source=/a=b"])
        #expect(try pairs("a=") == ["a="])
        #expect(try pairs("=v") == ["=v"])
        #expect(try pairs("a=ü b+c?") == ["a=ü b+c?"])
    }

    @Test("a part without an equals sign is refused")
    func missingEquals() {
        #expect(thrownError { try KeyValueString.parse("a=1,b") } == #"malformed string "a=1,b" - has a label without a value: b"#)
        #expect(thrownError { try KeyValueString.parse("") } == #"malformed string "" - has a label without a value: "#)
        #expect(thrownError { try KeyValueString.parse("a=1,") } == #"malformed string "a=1," - has a label without a value: "#)
    }

    @Test("a repeated key is refused with both values")
    func repeatedKey() {
        #expect(thrownError { try KeyValueString.parse("a=1,b=2,a=3") } == #"label a with multiple values ["1" "3"]"#)
    }

    @Test("booleans are read as Go's strconv.ParseBool reads them", arguments: [
        ("1", true), ("t", true), ("T", true), ("true", true), ("TRUE", true), ("True", true),
        ("0", false), ("f", false), ("F", false), ("false", false), ("FALSE", false), ("False", false),
    ])
    func booleans(text: String, value: Bool) throws {
        #expect(try KeyValueString.bool(text) == value)
    }

    @Test("other boolean spellings are refused", arguments: ["yes", "no", "tRUE", "", "2"])
    func badBooleans(text: String) {
        #expect(thrownError { try KeyValueString.bool(text) } == "invalid boolean \"\(text)\" (use true or false)")
    }
}
