/// Users and groups of an image, from its `/etc/passwd` and `/etc/group`, to resolve the names an
/// app's `user` and `group` may give. Both files are read inside the image's root: a symlink in
/// the image cannot make stage1 read a host file, and a FIFO or device there is refused.
public struct UserDatabase {
    private let users: [String: (uid: UInt32, gid: UInt32)]
    private let groups: [String: UInt32]

    public init(root: RootDirectory) throws {
        var users: [String: (uid: UInt32, gid: UInt32)] = [:]
        for fields in try Self.lines("/etc/passwd", in: root) where fields.count >= 4 {
            if let uid = UInt32(fields[2]), let gid = UInt32(fields[3]) { users[fields[0]] = (uid, gid) }
        }
        var groups: [String: UInt32] = [:]
        for fields in try Self.lines("/etc/group", in: root) where fields.count >= 3 {
            if let gid = UInt32(fields[2]) { groups[fields[0]] = gid }
        }
        self.users = users
        self.groups = groups
    }

    /// A user by number or name.
    public func uid(_ user: String) throws -> UInt32 {
        if let number = UInt32(user) { return number }
        guard let entry = users[user] else { throw Stage1Error.userNotFound(user) }
        return entry.uid
    }

    /// A group by number or name.
    public func gid(_ group: String) throws -> UInt32 {
        if let number = UInt32(group) { return number }
        guard let gid = groups[group] else { throw Stage1Error.groupNotFound(group) }
        return gid
    }

    private static func lines(_ path: String, in root: RootDirectory) throws -> [[String]] {
        guard let bytes = try root.readFile(path, limit: 4 << 20) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
    }
}
