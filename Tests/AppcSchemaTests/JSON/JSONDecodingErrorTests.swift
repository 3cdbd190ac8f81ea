import AppcSchema
import TestSupport
import Testing

@Suite("JSON decoding errors")
struct JSONDecodingErrorTests {
    @Test("an error at the root is described by its message alone")
    func rootError() {
        #expect(JSONDecodingError("bad").description == "bad")
        #expect(JSONDecodingError("bad").pathDescription == "")
    }

    @Test("a path joins keys with dots and indexes with brackets")
    func pathDescription() {
        let error = JSONDecodingError("bad", path: [.key("app"), .key("isolators"), .index(0), .key("value")])
        #expect(error.pathDescription == "app.isolators[0].value")
        #expect(error.description == "app.isolators[0].value: bad")
        #expect(JSONDecodingError("bad", path: [.index(2), .key("name")]).description == "[2].name: bad")
    }

    @Test("prefixing adds a component in front of the path")
    func prefixed() {
        let error = JSONDecodingError("bad", path: [.key("name")]).prefixed(.index(1)).prefixed(.key("labels"))
        #expect(error == JSONDecodingError("bad", path: [.key("labels"), .index(1), .key("name")]))
    }

    @Test("at() prefixes decoding errors thrown by its body and passes results through")
    func atPrefixes() throws {
        let error = thrownError {
            try JSONDecodingError.at(.key("outer")) { () -> Int in throw JSONDecodingError("bad", path: [.key("inner")]) }
        }
        #expect(error == "outer.inner: bad")
        #expect(try JSONDecodingError.at(.key("k")) { 5 } == 5)
    }

    @Test("at() lets other errors through unchanged")
    func atOtherErrors() {
        struct Other: Error {}
        #expect(throws: Other.self) {
            try JSONDecodingError.at(.key("k")) { () -> Int in throw Other() }
        }
    }

    @Test("a document with a syntax error becomes a decoding error naming line and column")
    func malformedDocument() {
        #expect(decodingError(ImageManifest.self, "{\n\"a\":}") == "malformed JSON: line 2, column 5: invalid character '}' looking for beginning of value")
    }
}
