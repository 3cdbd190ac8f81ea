import CSeccomp

/// One rule of a seccomp filter: a system call, what it gets, and optionally a condition on one of
/// its arguments (clone's flags, socket's address family, ioctl's request). A filter sees a
/// call's argument registers, never the memory they point to.
public struct SeccompRule: Equatable, Sendable {
    /// What the argument must hold for the rule to apply.
    public enum Argument: Equatable, Sendable {
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

    /// What happens to a call a rule matches.
    public enum Action: Equatable, Sendable {
        case allow
        case errno(UInt16)
        case killProcess

        var libseccomp: UInt32 {
            switch self {
            case .allow: rkt_scmp_act_allow
            case .errno(let code): rkt_scmp_act_errno(code)
            case .killProcess: rkt_scmp_act_kill_process
            }
        }
    }

    /// The system call's name (libseccomp's, or one of `SeccompFilter.newerCalls`).
    public var call: String
    public var argument: Argument = .any
    /// Which argument `argument` is about (0: the first).
    public var argumentIndex: UInt32 = 0
    public var action: Action

    public init(call: String, argument: Argument = .any, argumentIndex: UInt32 = 0, action: Action) {
        self.call = call
        self.argument = argument
        self.argumentIndex = argumentIndex
        self.action = action
    }
}
