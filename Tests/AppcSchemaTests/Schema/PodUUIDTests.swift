import AppcSchema
import TestSupport
import Testing

@Suite("Pod UUIDs")
struct PodUUIDTests {
    @Test("32 hex digits with or without dashes parse to the lower-case 8-4-4-4-12 form", arguments: [
        "0123456789abcdef0123456789ABCDEF", "01234567-89ab-cdef-0123-456789abcdef", "0-1-2-3-456789abcdef0123456789abcdef",
    ])
    func valid(text: String) throws {
        #expect(try PodUUID(text).description == "01234567-89ab-cdef-0123-456789abcdef")
    }

    @Test("the bytes are kept in order")
    func bytes() throws {
        let uuid = try PodUUID("000102030405060708090a0b0c0d0e0f")
        #expect(uuid.bytes == Array(0...15))
    }

    @Test("a wrong number of digits is refused", arguments: ["", "0123", "0123456789abcdef0123456789abcdef0"])
    func badLength(text: String) {
        #expect(thrownError { try PodUUID(text) } == "bad UUID length != 32 (got \"\(text)\")")
    }

    @Test("non-hex digits are refused", arguments: ["0123456789abcdef0123456789abcdeg", "0123456789abcdef0123456789abcd f"])
    func badHex(text: String) {
        #expect(thrownError { try PodUUID(text) } == "invalid hex in UUID \"\(text)\"")
    }

    @Test("a sign is not a hex digit, as Go's hex.DecodeString says")
    func signIsNotHex() {
        // Go: NewUUID("+1234567890123456789012345678901") → encoding/hex: invalid byte: U+002B '+'.
        #expect(thrownError { try PodUUID("+1234567890123456789012345678901") }
            == #"invalid hex in UUID "+1234567890123456789012345678901""#)
    }

    @Test("32 bytes of text that are not 32 characters are refused without crashing")
    func multiByteCharacters() async {
        await #expect(processExitsWith: .success) {
            // 30 hex digits and "é" (two UTF-8 bytes): 32 bytes, 31 characters.
            _ = try? PodUUID("0123456789abcdef0123456789abcdé")
        }
    }

    @Test("the all-zero UUID is refused as empty")
    func zero() {
        #expect(thrownError { try PodUUID("00000000-0000-0000-0000-000000000000") } == "UUID cannot be empty")
    }

    @Test("random UUIDs are version 4, RFC 4122 variant, and round-trip through their text")
    func random() throws {
        let uuid = PodUUID.random()
        #expect(uuid.bytes.count == 16)
        #expect(uuid.bytes[6] >> 4 == 4)
        #expect(uuid.bytes[8] >> 6 == 0b10)
        #expect(try PodUUID(uuid.description) == uuid)
        #expect(PodUUID.random() != uuid)
    }

    @Test("decodes from and encodes to a JSON string")
    func json() throws {
        let uuid = try PodUUID(json: .string("0123456789ABCDEF0123456789abcdef"))
        #expect(uuid.json == .string("01234567-89ab-cdef-0123-456789abcdef"))
    }
}
