import CGPGME
import Glibc

/// Checks an OpenPGP signature against exactly the keys given (never the user's keyring): the
/// keys go into a throwaway GnuPG home, the signature must be good, made by one of those keys
/// (primary or subkey), and that key must be neither expired nor revoked.
///
/// Detached signatures over files are checked by gpgv reading the file itself, while GPGME lists
/// the keys on another thread: GPGME would copy the content through a pipe and hex-format every
/// byte for its (disabled) trace, tripling the time for a 100 MB image.
public enum SignatureVerifier {
    /// The key a good signature was made with.
    public struct Signer: Sendable, Equatable {
        public var key: PublicKey
        /// The (sub)key fingerprint the signature names.
        public var signingFingerprint: String
    }

    /// A key to verify with, and where it comes from.
    public struct Key: Sendable {
        public var contents: [UInt8]
        public var source: String

        public init(contents: [UInt8], source: String) {
            self.contents = contents
            self.source = source
        }
    }

    /// A good signature: who made it, and which fingerprints each key source held (so callers
    /// can check trust-store file names).
    public struct Verification: Sendable {
        public var signer: Signer
        public var imported: [String: [String]]
    }

    /// The program that checks detached signatures (Debian's gpgv package, which apt needs).
    static let gpgv = "/usr/bin/gpgv"

    /// Verifies a detached signature over the content of `fileDescriptor` (read from its current position).
    public static func verifyDetached(signature: [UInt8], fileDescriptor: Int32, keys: [Key]) throws -> Verification {
        let listing = BackgroundValue { () throws -> (imported: [String: [String]], keys: [PublicKey]) in
            let home = try TemporaryGnuPGHome()
            let context = try GnuPGContext(home: home.path)
            var imported: [String: [String]] = [:]
            for key in keys { imported[key.source] = try context.importKeys(key.contents) }
            return (imported, try context.listKeys())
        }
        let scratch = try TemporaryDirectory(prefix: "rktgpgv")
        let keyring = "\(scratch.path)/keyring.gpg", signatureFile = "\(scratch.path)/signature"
        try FileIO.writeFile(keyring, keys.flatMap { (try? OpenPGPArmor.binary($0.contents)) ?? [] })
        try FileIO.writeFile(signatureFile, signature)
        let result = Subprocess.run(gpgv, ["--homedir", scratch.path, "--status-fd", "1", "--keyring", keyring, signatureFile, "-"],
                                    input: fileDescriptor)
        let (imported, trusted) = try listing.get()
        guard result.status >= 0 else { throw OpenPGPError("could not run \(gpgv)") }
        let status = GnuPGStatus(result.output)
        if status.signatures.isEmpty {
            throw SignatureError.malformed(status.noData ? "no OpenPGP signature found (not a signature file, or damaged)"
                                                         : "not an OpenPGP signature")
        }
        var firstProblem: SignatureError?
        for outcome in status.signatures {
            let problem: SignatureError
            switch outcome {
            case .good(let fingerprint, let primary):
                let key = trusted.first { $0.fingerprint == primary || $0.subkeyFingerprints.contains(fingerprint) }
                if let key, !key.isRevoked, !key.isExpired {
                    return Verification(signer: Signer(key: key, signingFingerprint: fingerprint), imported: imported)
                }
                problem = key.map { $0.isRevoked ? .revoked($0) : .expired($0) } ?? .untrusted(primary)
            case .expiredKey(let id):
                problem = Self.key(id, in: trusted).map { .expired($0) } ?? .untrusted(id)
            case .revokedKey(let id):
                problem = Self.key(id, in: trusted).map { .revoked($0) } ?? .untrusted(id)
            case .bad:
                problem = .bad
            case .noPublicKey(let id):
                problem = .untrusted(id)
            case .error(let code):
                problem = .malformed("the signature could not be checked (GnuPG error code \(code))")
            }
            firstProblem = firstProblem ?? problem
        }
        throw firstProblem!
    }

    /// The key with this fingerprint or long key ID (primary or subkey).
    private static func key(_ id: String, in keys: [PublicKey]) -> PublicKey? {
        keys.first { key in ([key.fingerprint] + key.subkeyFingerprints).contains { $0 == id || $0.hasSuffix(id) } }
    }

    /// Verifies an attached (signed-message) signature and returns the signed content too.
    public static func verifyAttached(message: [UInt8], keys: [Key]) throws -> (verification: Verification, content: [UInt8]) {
        var plaintext: GnuPGData?
        let verification = try verify(keys: keys) { context in
            let signed = try GnuPGData(message)
            let output = try GnuPGData()
            plaintext = output
            return gpgme_op_verify(context.context, signed.handle, nil, output.handle)
        }
        return (verification, try plaintext!.contents())
    }

