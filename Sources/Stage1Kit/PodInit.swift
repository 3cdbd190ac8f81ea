import CLinux
import Glibc

/// The pod's process 1 (ns flavor): it holds the pod's pid namespace and reaps the pod's
/// orphans, and nothing else. It runs nothing for stage1: an app that may look at process 1
/// (CAP_SYS_PTRACE) finds no capability, an empty read-only root, no descriptor, no host path
/// or environment, and a seccomp filter that allows waiting for children only. It sets itself
/// up while stage1 builds the apps' roots.
public final class PodInit {
    public let pid: pid_t
    /// Where the init reports: its procfs, then that it is confined.
    private var socket: Int32
    private var procfs: Int32 = -1

    /// What the init may call once it is set up: wait for children, and end.
    static let systemCalls = ["wait4", "waitid", "rt_sigtimedwait", "rt_sigprocmask", "rt_sigreturn", "restart_syscall",
                              "write", "close", "exit", "exit_group"]

    /// Starts it; `scratchDirectory` (any directory) is where its empty root is mounted, in its own
    /// mount namespace.
    public init(scratchDirectory: String) throws {
        let names = Self.systemCalls.map { strdup($0) } + [nil]
        defer { names.forEach { free($0) } }
        var socket: Int32 = -1
        var error = [CChar](repeating: 0, count: 512)
        let pid = scratchDirectory.withCString { scratch in
            names.withUnsafeBufferPointer { calls in
                calls.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: names.count) { calls in
                    var spec = rkt_pod_init_spec(scratch_directory: scratch, allowed_calls: calls, parent_death_signal: SIGKILL)
                    return rkt_start_pod_init(&spec, &socket, &error, error.count)
                }
            }
        }
        guard pid > 0 else { throw Stage1Error.podInit(String(buffer: error)) }
        self.pid = pid
        self.socket = socket
    }

    deinit {
        if procfs >= 0 { close(procfs) }
        if socket >= 0 { close(socket) }
    }

    /// A procfs of the pod's pid namespace, detached (fsmount): the apps' `/proc` are copies of it.
    public func procMount() throws -> Int32 {
        if procfs >= 0 { return procfs }
        var error = [CChar](repeating: 0, count: 512)
        procfs = rkt_receive_pod_proc(pid, socket, &error, error.count)
        if procfs < 0 {
            socket = -1
            throw Stage1Error.podInit(String(buffer: error))
        }
        return procfs
    }

    /// Waits until the init holds nothing any more: no app may start before.
    public func awaitConfined() throws {
        _ = try procMount()
        var error = [CChar](repeating: 0, count: 512)
        defer { socket = -1 }
        if rkt_await_pod_init(pid, socket, &error, error.count) != 0 {
            throw Stage1Error.podInit(String(buffer: error))
        }
        close(procfs)
        procfs = -1
    }
}
