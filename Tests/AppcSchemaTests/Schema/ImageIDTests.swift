import AppcSchema
import TestSupport
import Testing

@Suite("Image IDs")
struct ImageIDTests {
    private let hex = String(repeating: "0123456789abcdef", count: 8)

    @Test("sha512 hashes parse; the value is not checked for hex or length", arguments: ["sha512-abc", "sha512-...", "sha512-ZZ"])
    func valid(text: String) throws {
        let id = try ImageID(text)
        #expect(id.algorithm == "sha512")
        #expect(id.description == text)
    }

    @Test("malformed hashes are refused with the reference's reasons", arguments: [
        ("sha512", #"badly formatted hash string (got "sha512")"#),
        ("", #"badly formatted hash string (got "")"#),
        ("sha512-a-b", #"badly formatted hash string (got "sha512-a-b")"#),
        ("sha256-abc", "unrecognized hash type: sha256"),
        ("SHA512-abc", "unrecognized hash type: SHA512"),
        ("-abc", "unexpected empty hash type"),
        ("sha512-", "unexpected empty hash value"),
    ])
    func invalid(text: String, message: String) {
        #expect(thrownError { try ImageID(text) } == message)
    }

    @Test("the store key keeps 64 hex digits and the short form 32")
    func shortForms() throws {
        let id = ImageID(sha512Hex: hex)
        #expect(id.description == "sha512-" + hex)
        #expect(id.storeKey == "sha512-" + String(hex.prefix(64)))
        #expect(id.short == "sha512-" + String(hex.prefix(32)))
        #expect(try ImageID("sha512-ab").short == "sha512-ab")
    }

    @Test("decodes from and encodes to a JSON string")
    func json() throws {
        #expect(try ImageID(json: .string("sha512-aa")).json == .string("sha512-aa"))
        // Go's Hash decoder sees a null as the empty string.
        #expect(thrownError { try ImageID(json: .null) } == #"badly formatted hash string (got "")"#)
    }
}
