/// One rule of a seccomp filter: a system call, what it gets, and optionally a condition on one of
/// its arguments (clone's flags, socket's address family, ioctl's request). A filter sees a
/// call's argument registers, never the memory they point to.
struct SeccompRule: Equatable, Sendable {
    /// What the argument must hold for the rule to apply.
    enum Argument: Equatable, Sendable {
        /// Any value.
        case any
        /// At least one of these bits.
        case anyBitOf(UInt64)
        /// None of these bits.
        case noBitOf(UInt64)
        /// This value in the low 32 bits: for an `int` argument, whose upper half the kernel ignores,
        /// so that setting it does not slip past the rule.
        case int32(UInt32)
    }

    /// The system call's name (libseccomp's, or one of `SeccompFilter.newerCalls`).
    var call: String
    var argument: Argument = .any
    /// Which argument `argument` is about (0: the first).
    var argumentIndex: UInt32 = 0
    /// A libseccomp action (`SCMP_ACT_ALLOW`, `SCMP_ACT_ERRNO(…)`, `SCMP_ACT_KILL_PROCESS`).
    var action: UInt32
}
