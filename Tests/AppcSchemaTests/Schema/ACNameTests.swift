import AppcSchema
import TestSupport
import Testing

@Suite("AC Name")
struct ACNameTests {
    @Test("lower-case alphanumerics with inner dashes are valid", arguments: ["a", "0", "nginx", "work-dir", "a1-b2-c3"])
    func valid(text: String) throws {
        #expect(try ACName(text).value == text)
    }

    @Test("consecutive dashes are accepted, as the reference checks only charset and edges")
    func consecutiveDashes() throws {
        #expect(try ACName("a--b").value == "a--b")
    }

    @Test("the empty string is refused")
    func empty() {
        #expect(thrownError { try ACName("") } == "ACName cannot be empty")
    }

    @Test("characters outside [a-z0-9-] are refused", arguments: ["A", "a.b", "a/b", "a_b", "a b", "ä", "a~b"])
    func badCharacters(text: String) {
        #expect(thrownError { try ACName(text) }
            == "ACName must contain only lower case alphanumeric characters plus \"-\" (got \"\(text)\")")
    }

    @Test("a dash at either end is refused", arguments: ["-a", "a-", "-", "--"])
    func badEdges(text: String) {
        #expect(thrownError { try ACName(text) }
            == "ACName must start and end with only lower case alphanumeric characters (got \"\(text)\")")
    }

    @Test("sanitizing lower-cases, replaces invalid characters with dashes and trims dashes", arguments: [
        ("My App!", "my-app"), ("--x--", "x"), ("a.b/c", "a-b-c"), ("ABC", "abc"), ("a--b", "a--b"),
        ("example.com/ace-validator-main", "example-com-ace-validator-main"),
    ])
    func sanitizing(text: String, expected: String) throws {
        #expect(try ACName.sanitizing(text).value == expected)
    }

    @Test("sanitizing replaces each invalid character, not each byte, as Go's regexp does")
    func sanitizingNonASCII() throws {
        // Go: SanitizeACName("aäb") == "a-b" (one rune, one dash).
        #expect(try ACName.sanitizing("aäb").value == "a-b")
    }

    @Test("sanitizing fails when nothing valid is left")
    func sanitizingNothingLeft() {
        #expect(thrownError { try ACName.sanitizing("!!!") } == #""!!!" must contain at least one valid character"#)
        #expect(thrownError { try ACName.sanitizing("") } == #""" must contain at least one valid character"#)
    }

    @Test("decoding needs a JSON string, encoding writes the string")
    func json() throws {
        #expect(try ACName(json: .string("web")).value == "web")
        #expect(thrownError { try ACName(json: .bool(true)) } == "expected a string, got a boolean")
        #expect(compactText(try ACName("web")) == #""web""#)
    }

    @Test("names sort by value")
    func ordering() throws {
        #expect(try ["b", "a-b", "a"].map(ACName.init).sorted().map(\.value) == ["a", "a-b", "b"])
    }
}
