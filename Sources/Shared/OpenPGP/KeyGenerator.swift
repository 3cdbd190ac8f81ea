import CGPGME

/// Creates a release signing key in a GnuPG home.
public struct KeyGenerator {
    public enum Algorithm: String, Sendable, CaseIterable {
        case ed25519, rsa4096
    }

    public var home: String
    public var algorithm: Algorithm
    /// Seconds until expiry; 0 for never.
    public var expiresIn: UInt
    /// The passphrase protecting the key; nil for none.
    public var passphrase: String?

    public init(home: String, algorithm: Algorithm = .ed25519, expiresIn: UInt = 0, passphrase: String? = nil) {
        self.home = home
        self.algorithm = algorithm
        self.expiresIn = expiresIn
        self.passphrase = passphrase
    }

    /// Generates a signing-only primary key for `name <email>`; returns it.
    public func generate(name: String, email: String) throws -> PublicKey {
        let agentWasRunning = GnuPGAgent.isRunning(home: home)
        defer { if !agentWasRunning { GnuPGAgent.stop(home: home) } }
        let context = try GnuPGContext(home: home, passphrase: passphrase ?? "")
        let userID = "\(name) <\(email)>"
        var flags = UInt32(GPGME_CREATE_SIGN | GPGME_CREATE_CERT)
        if passphrase == nil { flags |= UInt32(GPGME_CREATE_NOPASSWD) }
        if expiresIn == 0 { flags |= UInt32(GPGME_CREATE_NOEXPIRE) }
        let algo = algorithm == .ed25519 ? "ed25519" : "rsa4096"
        try OpenPGPError.check(gpgme_op_createkey(context.context, userID, algo, 0, expiresIn, nil, flags), "generate key for \(userID)")
        guard let result = gpgme_op_genkey_result(context.context), let fpr = result.pointee.fpr else {
            throw OpenPGPError("key generation gave no key")
        }
        let fingerprint = String(cString: fpr)
        guard let key = try context.listKeys(pattern: fingerprint).first else { throw OpenPGPError("generated key \(fingerprint) not found") }
        return key
    }

    /// Parses an expiry like `2y`, `6m`, `30d`, `12w` or `0` (never) into seconds.
    public static func seconds(_ text: String) throws -> UInt {
        if text == "0" || text == "never" { return 0 }
        guard let unit = text.last, let count = UInt(text.dropLast()), count > 0 else {
            throw OpenPGPError("invalid expiry \(quoted(text)) (use 2y, 6m, 12w, 30d or never)")
        }
        let day: UInt = 86_400
        switch unit {
        case "d": return count * day
        case "w": return count * 7 * day
        case "m": return count * 30 * day
        case "y": return count * 365 * day
        default: throw OpenPGPError("invalid expiry \(quoted(text)) (use 2y, 6m, 12w, 30d or never)")
        }
    }
}
