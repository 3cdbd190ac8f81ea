import AppcSchema
import TestSupport
import Testing

@Suite("Web URLs (homepage, documentation)")
struct WebURLTests {
    @Test("http and https URLs that Go's url.Parse accepts are valid", arguments: [
        "http://example.com", "https://example.com/a/b?c=d#e", "HTTPS://EXAMPLE.COM", "http:opaque", "https://u:p@h/p",
        "http://[::1]:80/", "http://x.com/a b", "http://x:99999/", "http://example.com/%41",
    ])
    func valid(text: String) throws {
        try WebURL.validate(text)
    }

    @Test("other schemes or no scheme are refused", arguments: [
        "ftp://example.com", "example.com", "//example.com", ":foo", "1http://x", "mailto:a@b", "", "http//x",
    ])
    func badScheme(text: String) {
        #expect(thrownError { try WebURL.validate(text) } == "bad URL scheme, must be http/https (got \"\(text)\")")
    }

    @Test("control characters are refused")
    func controlCharacters() {
        #expect(thrownError { try WebURL.validate("http://x/\u{7F}") } == #"bad URL "http://x/\x7f": invalid control character in URL"#)
        #expect(thrownError { try WebURL.validate("http://x/\n") } == #"bad URL "http://x/\n": invalid control character in URL"#)
    }

    @Test("malformed percent escapes are refused", arguments: ["http://%zz", "http://x/%4", "http://x/%"])
    func badEscape(text: String) {
        #expect(thrownError { try WebURL.validate(text) } == "bad URL \"\(text)\": invalid URL escape")
    }

    @Test("invalid characters in the host are refused, named", arguments: [
        ("http://exa mple.com", " "), ("http://a{b/", "{"), ("http://a|b", "|"), ("http://a^b", "^"),
    ])
    func badHost(text: String, character: String) {
        #expect(thrownError { try WebURL.validate(text) } == "bad URL \"\(text)\": invalid character \"\(character)\" in host name")
    }

    @Test("an unclosed IPv6 host is refused")
    func unclosedIPv6() {
        #expect(thrownError { try WebURL.validate("http://[::1") } == #"bad URL "http://[::1": missing ']' in host"#)
    }

    @Test("a non-numeric port is refused, as Go's url.Parse refuses it")
    func badPort() {
        // Reference: bad URL: parse "http://example.com:abc/": invalid port ":abc" after host.
        #expect(thrownError { try WebURL.validate("http://example.com:abc/") } != nil)
    }

    @Test("angle brackets and quotes are allowed in a host, as Go's url.Parse allows them")
    func hostPunctuation() throws {
        // Reference: "http://a<b/" validates as a homepage.
        try WebURL.validate("http://a<b/")
    }

    @Test("a percent-encoded ASCII character in a host is refused, as Go's url.Parse refuses it")
    func escapedHost() {
        // Reference: bad URL: parse "http://a%20b/": invalid URL escape "%20".
        #expect(thrownError { try WebURL.validate("http://a%20b/") } != nil)
    }
}
