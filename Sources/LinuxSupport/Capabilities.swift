import Glibc

/// Linux capabilities by name and number, and the appc default set.
public enum Capabilities {
    /// Capability names, indexed by number.
    public static let names = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
        "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    /// The 14 capabilities an app keeps by default (appc executor spec).
    public static let defaultSet = [
        "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_KILL", "CAP_MKNOD",
        "CAP_NET_RAW", "CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETFCAP", "CAP_SYS_CHROOT",
    ]

    /// The bit of a capability name (`CAP_NET_ADMIN` or `net_admin`).
    public static func bit(_ name: String) throws -> UInt64 {
        var upper = name.uppercased()
        if !upper.hasPrefix("CAP_") { upper = "CAP_" + upper }
        guard let index = names.firstIndex(of: upper) else { throw LinuxError.unknownCapability(name) }
        return 1 << UInt64(index)
    }

    public static func mask(_ set: [String]) throws -> UInt64 {
        try set.reduce(0) { $0 | (try bit($1)) }
    }

    /// This process's bounding set (what can still be granted).
    public static func permitted() -> UInt64 {
        guard let status = try? String(decoding: FileIO.readFile("/proc/self/status"), as: UTF8.self) else { return ~0 }
        for line in status.split(separator: "\n") where line.hasPrefix("CapBnd:") {
            return UInt64(line.dropFirst("CapBnd:".count).drop { $0 == " " || $0 == "\t" }, radix: 16) ?? ~0
        }
        return ~0
    }
}
