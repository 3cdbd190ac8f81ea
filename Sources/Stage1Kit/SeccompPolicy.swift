import Glibc

/// What an app of a pod may call: the seccomp filter for its isolators, compiled by the Linux
/// layer. Without a seccomp isolator an app gets the default filter, which refuses (EPERM) what a
/// container must not do: kernel modules, kexec, reboot, mounts (both APIs), namespaces,
/// keyrings, clock and swap changes, tracing others, io_uring, vsock; docs/seccomp.md compares it
/// with Docker's default profile. A seccomp isolator replaces it: its refused calls return its
/// errno, or kill the app (SIGSYS) without one, as in rkt.
public enum SeccompPolicy {
    /// The calls the default filter refuses; `@rkt/default-blacklist` and `@docker/default-blacklist`
    /// name them too. rkt's list (Docker's deny-list of 2016) comes first, then calls the kernel has
    /// added since that do what a listed call does, then io_uring, which Docker's profile of today
    /// refuses too (docs/seccomp.md gives the reason for each).
    public static let defaultRemoveSet = [
        "_sysctl", "acct", "add_key", "adjtimex", "bpf", "clock_adjtime", "clock_settime", "create_module",
        "delete_module", "finit_module", "get_kernel_syms", "get_mempolicy", "init_module", "ioperm", "iopl", "kcmp",
        "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mbind", "mount", "move_pages", "name_to_handle_at",
        "nfsservctl", "open_by_handle_at", "perf_event_open", "pivot_root", "process_vm_readv", "process_vm_writev",
        "ptrace", "query_module", "quotactl", "reboot", "request_key", "set_mempolicy", "setns", "settimeofday", "stime",
        "swapoff", "swapon", "sysfs", "syslog", "umount", "umount2", "unshare", "uselib", "userfaultfd", "ustat", "vm86",
        "vm86old",
        // mount's new API: each attaches, clones, creates or changes mounts (clearing read-only too).
        "open_tree", "open_tree_attr", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
        // quotactl by descriptor; another process's files or memory, as with ptrace and process_vm_*;
        // memory policy, as with mbind, set_mempolicy and move_pages.
        "quotactl_fd", "pidfd_getfd", "process_madvise", "migrate_pages", "set_mempolicy_home_node",
        // With CAP_SYS_ADMIN, a filesystem mark sees (and with permission events, stalls) all of a host filesystem.
        "fanotify_init",
        // io_uring's requests (openat, connect, socket, …) never pass this filter.
        "io_uring_setup", "io_uring_enter", "io_uring_register",
    ]

    /// The wildcards that name `defaultRemoveSet`; in a remove set they bring `argumentRules` too.
    static let blacklistWildcards: Set = ["@rkt/default-blacklist", "@docker/default-blacklist"]

    /// clone's flags that make a namespace: CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID and
    /// NEWNET. (CLONE_NEWTIME shares its bit with clone's exit signal: only unshare and clone3 take it.)
    static let namespaceFlags: UInt64 = 0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000 | 0x2000_0000 | 0x4000_0000

    /// Address families the default filter refuses a socket of, as Docker's profile does: AF_VSOCK
    /// reaches the hypervisor or the host past the pod's network namespace; AF_ALG is the kernel's
    /// crypto API, a surface no container needs.
    static let refusedSocketFamilies: [UInt32] = [40 /* AF_VSOCK */, 38 /* AF_ALG */]

    /// rkt's generic allow list (`@rkt/default-whitelist`, also `@docker/default-whitelist`: the
    /// calls Docker's default profile allowed in 2016), with the calls today's C libraries make at
    /// start-up or in common paths (rseq, statx, clone3, close_range, faccessat2, openat2, pidfd_*,
    /// preadv2/pwritev2, membarrier, epoll_pwait2, futex_waitv): without them a glibc 2.35 program
    /// dies at its first instruction. A retain set allows what it names, whatever the arguments:
    /// clone and clone3 here make namespaces too, as in rkt. Names of other architectures are skipped.
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
    /// isolator if it has one, else the default filter, which is the remove set
    /// `@rkt/default-blacklist` with errno EPERM.
    public static func program(for isolators: [Isolator]) throws -> [UInt8] {
        for isolator in isolators {
            guard case .seccomp(let set)? = isolator.value else { continue }
            let refused: SeccompRule.Action = set.errno.isEmpty ? .killProcess : .errno(try errnoValue(set.errno))
            if isolator.kind == .seccompRetainSet {
                // What systemd, rkt's stage1, always allowed: starting the app and ending it.
                let implicit = ["execve", "exit", "exit_group", "getrlimit", "rt_sigreturn", "sigreturn", "setsid"]
                if set.syscalls.contains("@appc.io/all") { return try SeccompFilter.compile(default: .allow, rules: []) }
                let rules = try self.rules(for: set.syscalls + implicit, action: .allow, removing: false)
                return try SeccompFilter.compile(default: refused, rules: rules + startRules)
            }
            return try compile(default: .allow, names: set.syscalls, action: refused, removing: true)
        }
        return try compile(default: .allow, names: ["@rkt/default-blacklist"], action: .errno(UInt16(EPERM)), removing: true)
    }

