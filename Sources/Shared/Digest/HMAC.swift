import COpenSSL

/// HMAC-SHA-512 (RFC 2104) through libcrypto's SHA-512.
public enum HMAC {
    /// The MAC of the concatenated `parts` under `key` (64 bytes).
    public static func sha512(key: [UInt8], _ parts: [UInt8]...) -> [UInt8] {
        var context = rkt_hmac_sha512()
        key.withUnsafeBytes { rkt_hmac_sha512_init(&context, $0.baseAddress, $0.count) }
        for part in parts {
            part.withUnsafeBytes { rkt_hmac_sha512_update(&context, $0.baseAddress, $0.count) }
        }
        var mac = [UInt8](repeating: 0, count: 64)
        rkt_hmac_sha512_final(&context, &mac)
        return mac
    }

    /// Whether two MACs are equal, compared in a time that does not depend on where they differ.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { a in b.withUnsafeBytes { b in rkt_constant_time_compare(a.baseAddress, b.baseAddress, a.count) == 0 } }
    }
}
