import CGPGME

/// What a key says about itself: its fingerprints, user IDs and whether it can still be trusted.
public struct PublicKey: Sendable, Equatable {
    /// The primary key's fingerprint, lowercase hex (40 digits for v4 keys).
    public var fingerprint: String
    /// The fingerprints of the subkeys (which may make signatures too).
    public var subkeyFingerprints: [String]
    public var userIDs: [String]
    /// Expiry of the primary key (seconds since the epoch), nil when it never expires.
    public var expires: Int64?
    public var isExpired: Bool
    public var isRevoked: Bool

    init(_ key: gpgme_key_t) {
        var fingerprints: [String] = []
        var expires: Int64?
        var subkey = key.pointee.subkeys
        while let current = subkey {
            if let fpr = current.pointee.fpr { fingerprints.append(String(cString: fpr).lowercased()) }
            if current == key.pointee.subkeys, current.pointee.expires > 0 { expires = Int64(current.pointee.expires) }
            subkey = current.pointee.next
        }
        var ids: [String] = []
        var uid = key.pointee.uids
        while let current = uid {
            if let text = current.pointee.uid { ids.append(String(cString: text)) }
            uid = current.pointee.next
        }
        fingerprint = fingerprints.first ?? ""
        subkeyFingerprints = Array(fingerprints.dropFirst())
        userIDs = ids
        self.expires = expires
        isExpired = key.pointee.expired != 0
        isRevoked = key.pointee.revoked != 0
    }

    /// `8B86 DE38 890D DB72 9186  7B02 5210 BD88 8818 2190`: groups of four, a double space in the middle.
    public var groupedFingerprint: String {
        let upper = Array(fingerprint.uppercased())
        let groups = stride(from: 0, to: upper.count, by: 4).map { String(upper[$0..<min($0 + 4, upper.count)]) }
        let half = groups.count / 2
        return groups[..<half].joined(separator: " ") + "  " + groups[half...].joined(separator: " ")
    }
}
