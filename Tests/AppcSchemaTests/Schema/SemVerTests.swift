import AppcSchema
import TestSupport
import Testing

@Suite("Semantic versions (acVersion)")
struct SemVerTests {
    @Test("dotted triples with optional pre-release and metadata parse and print canonically", arguments: [
        ("0.8.11", "0.8.11"), ("1.0.0", "1.0.0"), ("01.02.03", "1.2.3"), ("1.2.3-", "1.2.3"), ("1.2.3+", "1.2.3"),
        ("0.0.0-a", "0.0.0-a"), ("0.0.0+b", "0.0.0+b"), ("1.2.3-rc.1+build.5", "1.2.3-rc.1+build.5"),
        ("1.2.3-a-b", "1.2.3-a-b"), ("1.2.3-0A.is-x", "1.2.3-0A.is-x"), ("9223372036854775807.0.0", "9223372036854775807.0.0"),
    ])
    func valid(text: String, canonical: String) throws {
        #expect(try SemVer(text).description == canonical)
    }

    @Test("components are split out, metadata before pre-release")
    func components() throws {
        let version = try SemVer("1.2.3-rc.1+build-5.x")
        #expect(version.major == 1 && version.minor == 2 && version.patch == 3)
        #expect(version.preRelease == "rc.1")
        #expect(version.metadata == "build-5.x")
        // A dash after the plus belongs to the metadata.
        let metadataDash = try SemVer("1.2.3+a-b")
        #expect(metadataDash.preRelease == "" && metadataDash.metadata == "a-b")
    }

    @Test("malformed versions are bad", arguments: [
        "1.2.3.4", "1.2.3-a..b", "1.2.3-.a", "1.2.3-a.", "1.2.3+a..b", "v1.2.3", " 1.2.3", "1.2.3 ", "1.2", "1", "",
        "1.2.3-a_b", "1.2.3+a_b", "1.2.3-é", "-1.2.3", "1.-2.3", "1..3", "1.2.x", "a.b.c", "99999999999999999999.0.0",
    ])
    func bad(text: String) {
        #expect(thrownError { try SemVer(text) } == "SemVer is bad (got \"\(text)\")")
    }

    @Test("0.0.0 is refused as zero, in any spelling", arguments: ["0.0.0", "00.0.000", "0.0.0-", "0.0.0+"])
    func zero(text: String) {
        #expect(thrownError { try SemVer(text) } == "SemVer cannot be zero")
    }

    @Test("versions written differently but equal in value are equal")
    func equality() throws {
        #expect(try SemVer("01.02.03") == SemVer("1.2.3"))
        #expect(try SemVer("1.2.3-") == SemVer(major: 1, minor: 2, patch: 3))
    }

    @Test("precedence follows semantic versioning")
    func ordering() throws {
        let ordered = try [
            "0.8.11", "0.9.0", "0.10.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
            "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.10.0", "2.0.0",
        ].map(SemVer.init)
        for (lower, higher) in zip(ordered, ordered.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
            #expect(!(higher < lower), "!(\(higher) < \(lower))")
        }
    }

    @Test("build metadata does not count for precedence")
    func metadataIgnored() throws {
        let a = try SemVer("1.0.0+a")
        let b = try SemVer("1.0.0+b")
        #expect(!(a < b) && !(b < a))
    }

    @Test("decoding needs a string, encoding writes the canonical form")
    func json() throws {
        #expect(try SemVer(json: .string("01.2.3")).json == .string("1.2.3"))
        #expect(thrownError { try SemVer(json: .number("1")) } == "expected a string, got a number")
    }

    @Test("the suite implements appc 0.8.11")
    func specVersion() {
        #expect(AppcSpec.version.description == "0.8.11")
    }
}
