/// Which keys may have signed an image: those the trust store selects for its name, or the
/// keys of one keyring file given on the command line.
public enum KeySelection: Sendable {
    case trustStore(TrustStore)
    case keyring(contents: [UInt8], path: String)

    /// Every key that could be relevant (all trust-store keys: the name may not be known yet).
    func candidates() throws -> [SignatureVerifier.Key] {
        switch self {
        case .trustStore(let store): return try store.list().map { SignatureVerifier.Key(contents: $0.contents, source: $0.path) }
        case .keyring(let contents, let path): return [SignatureVerifier.Key(contents: contents, source: path)]
        }
    }

    /// The keyring file the keys come from, if not the trust store.
    var keyringPath: String? {
        if case .keyring(_, let path) = self { return path }
        return nil
    }

    /// Accepts a verification only if its signer is trusted for `name`, and every trust-store file
    /// selected for the name holds the key its name says.
    func check(_ verification: SignatureVerifier.Verification, name: ACIdentifier) throws {
        guard case .trustStore(let store) = self else { return }
        let selected = try store.keys(for: name)
        for file in selected {
            if let fingerprints = verification.imported[file.path], let first = fingerprints.first, first != file.fingerprint {
                throw SignatureError.fingerprintMismatch(file: file.path, fingerprint: first)
            }
        }
        guard selected.contains(where: { $0.fingerprint == verification.signer.key.fingerprint }) else {
            throw ImageVerificationError.untrusted(name: name, fingerprint: verification.signer.key.fingerprint, keyring: nil)
        }
    }
}
