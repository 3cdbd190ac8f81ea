import CLinux
import Glibc

/// Mounts, for building a root filesystem: mount(2) and pivot_root with errors naming what failed.
public enum Mount {
    /// mount(2).
    public static func mount(_ source: String?, _ target: String, type: String?, flags: UInt, data: String? = nil) throws {
        if rkt_mount(source, target, type, flags, data) != 0 {
            throw SystemCallError("mount \(source ?? type ?? "") on", path: target)
        }
    }

    /// Makes `directory` the process's root: bound onto itself (with what is mounted below it),
    /// pivot_root, the old root detached. Nothing outside `directory` stays reachable by path.
    public static func pivotRoot(into directory: String) throws {
        try mount(directory, directory, type: nil, flags: rkt_ms_bind | rkt_ms_rec)
        if chdir(directory) != 0 { throw SystemCallError("enter the new root", path: directory) }
        if rkt_pivot_root(".", ".") != 0 { throw SystemCallError("pivot_root", path: directory) }
        if rkt_umount(".", rkt_mnt_detach) != 0 { throw SystemCallError("detach the old root", path: directory) }
        if chdir("/") != 0 { throw SystemCallError("chdir", path: "/") }
    }
}
