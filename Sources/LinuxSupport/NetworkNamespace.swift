import CLinux
import Glibc

/// A network namespace that outlives its processes: held by a bind mount of its nsfs file, as
/// `ip netns add` does, so that CNI plugins can be pointed at it (CNI_NETNS) and a pod's
/// networks can be torn down after its processes are gone.
public enum NetworkNamespace {
    /// Where named namespaces live (`ip netns` lists them).
    public static let directory = "/run/netns"

    /// Creates a namespace with its loopback interface up, held at `path` (a new file); the
    /// calling thread stays in its own namespace.
    public static func create(at path: String) throws {
        try FileIO.makeDirectories(directory)
        let file = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0)
        _ = consume file
        let original = try FileDescriptor.open("/proc/thread-self/ns/net", O_RDONLY)
        do {
            if rkt_unshare(rkt_clone_newnet) != 0 { throw SystemCallError("unshare the network namespace", path: "") }
            defer { _ = rkt_setns(original.rawValue, rkt_clone_newnet) }
            if rkt_loopback_up() != 0 { throw SystemCallError("bring the loopback interface up", path: path) }
            try Mount.mount("/proc/thread-self/ns/net", path, type: nil, flags: rkt_ms_bind)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Moves the calling thread into the namespace held at `path`.
    public static func enter(_ path: String) throws {
        let namespace = try FileDescriptor.open(path, O_RDONLY)
        if rkt_setns(namespace.rawValue, rkt_clone_newnet) != 0 { throw SystemCallError("enter the network namespace", path: path) }
    }

    /// Whether `path` holds a namespace (a file of the nsfs filesystem, not the empty file left
    /// when its mount is gone).
    public static func isNamespace(_ path: String) -> Bool {
        var file = stat()
        var own = stat()
        return stat(path, &file) == 0 && stat("/proc/self/ns/net", &own) == 0 && file.st_dev == own.st_dev
    }

    /// Unmounts and removes `path`: the namespace ends with its last process. Removing the file
    /// also detaches its mounts in other mount namespaces.
    public static func destroy(_ path: String) {
        _ = rkt_umount(path, rkt_mnt_detach)
        unlink(path)
    }
}
