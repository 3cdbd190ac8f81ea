import CLinux

/// The process's memory as a whole.
public enum AddressSpace {
    /// Lets the process's next exec go on without first unmapping its memory: a child process
    /// sharing the address space holds it until then and frees it when it exits, on another core.
    /// Unmapping a large binary's memory is a noticeable part of `rkt run`'s exec of stage1.
    /// The executed program gets that child and must reap it, as stage1's `run` entrypoint does.
    public static func releaseOnExec() { rkt_release_address_space_on_exec() }
}
