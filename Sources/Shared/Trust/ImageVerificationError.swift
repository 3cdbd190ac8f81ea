/// Why an image's signature was not accepted, as a user should read it.
public enum ImageVerificationError: Error, Sendable, CustomStringConvertible {
    case noSignature(String)
    /// Signed, but by a key not trusted for the image's name.
    case untrusted(name: ACIdentifier, fingerprint: String)
    case signature(SignatureError)

    public var description: String {
        switch self {
        case .noSignature(let path):
            return "no signature file \(path) (sign the image with: rkt-sign sign IMAGE)"
        case .untrusted(let name, let fingerprint):
            let key = fingerprint.isEmpty ? "an unknown key" : "key \(fingerprint.uppercased())"
            return "signed by \(key), which is not trusted for \(quoted(name.value)); to trust it: rkt-trust add --prefix \(name.value) KEY"
        case .signature(.untrusted(let fingerprint)):
            return "signed by a key that is not in the trust store (\(fingerprint.isEmpty ? "unknown key" : fingerprint.uppercased())); to trust it: rkt-trust add --prefix NAME KEY"
        case .signature(let error):
            return "\(error)"
        }
    }
}
