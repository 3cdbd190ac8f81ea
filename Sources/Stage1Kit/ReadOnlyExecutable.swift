import CLinux
import Glibc

/// Runs stage1 from a read-only mount of its own executable, in a mount namespace of its own.
/// Processes stage1 starts in a pod are forks of it until their exec, and the pod's init stays
/// one: through `/proc/PID/exe` an app allowed to look at them (CAP_SYS_PTRACE) reaches the
/// executable, which in the store is shared by every pod. On a read-only mount it cannot change
/// it (mode, owner, file capabilities); writing its content already fails (ETXTBSY).
public enum ReadOnlyExecutable {
    /// Returns at once when this process already runs from a read-only mount; otherwise moves to
    /// a private mount namespace, binds the executable read-only onto itself and executes it
    /// again with the same arguments and environment (never returns then).
    public static func ensure() throws {
        var info = statvfs()
        if statvfs("/proc/self/exe", &info) != 0 { throw Stage1Error("statvfs /proc/self/exe: \(String(cString: strerror(errno)))") }
        if info.f_flag & UInt(ST_RDONLY) != 0 { return }
        let path = try FileSystem.link("/proc/self/exe")
        if rkt_unshare(rkt_clone_newns) != 0 { throw Stage1Error("unshare the mount namespace: \(String(cString: strerror(errno)))") }
        try FileSystem.mount(nil, "/", type: nil, flags: rkt_ms_rec | rkt_ms_private)
        try FileSystem.mount(path, path, type: nil, flags: rkt_ms_bind)
        try FileSystem.mount(nil, path, type: nil, flags: rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly | rkt_ms_nosuid)
        let argv = CommandLine.arguments.map { strdup($0) } + [nil]
        execv(path, argv)
        throw Stage1Error("execute \(path) again: \(String(cString: strerror(errno)))")
    }
}
