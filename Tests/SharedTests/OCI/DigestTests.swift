import Shared
import TestSupport
import Testing

@Suite("OCI digests")
struct DigestTests {
    static let hex64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let hex96 = String(repeating: "0123456789abcdef", count: 6)
    static let hex128 = String(repeating: "0123456789abcdef", count: 8)

    @Test("registered algorithms with lowercase hex of their length are valid", arguments: [
        "sha256:\(hex64)", "sha384:\(hex96)", "sha512:\(hex128)",
    ])
    func registered(_ text: String) throws {
        let digest = try Digest(text)
        #expect(digest.description == text)
        #expect("\(digest.algorithm):\(digest.encoded)" == text)
        #expect(digest.verifiableAlgorithm?.rawValue == digest.algorithm)
    }

    @Test("unknown algorithms that fit the grammar are accepted but not verifiable", arguments: [
        "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
        "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
        "a.b_c-d:x=", "md5:ABC",
    ])
    func unknownAlgorithms(_ text: String) throws {
        let digest = try Digest(text)
        #expect(digest.description == text)
        #expect(digest.verifiableAlgorithm == nil)
    }

    @Test("digests outside the grammar are refused", arguments: [
        "", "sha256", ":\(hex64)", "sha256:", "SHA256:\(hex64)", "sha256-:\(hex64)", "-sha256:\(hex64)", "sha..256:\(hex64)",
        "sha 256:\(hex64)", "sha256:\(hex64) ", "sha256:a/b", "sha256:a+b", "x:é",
    ])
    func outsideGrammar(_ text: String) {
        #expect(thrownError { try Digest(text) } != nil, "\(text) accepted")
    }

    static let wrongHex: [String] = {
        let short = String(hex64.dropLast())
        return ["sha256:\(hex64.uppercased())", "sha256:\(short)", "sha256:\(hex64)0", "sha256:\(short)g",
                "sha512:\(hex64)", "sha384:\(hex128)", "sha256:\(short)="]
    }()

    @Test("registered algorithms need lowercase hex of exactly their length", arguments: wrongHex)
    func registeredLengthAndCase(_ text: String) {
        let error = thrownError { try Digest(text) }
        #expect(error != nil, "\(text) accepted")
        #expect(error?.contains("lowercase hex") == true, "\(error ?? "")")
    }

    @Test("blake3 is registered too: its encoded part must be 64 lowercase hex digits (image-spec descriptor.md)")
    func blake3() throws {
        _ = try Digest("blake3:\(Self.hex64)")
        #expect(thrownError { try Digest("blake3:abc") } != nil, "a 3-digit blake3 digest was accepted")
        #expect(thrownError { try Digest("blake3:\(Self.hex64.uppercased())") } != nil, "an uppercase blake3 digest was accepted")
    }

    @Test("errors quote the digest and say what is wrong")
    func messages() {
        #expect(thrownError { try Digest("nocolon") }?.contains("\"nocolon\"") == true)
        #expect(thrownError { try Digest("nocolon") }?.contains("no algorithm") == true)
        #expect(thrownError { try Digest("Sha256:abc") }?.contains("bad algorithm") == true)
        #expect(thrownError { try Digest("sha256:a b") }?.contains("bad encoded part") == true)
        #expect(thrownError { try Digest("sha512:abc") }?.contains("sha512 needs 128 lowercase hex digits") == true)
    }

    @Test("sha256(bytes) is the SHA-256 of the bytes, named sha256")
    func sha256OfBytes() throws {
        #expect(Digest.sha256([]).description == "sha256:\(Self.hex64)")
        #expect(Digest.sha256(Array("abc".utf8)).encoded == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try Digest(Digest.sha256(Array("x".utf8)).description) == Digest.sha256(Array("x".utf8)))
    }

    @Test("a digest decodes from and encodes to a JSON string; other JSON types are refused")
    func json() throws {
        let digest = try decoded(Digest.self, "\"sha256:\(Self.hex64)\"")
        #expect(compactText(digest) == "\"sha256:\(Self.hex64)\"")
        #expect(decodingError(Digest.self, "42") != nil)
        #expect(decodingError(Digest.self, "\"sha256:zz\"") != nil)
    }
}
