/// The typed value of a known isolator (see `IsolatorKind` for which kind carries which case).
public enum IsolatorValue: Sendable, Hashable {
    /// `resource/cpu`, `resource/memory`, `resource/block-*`, `resource/network-bandwidth`.
    case resource(ResourceValue)
    /// `os/linux/capabilities-retain-set` and `-remove-set`: capability names (not checked).
    case capabilities([String])
    /// `os/linux/seccomp-retain-set` and `-remove-set`.
    case seccomp(SeccompSet)
    case noNewPrivileges(Bool)
    case oomScoreAdj(Int)
    case cpuShares(Int)
    case selinuxContext(SELinuxContext)
    /// `os/unix/sysctl`: kernel parameter → value.
    case sysctl([String: String])
}
