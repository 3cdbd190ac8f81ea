import Foundation
import Shared
import TestSupport
import Testing

/// HMAC-SHA-512 against RFC 4231's vectors and against `openssl dgst -mac HMAC`.
@Suite("HMAC-SHA-512")
struct HMACTests {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("RFC 4231 test cases 1 and 2")
    func rfc4231() {
        #expect(hex(HMAC.sha512(key: [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8)))
            == "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854")
        #expect(hex(HMAC.sha512(key: Array("Jefe".utf8), Array("what do ya ".utf8), Array("want for nothing?".utf8)))
            == "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737")
    }

    @Test("keys shorter than, as long as and longer than the block agree with openssl", arguments: [1, 64, 127, 128, 129, 300])
    func agreesWithOpenSSL(keyLength: Int) throws {
        let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let message = Array("rkt metadata service \(keyLength)".utf8)
        let text = try Tool.execute("/usr/bin/openssl", ["dgst", "-sha512", "-mac", "HMAC", "-macopt", "hexkey:\(hex(key))"],
                                    stdin: Data(message)).check("openssl dgst").stdout
        #expect(text.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == hex(HMAC.sha512(key: key, message)))
    }

    @Test("equal compares whole MACs")
    func equal() {
        let mac = HMAC.sha512(key: [1, 2, 3], [4])
        #expect(HMAC.equal(mac, mac))
        #expect(!HMAC.equal(mac, Array(mac.dropLast())))
        #expect(!HMAC.equal(mac, HMAC.sha512(key: [1, 2, 3], [5])))
    }
}
