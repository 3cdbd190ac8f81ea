import CLinux
import Glibc

/// The pod's process 1 (ns flavor): it holds the pod's pid namespace and reaps the pod's
/// orphans, and nothing else. It runs nothing for stage1: an app that may look at process 1
/// (CAP_SYS_PTRACE) finds no capability, an empty read-only root, no descriptor, no host path
/// or environment, and a seccomp filter that allows waiting for children only.
public struct PodInit {
    public let pid: pid_t
    /// A procfs of the pod's pid namespace, detached (fsmount): the apps' `/proc` are copies.
    public let procMount: Int32
    /// Where the init says it has finished confining itself.
    private let ready: Int32

    /// What the init may call once it is set up: wait for children, and end.
    static let systemCalls = ["wait4", "waitid", "rt_sigtimedwait", "rt_sigprocmask", "rt_sigreturn", "restart_syscall",
                              "write", "close", "exit", "exit_group"]

    /// Starts it; `scratchDirectory` (any directory) is where its empty root is mounted, in its own
    /// mount namespace. It confines itself while the caller goes on (`awaitConfined`).
    public static func start(scratchDirectory: String) throws -> PodInit {
        let filter = try SeccompFilter.program(allowing: systemCalls)
        var procMount: Int32 = -1
        var ready: Int32 = -1
        var error = [CChar](repeating: 0, count: 512)
        let pid = scratchDirectory.withCString { scratch in
            filter.withUnsafeBytes { program in
                var spec = rkt_pod_init_spec(scratch_directory: scratch, seccomp_filter: program.baseAddress,
                                             seccomp_length: UInt16(program.count / 8), parent_death_signal: SIGKILL)
                return rkt_start_pod_init(&spec, &procMount, &ready, &error, error.count)
            }
        }
        guard pid > 0 else { throw Stage1Error("cannot start the pod's init: \(String(buffer: error))") }
        return PodInit(pid: pid, procMount: procMount, ready: ready)
    }

    /// Waits until the init holds nothing any more: no app may start before.
    public func awaitConfined() throws {
        var error = [CChar](repeating: 0, count: 512)
        if rkt_await_pod_init(pid, ready, &error, error.count) != 0 {
            throw Stage1Error("the pod's init failed: \(String(buffer: error))")
        }
    }
}
