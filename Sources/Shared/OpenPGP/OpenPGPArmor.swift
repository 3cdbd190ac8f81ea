import Foundation

/// ASCII armor (RFC 4880 §6.2) removed from key files, for tools such as gpgv that read only
/// binary keyrings. Only the base64 body is decoded; the packets inside are GnuPG's to judge.
enum OpenPGPArmor {
    /// The binary packets of `bytes`: every armored block decoded and concatenated, or `bytes`
    /// unchanged when they are already binary (a packet tag has its high bit set).
    static func binary(_ bytes: [UInt8]) throws -> [UInt8] {
        guard let first = bytes.first(where: { !$0.isWhitespace }), first != 0x2D else {
            return try dearmor(bytes)
        }
        return first & 0x80 != 0 ? bytes : try dearmor(bytes)
    }

    private static func dearmor(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var body: String?
        var inHeaders = false
        for rawLine in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.hasPrefix("-----BEGIN PGP ") {
                body = ""
                inHeaders = true
            } else if line.hasPrefix("-----END PGP "), let text = body {
                guard let decoded = Data(base64Encoded: text) else { throw OpenPGPError("a key file's armor is not valid base64") }
                output += decoded
                body = nil
            } else if body != nil {
                // Armor headers ("Comment: …") end at the first empty line; "=…" is the checksum.
                if inHeaders && line.contains(":") { continue }
                inHeaders = false
                if !line.hasPrefix("=") { body! += line }
            }
        }
        guard !output.isEmpty else { throw OpenPGPError("no OpenPGP key block in a key file") }
        return output
    }
}

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
