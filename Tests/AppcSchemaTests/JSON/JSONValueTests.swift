import AppcSchema
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test("each kind has a short description for messages")
    func kindDescriptions() {
        #expect(JSONValue.null.kindDescription == "null")
        #expect(JSONValue.bool(true).kindDescription == "a boolean")
        #expect(JSONValue.number("1").kindDescription == "a number")
        #expect(JSONValue.string("").kindDescription == "a string")
        #expect(JSONValue.array([]).kindDescription == "an array")
        #expect(JSONValue.object([]).kindDescription == "an object")
        #expect(JSONValue.encoded(Array("{}".utf8)).kindDescription == "an object")
    }

    @Test("building an object from pairs drops the nil values and keeps the order")
    func objectFromPairs() {
        let value = JSONValue.object(["b": .number("1"), "skip": nil, "a": .null])
        #expect(value == .object([JSONMember(key: "b", value: .number("1")), JSONMember(key: "a", value: .null)]))
    }

    @Test("members compare by key and value, not by their source bytes")
    func memberEquality() {
        let parsed = JSONMember(key: "k", value: .number("1"), source: Array(" 1".utf8)[...])
        #expect(parsed == JSONMember(key: "k", value: .number("1")))
        #expect(parsed != JSONMember(key: "k", value: .number("1.0")))
    }
}
