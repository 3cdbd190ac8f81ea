import AppcSchema
import TestSupport
import Testing

@Suite("JSON object reading, Go encoding/json semantics")
struct JSONObjectReaderTests {
    private func reader(_ text: String) throws -> JSONObjectReader {
        try JSONObjectReader(JSONParser.parse(text))
    }

    @Test("a value that is not an object is refused with its kind")
    func notAnObject() {
        #expect(thrownError { try JSONObjectReader(.array([])) } == "expected an object, got an array")
        #expect(thrownError { try JSONObjectReader(.null) } == "expected an object, got null")
        #expect(thrownError { try JSONObjectReader(.string("x")) } == "expected an object, got a string")
    }

    @Test("keys that differ only in case match the field name")
    func caseInsensitiveKeys() throws {
        let object = try reader(#"{"ACKIND":"a","supplementaryGids":[1],"NaMe":"n"}"#)
        #expect(try object.string("acKind") == "a")
        #expect(try object.array("supplementaryGIDs") { try $0.intValue() } == [1])
        #expect(try object.string("name") == "n")
    }

    @Test("the last matching member wins, whatever its case")
    func lastDuplicateWins() throws {
        let object = try reader(#"{"name":"first","NAME":"second","Name":"third"}"#)
        #expect(try object.string("name") == "third")
        #expect(try reader(#"{"name":"a","other":1,"name":"b"}"#).string("name") == "b")
    }

    @Test("an exact match does not beat a later case-folded match")
    func laterFoldedMatchWins() throws {
        #expect(try reader(#"{"user":"exact","USER":"folded"}"#).string("user") == "folded")
    }

    @Test("unknown members are ignored")
    func unknownMembersIgnored() throws {
        let object = try reader(#"{"unknown":{"deep":[1,2]},"name":"n"}"#)
        #expect(try object.string("name") == "n")
        #expect(try object.string("missing") == nil)
    }

    @Test("null counts as absent for values but is still a member")
    func nullIsAbsent() throws {
        let object = try reader(#"{"name":null}"#)
        #expect(object.value("name") == nil)
        #expect(try object.string("name") == nil)
        #expect(object.member("name")?.value == JSONValue.null)
        #expect(object.member("other") == nil)
    }

    @Test("a later null leaves an earlier string in place, as Go's decoder does")
    func laterNullKeepsString() throws {
        // Go: "unmarshaling a JSON null into any other Go type has no effect on the value", so the reference
        // accepts {"app":{"user":"0","user":null,"group":"0"}}.
        #expect(try reader(#"{"name":"x","name":null}"#).string("name") == "x")
    }

    @Test("decoding errors are prefixed with the member key")
    func errorsArePrefixed() throws {
        let object = try reader(#"{"user":5,"gids":[1,"x"]}"#)
        #expect(thrownError { try object.string("user") } == "user: expected a string, got a number")
        #expect(thrownError { try object.array("gids") { try $0.intValue() } } == "gids[1]: expected an integer, got a string")
    }

    @Test("typed accessors refuse values of another kind", arguments: [
        (#"{"v":"true"}"#, "bool", "v: expected a boolean, got a string"),
        (#"{"v":1.5}"#, "int", "v: expected an integer, got 1.5"),
        (#"{"v":1e2}"#, "int", "v: expected an integer, got 1e2"),
        (#"{"v":"1"}"#, "int", "v: expected an integer, got a string"),
        (#"{"v":-1}"#, "uint", "v: expected a non-negative integer, got -1"),
        (#"{"v":18446744073709551616}"#, "uint", "v: expected a non-negative integer, got 18446744073709551616"),
        (#"{"v":9223372036854775808}"#, "int", "v: expected an integer, got 9223372036854775808"),
        (#"{"v":{}}"#, "string", "v: expected a string, got an object"),
    ])
    func typedAccessors(text: String, accessor: String, message: String) throws {
        let object = try reader(text)
        let error = thrownError { () -> Any? in
            switch accessor {
            case "bool": return try object.bool("v")
            case "int": return try object.int("v")
            case "uint": return try object.uint("v")
            default: return try object.string("v")
            }
        }
        #expect(error == message)
    }

    @Test("integers at the limits of their types are read exactly")
    func integerLimits() throws {
        let object = try reader(#"{"i":-9223372036854775808,"u":18446744073709551615,"z":-0}"#)
        #expect(try object.int("i") == Int.min)
        #expect(try object.uint("u") == UInt.max)
        #expect(try object.int("z") == 0)
    }

    @Test("negative zero is not a valid unsigned integer, as Go's ParseUint refuses it")
    func negativeZeroUnsigned() throws {
        // Reference: `"port": -0` → json: cannot unmarshal number -0 into Go struct field … of type uint.
        #expect(thrownError { try reader(#"{"v":-0}"#).uint("v") } == "v: expected a non-negative integer, got -0")
    }

    @Test("an array of strings is read element by element")
    func stringArray() throws {
        #expect(try JSONParser.parse(#"["a","b"]"#).stringArrayValue() == ["a", "b"])
        #expect(thrownError { try JSONParser.parse(#"["a",1]"#).stringArrayValue() } == "[1]: expected a string, got a number")
    }

    @Test("keys fold as Go folds them: the long s matches s, the Kelvin sign matches k")
    func goSpecialFolding() throws {
        // Go's encoding/json matches "labelſ" (U+017F) to the field "labels" and "\u{212A}ind" to "kind";
        // the reference rejects {"labelſ":[{"name":"name","value":"x"}]} with `invalid label name: "name"`.
        #expect(try reader(#"{"\u212Aind":"k"}"#).string("kind") == "k")
        #expect(try reader(#"{"labelſ":"s"}"#).string("labels") == "s")
    }
}
