import CSeccomp
import Glibc

/// A seccomp filter compiled with libseccomp to a BPF program the spawner loads in the app
/// before it runs. The default filter refuses (EPERM) what a container must not do: kernel
/// modules, kexec, reboot, mount, namespaces, keyrings, clock and swap changes, tracing others.
/// A seccomp isolator's refused calls return its errno, or kill the app (SIGSYS) without one, as
/// in rkt.
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

    /// rkt's generic allow list (`@rkt/default-whitelist`, also `@docker/default-whitelist`: the
    /// calls Docker's default profile allowed), with the calls today's C libraries make at start-up
    /// or in common paths that Docker's profile has allowed since (rseq, statx, clone3, close_range,
    /// faccessat2, openat2, pidfd_*, preadv2/pwritev2, membarrier, epoll_pwait2, futex_waitv):
    /// without them a glibc 2.35 program dies at its first instruction. Names of other
    /// architectures are skipped.
    public static let defaultRetainSet = [
        "clone3", "close_range", "epoll_pwait2", "faccessat2", "futex_waitv", "membarrier", "openat2", "pidfd_getfd",
        "pidfd_open", "pidfd_send_signal", "preadv2", "pwritev2", "rseq", "statx",
        "_llseek", "_newselect", "accept", "accept4", "access", "alarm", "arch_prctl", "bind", "brk", "capget", "capset",
        "chdir", "chmod", "chown", "chown32", "chroot", "clock_getres", "clock_gettime", "clock_nanosleep", "clone", "close",
        "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
        "epoll_ctl_old", "epoll_pwait", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat", "exit",
        "exit_group", "faccessat", "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
        "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork",
        "fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate",
        "ftruncate64", "futex", "futimesat", "get_robust_list", "get_thread_area", "getcpu", "getcwd", "getdents",
        "getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32",
        "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid",
        "getresgid32", "getresuid", "getresuid32", "getrlimit", "getrusage", "getsid", "getsockname", "getsockopt", "gettid",
        "gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1",
        "inotify_rm_watch", "io_cancel", "io_destroy", "io_getevents", "io_setup", "io_submit", "ioctl", "ioprio_get",
        "ioprio_set", "ipc", "kill", "lchown", "lchown32", "lgetxattr", "link", "linkat", "listen", "listxattr", "llistxattr",
        "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "madvise", "memfd_create", "mincore", "mkdir", "mkdirat",
        "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "modify_ldt", "mprotect", "mq_getsetattr",
        "mq_notify", "mq_open", "mq_timedreceive", "mq_timedsend", "mq_unlink", "mremap", "msgctl", "msgget", "msgrcv",
        "msgsnd", "msync", "munlock", "munlockall", "munmap", "nanosleep", "newfstatat", "open", "openat", "pause",
        "personality", "pipe", "pipe2", "poll", "ppoll", "prctl", "pread64", "preadv", "prlimit64", "pselect6", "pwrite64",
        "pwritev", "read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg", "recvmsg",
        "remap_file_pages", "removexattr", "rename", "renameat", "renameat2", "restart_syscall", "rmdir", "rt_sigaction",
        "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
        "rt_tgsigqueueinfo", "sched_get_priority_max", "sched_get_priority_min", "sched_getaffinity", "sched_getattr",
        "sched_getparam", "sched_getscheduler", "sched_rr_get_interval", "sched_setaffinity", "sched_setattr",
        "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl", "semget", "semop",
        "semtimedop", "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "set_robust_list",
        "set_thread_area", "set_tid_address", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
        "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32", "setresgid",
        "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit", "setsid", "setsockopt", "setuid",
        "setuid32", "setxattr", "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4",
        "sigreturn", "socket", "socketcall", "socketpair", "splice", "stat", "stat64", "statfs", "statfs64", "symlink",
        "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "syslog", "tee", "tgkill", "time", "timer_create",
        "timer_delete", "timer_getoverrun", "timer_gettime", "timer_settime", "timerfd_create", "timerfd_gettime",
        "timerfd_settime", "times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat",
        "utime", "utimensat", "utimes", "vfork", "vmsplice", "wait4", "waitid", "waitpid", "write", "writev",
    ]

    /// The BPF program (an array of `struct sock_filter`) for an app's isolators: its seccomp
    /// isolator if it has one, else the default remove set.
    public static func program(for isolators: [Isolator]) throws -> [UInt8] {
        for isolator in isolators {
            guard case .seccomp(let set)? = isolator.value else { continue }
            let refused = set.errno.isEmpty ? rkt_scmp_act_kill_process : rkt_scmp_act_errno(try errnoValue(set.errno))
            let rules = try expand(set.syscalls)
            if isolator.kind == .seccompRetainSet {
                // What systemd, rkt's stage1, always allowed: starting the app and ending it.
                let implicit = ["execve", "exit", "exit_group", "getrlimit", "rt_sigreturn", "sigreturn"]
                return try compile(default: refused, rules: rules + implicit, action: rkt_scmp_act_allow)
            }
            return try compile(default: rkt_scmp_act_allow, rules: rules, action: refused)
        }
        return try compile(default: rkt_scmp_act_allow, rules: defaultRemoveSet, action: rkt_scmp_act_errno(UInt16(EPERM)))
    }

    /// Wildcards: `@appc.io/all` (every syscall), `@appc.io/empty` (none), `@rkt/default-blacklist`
    /// and `-whitelist` (`@docker/…` the same). An unknown wildcard or a name libseccomp does not
    /// know is refused: a typo would otherwise leave a call allowed that was meant to be refused.
    static func expand(_ names: [String]) throws -> [String] {
        try names.flatMap { name -> [String] in
            switch name {
            case "@appc.io/all": return [name]
            case "@appc.io/empty": return []
            case "@rkt/default-blacklist", "@docker/default-blacklist": return defaultRemoveSet
            case "@rkt/default-whitelist", "@docker/default-whitelist": return defaultRetainSet
            default:
                if name.hasPrefix("@") { throw Stage1Error("unknown seccomp wildcard \(quoted(name)) (known: @appc.io/all, @appc.io/empty, @rkt/default-blacklist, @rkt/default-whitelist, @docker/default-blacklist, @docker/default-whitelist)") }
                if seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR { throw Stage1Error("unknown system call \(quoted(name)) in the seccomp isolator") }
                return [name]
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
            "EPERM": EPERM, "EACCES": EACCES, "ENOSYS": ENOSYS, "EINVAL": EINVAL, "ENOTSUP": ENOTSUP,
            "EOPNOTSUPP": EOPNOTSUPP, "EFAULT": EFAULT, "ENOENT": ENOENT, "EIO": EIO,
        ]
        guard let value = table[name] else { throw Stage1Error("unsupported seccomp errno \(quoted(name))") }
        return UInt16(value)
    }
}

extension SeccompFilter {
    /// A filter that allows `names` and refuses every other call with EPERM.
    static func program(allowing names: [String]) throws -> [UInt8] {
        try compile(default: rkt_scmp_act_errno(UInt16(EPERM)), rules: names, action: rkt_scmp_act_allow)
    }
}