    private static func verify(keys: [Key], run: (GnuPGContext) throws -> gpgme_error_t) throws -> Verification {
        let home = try TemporaryGnuPGHome()
        let context = try GnuPGContext(home: home.path)
        var imported: [String: [String]] = [:]
        for key in keys {
            imported[key.source] = try context.importKeys(key.contents)
        }
        let trusted = try context.listKeys()
        let status = try run(context)
        if gpgme_err_code(status) == GPG_ERR_NO_DATA {
            throw SignatureError.malformed("no OpenPGP signature found (not a signature file, or damaged)")
        }
        if status != 0 && gpgme_err_code(status).rawValue & UInt32(GPG_ERR_SYSTEM_ERROR) == 0 {
            // GnuPG could not parse it (a key, a message, garbage): not a signature.
            throw SignatureError.malformed("not an OpenPGP signature (\(String(cString: gpgme_strerror(status))))")
        }
        try OpenPGPError.check(status, "verify signature")
        guard let result = gpgme_op_verify_result(context.context), var signature = result.pointee.signatures else {
            throw SignatureError.malformed("the signature file holds no signature")
        }
        var firstProblem: SignatureError?
        while true {
            let fingerprint = signature.pointee.fpr.map { String(cString: $0).lowercased() } ?? ""
            let code = gpgme_err_code(signature.pointee.status)
            let key = trusted.first { $0.fingerprint == fingerprint || $0.subkeyFingerprints.contains(fingerprint) || $0.fingerprint.hasSuffix(fingerprint) }
            let problem: SignatureError?
            switch code {
            case GPG_ERR_NO_ERROR:
                if let key, !key.isRevoked, !key.isExpired {
                    return Verification(signer: Signer(key: key, signingFingerprint: fingerprint), imported: imported)
                }
                problem = key.map { $0.isRevoked ? .revoked($0) : .expired($0) } ?? .untrusted(fingerprint)
            case GPG_ERR_NO_PUBKEY:
                problem = .untrusted(fingerprint)
            case GPG_ERR_BAD_SIGNATURE:
                problem = .bad
            case GPG_ERR_KEY_EXPIRED, GPG_ERR_SIG_EXPIRED:
                problem = key.map { .expired($0) } ?? .untrusted(fingerprint)
            case GPG_ERR_CERT_REVOKED:
                problem = key.map { .revoked($0) } ?? .untrusted(fingerprint)
            default:
                problem = .malformed(String(cString: gpgme_strerror(signature.pointee.status)))
            }
            firstProblem = firstProblem ?? problem
            guard let next = signature.pointee.next else { break }
            signature = next
        }
        throw firstProblem ?? SignatureError.malformed("no usable signature")
    }
}

/// Why a signature was not accepted.
public enum SignatureError: Error, Sendable, CustomStringConvertible {
    /// Made by a key that is not among the trusted ones (its fingerprint, possibly a long key ID).
    case untrusted(String)
    /// The content does not match: it changed, or the signature is for other content.
    case bad
    case expired(PublicKey)
    case revoked(PublicKey)
    case malformed(String)
    /// A sound container signature that vouches for another reference or manifest.
    case otherImage(String)
    /// A trusted-key file whose name is not the fingerprint of the key inside.
    case fingerprintMismatch(file: String, fingerprint: String)

    public var description: String {
        switch self {
        case .untrusted(let fingerprint):
            return "signed by a key that is not trusted for this image (\(fingerprint.isEmpty ? "unknown key" : fingerprint.uppercased()))"
        case .bad:
            return "bad signature: the file does not match it (changed since it was signed, or signed for another file)"
        case .expired(let key):
            return "the signing key \(key.fingerprint.uppercased()) (\(key.userIDs.first ?? "no user ID")) has expired"
        case .revoked(let key):
            return "the signing key \(key.fingerprint.uppercased()) (\(key.userIDs.first ?? "no user ID")) has been revoked"
        case .malformed(let why):
            return "malformed signature: \(why)"
        case .otherImage(let why):
            return "the signature does not vouch for this image: \(why)"
        case .fingerprintMismatch(let file, let fingerprint):
            return "fingerprint mismatch: \(quoted(file)):\(quoted(fingerprint)) (the trusted key file is not named by its key's fingerprint)"
        }
    }
}
