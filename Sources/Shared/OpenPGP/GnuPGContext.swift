import CGPGME
import Glibc

/// A GPGME context bound to one GnuPG home directory, with ASCII armor and, when a passphrase is
/// given, loopback pinentry (no pinentry window, no tty needed). One per task: GPGME contexts are
/// not thread-safe.
public final class GnuPGContext {
    /// The library, initialised once for the process.
    private static let version: String = {
        setlocale(LC_CTYPE, "")
        return rkt_gpgme_check_version(nil).map { String(cString: $0) } ?? "unknown"
    }()

    let context: gpgme_ctx_t
    public let home: String
    private let passphrase: Passphrase?

    /// `passphrase` answers the agent's questions; a wrong one is not retried.
    public init(home: String, passphrase: String? = nil) throws {
        _ = Self.version
        var created: gpgme_ctx_t?
        try OpenPGPError.check(gpgme_new(&created), "create a GnuPG context")
        context = created!
        self.home = home
        self.passphrase = passphrase.map(Passphrase.init)
        try OpenPGPError.check(gpgme_set_protocol(context, GPGME_PROTOCOL_OpenPGP), "select OpenPGP")
        try OpenPGPError.check(gpgme_ctx_set_engine_info(context, GPGME_PROTOCOL_OpenPGP, nil, home), "use GnuPG home \(home)")
        gpgme_set_armor(context, 1)
        if let box = self.passphrase {
            try OpenPGPError.check(gpgme_set_pinentry_mode(context, GPGME_PINENTRY_MODE_LOOPBACK), "set loopback pinentry")
            gpgme_set_passphrase_cb(context, { hook, _, _, previousWasBad, fd in
                let box = Unmanaged<Passphrase>.fromOpaque(hook!).takeUnretainedValue()
                if previousWasBad != 0 { return gpgme_error(GPG_ERR_BAD_PASSPHRASE) }
                let line = Array((box.text + "\n").utf8)
                return gpgme_io_writen(fd, line, line.count) == 0 ? 0 : gpgme_error(GPG_ERR_EIO)
            }, Unmanaged.passUnretained(box).toOpaque())
        }
    }

    deinit { gpgme_release(context) }

    /// Imports keys; returns the fingerprints of the primary keys imported.
    public func importKeys(_ bytes: [UInt8]) throws -> [String] {
        let data = try GnuPGData(bytes)
        try OpenPGPError.check(gpgme_op_import(context, data.handle), "import keys")
        guard let result = gpgme_op_import_result(context) else { return [] }
        var fingerprints: [String] = []
        var status = result.pointee.imports
        while let item = status {
            if let fpr = item.pointee.fpr, gpgme_err_code(item.pointee.result) == GPG_ERR_NO_ERROR {
                fingerprints.append(String(cString: fpr).lowercased())
            }
            status = item.pointee.next
        }
        return fingerprints
    }

    /// The keys of the keyring (public, or secret with `secret`), optionally matching `pattern`.
    public func listKeys(pattern: String? = nil, secret: Bool = false) throws -> [PublicKey] {
        try OpenPGPError.check(gpgme_op_keylist_start(context, pattern, secret ? 1 : 0), "list keys")
        var keys: [PublicKey] = []
        while true {
            var key: gpgme_key_t?
            let status = gpgme_op_keylist_next(context, &key)
            if gpgme_err_code(status) == GPG_ERR_EOF { break }
            try OpenPGPError.check(status, "list keys")
            if let key {
                keys.append(PublicKey(key))
                gpgme_key_unref(key)
            }
        }
        return keys
    }

    /// Exports public keys matching `pattern`, armored.
    public func exportKeys(_ pattern: String) throws -> [UInt8] {
        let data = try GnuPGData()
        try OpenPGPError.check(gpgme_op_export(context, pattern, 0, data.handle), "export key \(pattern)")
        return try data.contents()
    }

    /// Runs `body` with a GPGME key looked up by ID (secret keys with `secret`).
    func withKey<T>(_ id: String, secret: Bool, _ body: (gpgme_key_t) throws -> T) throws -> T {
        var key: gpgme_key_t?
        let status = gpgme_get_key(context, id, &key, secret ? 1 : 0)
        guard gpgme_err_code(status) == GPG_ERR_NO_ERROR, let key else {
            throw OpenPGPError("no \(secret ? "secret" : "public") key \(quoted(id)) in \(home)")
        }
        defer { gpgme_key_unref(key) }
        return try body(key)
    }

    /// Holds the passphrase for the C callback.
    private final class Passphrase {
        let text: String
        init(_ text: String) { self.text = text }
    }
}
