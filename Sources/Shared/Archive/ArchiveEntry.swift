/// One member of a tar archive, as read or to be written.
public struct ArchiveEntry: Sendable, Equatable {
    /// The kinds of file a tar member can describe.
    public enum FileType: Sendable, Equatable {
        case regular, directory, symlink, hardlink, characterDevice, blockDevice, fifo, socket
    }

    public var path: String
    public var type: FileType
    /// Permission bits and set-id/sticky bits (no file-type bits).
    public var permissions: UInt32
    public var size: Int64
    public var uid: Int64
    public var gid: Int64
    public var userName: String?
    public var groupName: String?
    /// Modification time in seconds since the epoch.
    public var modificationTime: Int64
    public var modificationTimeNanoseconds: Int = 0
    /// The target of a symlink, or the path of the member a hard link points to.
    public var linkTarget: String?
    public var deviceMajor: UInt32 = 0
    public var deviceMinor: UInt32 = 0
    /// Extended attributes in name order.
    public var extendedAttributes: [ExtendedAttribute] = []

    public init(path: String, type: FileType, permissions: UInt32, size: Int64 = 0, uid: Int64 = 0, gid: Int64 = 0,
                userName: String? = nil, groupName: String? = nil, modificationTime: Int64 = 0, linkTarget: String? = nil) {
        self.path = path
        self.type = type
        self.permissions = permissions
        self.size = size
        self.uid = uid
        self.gid = gid
        self.userName = userName
        self.groupName = groupName
        self.modificationTime = modificationTime
        self.linkTarget = linkTarget
    }
}