    /// What a retain set allows besides its names, for stage1 to start the app under the app's own
    /// filter (spawn.c loads it before the app's process enters the pod): clone without a namespace,
    /// the parent death signal, and a controlling terminal (`rkt enter` on a terminal).
    static let startRules = [
        SeccompRule(call: "clone", argument: .noBitOf(namespaceFlags), action: .allow),
        SeccompRule(call: "prctl", argument: .int32(1 /* PR_SET_PDEATHSIG */), action: .allow),
        SeccompRule(call: "ioctl", argument: .int32(0x540E /* TIOCSCTTY */), argumentIndex: 1, action: .allow),
    ]

    /// What the default filter adds to its names, each refused with `refused` but clone3: clone when it
    /// would make a namespace (unshare and setns are on the list already), socket for the refused
    /// families, and clone3, answered ENOSYS because its flags sit in memory, out of the filter's
    /// sight, and C libraries take ENOSYS as "use clone". clone's flags are its first argument on
    /// every architecture but s390.
    static func argumentRules(refused: SeccompRule.Action) -> [SeccompRule] {
        [SeccompRule(call: "clone", argument: .anyBitOf(namespaceFlags), action: refused),
         SeccompRule(call: "clone3", action: .errno(UInt16(ENOSYS)))]
            + refusedSocketFamilies.map { SeccompRule(call: "socket", argument: .int32($0), action: refused) }
    }

    /// The rules of a set: each call it names gets `action`. A remove set naming the default
    /// deny-list gets `argumentRules` too, but for a call it names by itself, which then gets
    /// `action` whatever its arguments.
    static func rules(for names: [String], action: SeccompRule.Action, removing: Bool) throws -> [SeccompRule] {
        let calls = try expand(names)
        var rules = calls.map { SeccompRule(call: $0, action: action) }
        if removing && names.contains(where: blacklistWildcards.contains) {
            let named = Set(calls)
            rules += argumentRules(refused: action).filter { !named.contains($0.call) }
        }
        return rules
    }

    /// Wildcards: `@appc.io/all` (every syscall), `@appc.io/empty` (none), `@rkt/default-blacklist`
    /// and `-whitelist` (`@docker/…` the same). An unknown wildcard or a name neither libseccomp nor
    /// the Linux layer knows is refused: a typo would otherwise leave a call allowed that was meant
    /// to be refused.
    static func expand(_ names: [String]) throws -> [String] {
        try names.flatMap { name -> [String] in
            switch name {
            case "@appc.io/all": return [name]
            case "@appc.io/empty": return []
            case "@rkt/default-blacklist", "@docker/default-blacklist": return defaultRemoveSet
            case "@rkt/default-whitelist", "@docker/default-whitelist": return defaultRetainSet
            default:
                if name.hasPrefix("@") { throw Stage1Error.unknownSeccompWildcard(name) }
                if SeccompFilter.number(of: name) == nil { throw Stage1Error.unknownSystemCall(name) }
                return [name]
            }
        }
    }

    /// A filter whose default is `defaultAction` and whose `names` get `action`; `@appc.io/all`
    /// among them makes `action` the default instead.
    private static func compile(default defaultAction: SeccompRule.Action, names: [String], action: SeccompRule.Action,
                                removing: Bool) throws -> [UInt8] {
        if names.contains("@appc.io/all") { return try SeccompFilter.compile(default: action, rules: []) }
        return try SeccompFilter.compile(default: defaultAction, rules: try rules(for: names, action: action, removing: removing))
    }

    private static func errnoValue(_ name: String) throws -> UInt16 {
        let table: [String: Int32] = [
            "EPERM": EPERM, "EACCES": EACCES, "ENOSYS": ENOSYS, "EINVAL": EINVAL, "ENOTSUP": ENOTSUP,
            "EOPNOTSUPP": EOPNOTSUPP, "EFAULT": EFAULT, "ENOENT": ENOENT, "EIO": EIO,
        ]
        guard let value = table[name] else { throw Stage1Error.unsupportedSeccompErrno(name) }
        return UInt16(value)
    }
}
