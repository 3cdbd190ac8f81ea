import AppcSchema
import TestSupport
import Testing

@Suite("AC Identifier")
struct ACIdentifierTests {
    @Test("lower-case alphanumerics with inner separators are valid",
          arguments: ["a", "0", "example.com/app", "coreos.com/etcd", "a-b.c~d", "a_b", "os/linux/seccomp-retain-set", "1.2"])
    func valid(text: String) throws {
        #expect(try ACIdentifier(text).value == text)
    }

    @Test("consecutive separators are accepted, as the reference checks only charset and edges",
          arguments: ["a..b", "a//b", "a/-/b", "a-~-b", "a._b", "a__b"])
    func consecutiveSeparators(text: String) throws {
        #expect(try ACIdentifier(text).value == text)
    }

    @Test("there is no length limit")
    func noLengthLimit() throws {
        let long = String(repeating: "a", count: 300) + "/" + String(repeating: "b", count: 300)
        #expect(try ACIdentifier(long).value == long)
    }

    @Test("the empty string is refused")
    func empty() {
        #expect(thrownError { try ACIdentifier("") } == "ACIdentifier cannot be empty")
    }

    @Test("characters outside [a-z0-9] and the separators -._~/ are refused", arguments: [
        ("A", #""A""#), ("example.com/App", #""example.com/App""#), ("a b", #""a b""#), ("a|b", #""a|b""#),
        ("é", #""é""#), ("a:b", #""a:b""#), ("a+b", #""a+b""#), ("a\"b", #""a\"b""#),
    ])
    func badCharacters(text: String, quoted: String) {
        #expect(thrownError { try ACIdentifier(text) }
            == "ACIdentifier must contain only lower case alphanumeric characters plus \"-._~/\" (got \(quoted))")
    }

    @Test("a separator at either end is refused", arguments: ["-a", "a-", ".a", "a.", "_a", "a_", "~a", "a~", "/a", "a/", "-", "a//"])
    func badEdges(text: String) {
        #expect(thrownError { try ACIdentifier(text) }
            == "ACIdentifier must start and end with only lower case alphanumeric characters (got \"\(text)\")")
    }

    @Test("the character set is checked before the edges")
    func charsetBeforeEdges() {
        #expect(thrownError { try ACIdentifier("-A") }
            == #"ACIdentifier must contain only lower case alphanumeric characters plus "-._~/" (got "-A")"#)
    }

    @Test("the offending text is quoted as Go's %q quotes it, without HTML escaping")
    func quotingInMessages() {
        #expect(thrownError { try ACIdentifier("a<b&c>") }
            == #"ACIdentifier must contain only lower case alphanumeric characters plus "-._~/" (got "a<b&c>")"#)
    }

    @Test("decoding needs a JSON string")
    func decodingNeedsString() throws {
        #expect(try ACIdentifier(json: .string("a/b")).value == "a/b")
        #expect(thrownError { try ACIdentifier(json: .number("1")) } == "expected a string, got a number")
    }

    @Test("encodes as its string and sorts by value")
    func encodingAndOrder() throws {
        let names = try ["b", "a/c", "a"].map(ACIdentifier.init)
        #expect(names.sorted().map(\.value) == ["a", "a/c", "b"])
        #expect(compactText(try ACIdentifier("a/b")) == #""a/b""#)
        #expect(try ACIdentifier("x.y").description == "x.y")
    }
}
