import CLinux
import Glibc

/// One entry of a pod's device allow-list: which device nodes its processes may open (read,
/// write) or make (mknod). Everything no rule allows is refused, as runc and systemd-nspawn do.
public struct DeviceRule: Sendable, Equatable {
    public enum Kind: Character, Sendable { case any = "a", block = "b", character = "c" }

    public struct Access: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let mknod = Access(rawValue: 1)
        public static let read = Access(rawValue: 2)
        public static let write = Access(rawValue: 4)
        public static let all: Access = [.mknod, .read, .write]
    }

    public var kind: Kind
    /// nil: any.
    public var major: UInt32?
    public var minor: UInt32?
    public var access: Access

    public init(_ kind: Kind, _ major: UInt32?, _ minor: UInt32?, _ access: Access) {
        self.kind = kind
        self.major = major
        self.minor = minor
        self.access = access
    }

    /// What every pod may use (runc's default set): making any node (which a nodev mount keeps
    /// from being opened), and opening null, zero, full, random, urandom, tty, console, ptmx and
    /// the pod's own pseudo-terminals.
    public static let defaults: [DeviceRule] = [
        DeviceRule(.character, nil, nil, .mknod), DeviceRule(.block, nil, nil, .mknod),
        DeviceRule(.character, 1, 3, .all), DeviceRule(.character, 1, 5, .all), DeviceRule(.character, 1, 7, .all),
        DeviceRule(.character, 1, 8, .all), DeviceRule(.character, 1, 9, .all), DeviceRule(.character, 5, 0, .all),
        DeviceRule(.character, 5, 1, .all), DeviceRule(.character, 5, 2, .all), DeviceRule(.character, 136, nil, .all),
    ]

    /// The rule for a device node a host volume hands to the pod (rkt's behaviour): read, and
    /// write unless the volume is read-only; nil when `info` is not a device node.
    public init?(node info: stat, readOnly: Bool) {
        let type = info.st_mode & S_IFMT
        guard type == S_IFCHR || type == S_IFBLK else { return nil }
        self.init(type == S_IFBLK ? .block : .character, rkt_device_major(info.st_rdev), rkt_device_minor(info.st_rdev),
                  readOnly ? [.read, .mknod] : .all)
    }

    /// The cgroup v1 `devices.allow` line: `c 1:3 rwm`.
    public var line: String {
        let access = (access.contains(.read) ? "r" : "") + (access.contains(.write) ? "w" : "") + (access.contains(.mknod) ? "m" : "")
        return "\(kind.rawValue) \(major.map(String.init) ?? "*"):\(minor.map(String.init) ?? "*") \(access)"
    }

    /// The C form the cgroup v2 device program is built from.
    var cRule: rkt_device_rule {
        rkt_device_rule(type: CChar(kind.rawValue.asciiValue!), major: major.map { Int32($0) } ?? -1,
                        minor: minor.map { Int32($0) } ?? -1, access: access.rawValue)
    }
}
