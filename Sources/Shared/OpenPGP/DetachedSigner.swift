import CGPGME
import Glibc

/// Makes ASCII-armored detached signatures with a key from a GnuPG home, without a pinentry
/// window (loopback passphrase), stopping the agent afterwards if this run started it.
public struct DetachedSigner {
    public var home: String
    /// Which secret key signs (ID, fingerprint or user ID); the home's first secret key when nil.
    public var keyID: String?
    public var passphrase: String?

    public init(home: String, keyID: String? = nil, passphrase: String? = nil) {
        self.home = home
        self.keyID = keyID
        self.passphrase = passphrase
    }

    /// Signs the content of `fileDescriptor` (from its current position); returns the armored signature.
    public func sign(fileDescriptor: Int32) throws -> [UInt8] {
        try withContext { context in
            let content = try GnuPGData(fileDescriptor: fileDescriptor)
            let signature = try GnuPGData()
            try check(gpgme_op_sign(context.context, content.handle, signature.handle, GPGME_SIG_MODE_DETACH))
            return try signature.contents()
        }
    }

    /// Signs `content` into an armored signed message (OpenPGP attached signature).
    public func signMessage(_ content: [UInt8]) throws -> [UInt8] {
        try withContext { context in
            let plain = try GnuPGData(content)
            let message = try GnuPGData()
            try check(gpgme_op_sign(context.context, plain.handle, message.handle, GPGME_SIG_MODE_NORMAL))
            return try message.contents()
        }
    }

    /// Explains a failed signing: a passphrase-protected key asked for on no terminal is the usual one.
    private func check(_ code: gpgme_error_t) throws {
        let reason = gpgme_err_code(code)
        guard reason != GPG_ERR_NO_ERROR else { return }
        if passphrase == nil && [GPG_ERR_ENOTTY, GPG_ERR_NO_PIN_ENTRY, GPG_ERR_NO_PASSPHRASE, GPG_ERR_CANCELED].contains(reason) {
            throw OpenPGPError("the secret key is protected by a passphrase and none could be asked for (\(String(cString: gpgme_strerror(code)))); give --passphrase-file")
        }
        throw OpenPGPError("signing failed", code)
    }

    /// Runs `body` with a context whose signer is set, stopping an agent this run started.
    func withContext<T>(_ body: (GnuPGContext) throws -> T) throws -> T {
        let agentWasRunning = GnuPGAgent.isRunning(home: home)
        defer { if !agentWasRunning { GnuPGAgent.stop(home: home) } }
        let context = try GnuPGContext(home: home, passphrase: passphrase)
        let secretKeys = try context.listKeys(pattern: keyID, secret: true)
        guard let key = secretKeys.first else {
            throw OpenPGPError(keyID.map { "no secret key \(quoted($0)) in \(home)" } ?? "no secret key in \(home) (create one with rkt-sign keygen)")
        }
        if keyID != nil && secretKeys.count > 1 {
            throw OpenPGPError("\(quoted(keyID!)) matches \(secretKeys.count) secret keys in \(home); give a fingerprint")
        }
        try context.withKey(key.fingerprint, secret: true) { handle in
            gpgme_signers_clear(context.context)
            try OpenPGPError.check(gpgme_signers_add(context.context, handle), "use key \(key.fingerprint)")
        }
        return try body(context)
    }
}
