import AppcSchema
import TestSupport
import Testing

@Suite("Annotations")
struct AnnotationsTests {
    private func annotationsError(_ list: String) -> String? {
        decodingError(ImageManifest.self, Fixture.image(#""annotations":[\#(list)]"#))
    }

    private func annotation(_ name: String, _ value: String) -> String {
        #"{"name":"\#(name)","value":"\#(value)"}"#
    }

    @Test("annotations keep their order and are looked up by name")
    func orderAndLookup() throws {
        let list = try decoded(Annotations.self, "[\(annotation("b", "1")),\(annotation("a", "2"))]")
        #expect(list.entries.map(\.name.value) == ["b", "a"])
        #expect(list["a"] == "2")
        #expect(list["c"] == nil)
    }

    @Test("a duplicate name is refused at the second annotation")
    func duplicate() {
        #expect(annotationsError("\(annotation("a", "1")),\(annotation("a", "2"))") == #"annotations[1]: duplicate annotations of name "a""#)
    }

    @Test("annotation names are AC Identifiers")
    func nameIsIdentifier() {
        #expect(annotationsError(annotation("A", "x"))
            == #"annotations[0].name: ACIdentifier must contain only lower case alphanumeric characters plus "-._~/" (got "A")"#)
    }

    @Test("created must be an RFC 3339 date", arguments: [
        "2016-01-02T15:04:05Z", "2016-01-02T15:04:05.123456789Z", "2016-01-02T15:04:05.123+01:00", "2016-01-02T15:04:05,5Z",
        "2016-02-29T12:00:00Z", "2000-02-29T00:00:00-07:00", "0000-01-01T00:00:00Z",
    ])
    func validCreated(value: String) {
        #expect(annotationsError(annotation("created", value)) == nil)
    }

    @Test("created dates that are not RFC 3339 or not on the calendar are refused", arguments: [
        "2016-02-30T00:00:00Z", "2015-02-29T12:00:00Z", "1900-02-29T00:00:00Z", "2016-04-31T00:00:00Z", "2016-13-01T00:00:00Z",
        "2016-00-01T00:00:00Z", "2016-01-00T00:00:00Z", "2016-01-02T24:00:00Z", "2016-01-02T23:60:00Z", "2016-01-02T23:59:60Z",
        "2016-01-02t15:04:05z", "2016-01-02 15:04:05Z", "2016-01-02T15:04:05", "2016-01-02T15:04:05.Z", "2016-01-02T15:04:05-0700",
        "2016-1-02T15:04:05Z", "yesterday", "",
    ])
    func invalidCreated(value: String) {
        #expect(annotationsError(annotation("created", value))
            == #"annotations[0].value: created: bad Date "\#(value)" (must be RFC 3339, like 2006-01-02T15:04:05Z)"#)
    }

    @Test("homepage and documentation must be http or https URLs", arguments: ["homepage", "documentation"])
    func webURLs(name: String) {
        #expect(annotationsError(annotation(name, "https://example.com/docs")) == nil)
        #expect(annotationsError(annotation(name, "HTTP://example.com")) == nil)
        #expect(annotationsError(annotation(name, "ftp://example.com"))
            == #"annotations[0].value: bad URL scheme, must be http/https (got "ftp://example.com")"#)
        #expect(annotationsError(annotation(name, "example.com"))
            == #"annotations[0].value: bad URL scheme, must be http/https (got "example.com")"#)
    }

    @Test("other annotations are free text")
    func freeText() {
        #expect(annotationsError(annotation("authors", "ftp://not-checked")) == nil)
        #expect(annotationsError(annotation("created-by", "not a date")) == nil)
    }

    @Test("only the annotation named exactly created is a date")
    func onlyExactNames() {
        #expect(annotationsError("\(annotation("a", "1")),\(annotation("created", "nope"))")
            == #"annotations[1].value: created: bad Date "nope" (must be RFC 3339, like 2006-01-02T15:04:05Z)"#)
    }

    @Test("setting an annotation replaces it in place or appends it, and re-checks the rules")
    func setting() throws {
        var list = try decoded(Annotations.self, "[\(annotation("created", "2016-01-02T15:04:05Z"))]")
        try list.set(try ACIdentifier("authors"), "me")
        try list.set(try ACIdentifier("created"), "2017-01-02T15:04:05Z")
        #expect(list.entries.map(\.value) == ["2017-01-02T15:04:05Z", "me"])
        #expect(thrownError { try list.set(try ACIdentifier("homepage"), "gopher://x") }
            == #"[2].value: bad URL scheme, must be http/https (got "gopher://x")"#)
    }

    @Test("a null annotation is the zero annotation, as Go decodes it")
    func nullAnnotation() {
        // Reference: {"annotations":[null]} validates.
        #expect(annotationsError("null") == nil)
    }
}
