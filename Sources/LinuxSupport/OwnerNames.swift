import Glibc

/// User and group names for numeric IDs from the system's databases, cached.
public struct OwnerNames {
    private var users: [uid_t: String?] = [:]
    private var groups: [gid_t: String?] = [:]

    public init() {}

    /// The name of `uid`, if the system has one.
    public mutating func user(_ uid: uid_t) -> String? {
        if let cached = users[uid] { return cached }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let name = getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0 && result != nil
            ? String(cString: entry.pw_name) : nil
        users[uid] = name
        return name
    }

    /// The name of `gid`, if the system has one.
    public mutating func group(_ gid: gid_t) -> String? {
        if let cached = groups[gid] { return cached }
        var entry = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let name = getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0 && result != nil
            ? String(cString: entry.gr_name) : nil
        groups[gid] = name
        return name
    }
}
