import Foundation
import TestSupport

/// Signing keys made by the real gpg in a GnuPG home of a scratch directory (one home per test).
struct SigningKeys {
    let scratch: Scratch
    let home: GnuPGHome

    init() throws {
        scratch = try Scratch()
        home = try GnuPGHome(scratch, "gnupg")
    }

    /// A new ed25519 signing key for `userID`: its fingerprint (lowercase hex).
    func generate(_ userID: String) throws -> String {
        try home.generateKey(userID)
    }

    /// The public key, armored (or binary).
    func publicKey(_ fingerprint: String, armor: Bool = true) throws -> [UInt8] {
        Array(try home.exportPublic(fingerprint, armor: armor))
    }
}
