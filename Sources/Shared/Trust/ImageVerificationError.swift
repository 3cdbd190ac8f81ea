/// Why an image's signature was not accepted, as a user should read it.
public enum ImageVerificationError: Error, Sendable, CustomStringConvertible {
    case noSignature(String)
    /// Signed, but by a key not trusted for the image's name (nil when it could not be read), or
    /// not in the keyring file the keys were to come from.
    case untrusted(name: ACIdentifier?, fingerprint: String, keyring: String?)
    case signature(SignatureError)

    public var description: String {
        switch self {
        case .noSignature(let path):
            return "no signature file \(path) (sign the image with: rkt-sign sign IMAGE)"
        case .untrusted(let name, let fingerprint, let keyring):
            let key = fingerprint.isEmpty ? "an unknown key" : "key \(fingerprint.uppercased())"
            if let keyring { return "signed by \(key), which is not in the keyring \(quoted(keyring))" }
            guard let name else { return "signed by \(key), which is not in the trust store" }
            return "signed by \(key), which is not trusted for \(quoted(name.value)); to trust it: rkt-trust add --prefix \(name.value) KEY"
        case .signature(let error):
            return "\(error)"
        }
    }
}
