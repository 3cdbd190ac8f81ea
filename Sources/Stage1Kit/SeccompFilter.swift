import CSeccomp
import Glibc

/// A seccomp filter compiled with libseccomp to a BPF program the spawner loads in the app
/// before it runs. The default filter refuses (EPERM) what a container must not do: kernel
/// modules, kexec, reboot, mount, namespaces, keyrings, clock and swap changes, tracing others.
public enum SeccompFilter {
    /// rkt's default remove set (`@rkt/default-blacklist`, also `@docker/default-blacklist`).
    public static let defaultRemoveSet = [
        "_sysctl", "acct", "add_key", "adjtimex", "bpf", "clock_adjtime", "clock_settime", "create_module",
        "delete_module", "finit_module", "get_kernel_syms", "get_mempolicy", "init_module", "ioperm", "iopl", "kcmp",
        "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mbind", "mount", "move_mount", "open_tree",
        "fsopen", "fsmount", "fsconfig", "fspick", "move_pages", "name_to_handle_at", "nfsservctl", "open_by_handle_at",
        "perf_event_open", "pivot_root", "process_vm_readv", "process_vm_writev", "ptrace", "query_module", "quotactl",
        "reboot", "request_key", "set_mempolicy", "setns", "settimeofday", "stime", "swapoff", "swapon", "sysfs",
        "syslog", "umount", "umount2", "unshare", "uselib", "userfaultfd", "ustat", "vm86", "vm86old",
    ]

    /// The BPF program (an array of `struct sock_filter`) for an app's isolators: its seccomp
    /// isolator if it has one, else the default remove set.
    public static func program(for isolators: [Isolator]) throws -> [UInt8] {
        for isolator in isolators {
            guard case .seccomp(let set)? = isolator.value else { continue }
            let errno = try errnoValue(set.errno)
            if isolator.kind == .seccompRetainSet {
                return try compile(default: rkt_scmp_act_errno(errno), rules: expand(set.syscalls), action: rkt_scmp_act_allow)
            }
            return try compile(default: rkt_scmp_act_allow, rules: expand(set.syscalls), action: rkt_scmp_act_errno(errno))
        }
        return try compile(default: rkt_scmp_act_allow, rules: defaultRemoveSet, action: rkt_scmp_act_errno(UInt16(EPERM)))
    }

    /// Wildcards: `@appc.io/all` (every syscall), `@appc.io/empty` (none), `@rkt/default-blacklist`.
    static func expand(_ names: [String]) -> [String] {
        names.flatMap { name -> [String] in
            switch name {
            case "@appc.io/empty": return []
            case "@rkt/default-blacklist", "@docker/default-blacklist": return defaultRemoveSet
            default: return [name]
            }
        }
    }

    private static func compile(default defaultAction: UInt32, rules: [String], action: UInt32) throws -> [UInt8] {
        if rules.contains("@appc.io/all") {
            return try compile(default: action, rules: [], action: action)
        }
        guard let context = seccomp_init(defaultAction) else { throw Stage1Error("seccomp: cannot create a filter") }
        defer { seccomp_release(context) }
        for name in rules {
            let number = seccomp_syscall_resolve_name(name)
            // Names this architecture does not have (vm86 on x86-64) are skipped.
            if number == __NR_SCMP_ERROR { continue }
            let status = seccomp_rule_add_array(context, action, number, 0, nil)
            if status != 0 && status != -EEXIST { throw Stage1Error("seccomp: cannot add a rule for \(name)") }
        }
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { throw Stage1Error("seccomp: pipe: \(String(cString: strerror(errno)))") }
        defer { close(pipeFDs[0]) }
        let status = seccomp_export_bpf(context, pipeFDs[1])
        close(pipeFDs[1])
        guard status == 0 else { throw Stage1Error("seccomp: cannot export the filter") }
        var program: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(pipeFDs[0], &chunk, chunk.count)
            if count <= 0 { break }
            program.append(contentsOf: chunk[..<count])
        }
        return program
    }

    private static func errnoValue(_ name: String) throws -> UInt16 {
        let table: [String: Int32] = [
            "": EPERM, "EPERM": EPERM, "EACCES": EACCES, "ENOSYS": ENOSYS, "EINVAL": EINVAL, "ENOTSUP": ENOTSUP,
            "EOPNOTSUPP": EOPNOTSUPP, "EFAULT": EFAULT, "ENOENT": ENOENT, "EIO": EIO,
        ]
        guard let value = table[name] else { throw Stage1Error("unsupported seccomp errno \(quoted(name))") }
        return UInt16(value)
    }
}
