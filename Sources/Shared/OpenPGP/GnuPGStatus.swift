/// What gpg or gpgv said about each signature on its status channel (`--status-fd`, see GnuPG's
/// doc/DETAILS): one entry per `NEWSIG`.
struct GnuPGStatus {
    /// The outcome for one signature.
    enum Outcome: Equatable {
        /// Good; the signing key's fingerprint and its primary key's.
        case good(fingerprint: String, primary: String)
        /// Good, but made by a key that has expired or been revoked (or the signature expired).
        case expiredKey(String)
        case revokedKey(String)
        case bad(String)
        /// The key is not in the keyring (`ERRSIG … 9`), by fingerprint or long key ID.
        case noPublicKey(String)
        /// Could not be checked for another reason (`ERRSIG` code).
        case error(String)
    }

    private(set) var signatures: [Outcome] = []
    /// gpg found no OpenPGP data where the signature should be (`NODATA`).
    private(set) var noData = false

    init(_ output: [UInt8]) {
        var pendingKeyState: Outcome?
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ").map { String($0) }
            guard fields.count >= 2, fields[0] == "[GNUPG:]" else { continue }
            let arguments = Array(fields.dropFirst(2))
            let first = arguments.first?.lowercased() ?? ""
            switch fields[1] {
            case "NODATA":
                noData = true
            case "EXPSIG", "EXPKEYSIG":
                pendingKeyState = .expiredKey(first)
            case "REVKEYSIG":
                pendingKeyState = .revokedKey(first)
            case "BADSIG":
                signatures.append(.bad(first))
            case "ERRSIG":
                let fingerprint = arguments.count > 6 && arguments[6] != "-" ? arguments[6].lowercased() : first
                let code = arguments.count > 5 ? arguments[5] : ""
                signatures.append(code == "9" ? .noPublicKey(fingerprint) : .error(code))
            case "VALIDSIG":
                let fingerprint = first
                let primary = arguments.count > 9 ? arguments[9].lowercased() : fingerprint
                switch pendingKeyState {
                case .expiredKey?: signatures.append(.expiredKey(primary))
                case .revokedKey?: signatures.append(.revokedKey(primary))
                default: signatures.append(.good(fingerprint: fingerprint, primary: primary))
                }
                pendingKeyState = nil
            case "NEWSIG":
                if let state = pendingKeyState { signatures.append(state) }
                pendingKeyState = nil
            default:
                break
            }
        }
        if let state = pendingKeyState { signatures.append(state) }
    }
}
