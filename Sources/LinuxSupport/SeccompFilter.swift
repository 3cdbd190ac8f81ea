import CSeccomp
import Glibc

/// Seccomp filters compiled with libseccomp to the BPF programs the spawner loads: rules in, a
/// program (an array of `struct sock_filter`) out. What a pod's app may call is decided above
/// this layer (stage1's SeccompPolicy).
public enum SeccompFilter {
    /// Calls Linux added after the libseccomp we build with (Debian 12's 2.5.4 knows calls up to
    /// futex_requeue, 456), by number. Since Linux 5.1 a new call has the same number on every architecture
    /// (offset on alpha and mips), so these hold on x86-64 and arm64. A newer libseccomp knows them
    /// by name and is asked first.
    static let newerCalls: [String: Int32] = {
        #if arch(x86_64) || arch(arm64)
        return [
            "statmount": 457, "listmount": 458, "lsm_get_self_attr": 459, "lsm_set_self_attr": 460, "lsm_list_modules": 461,
            "mseal": 462, "setxattrat": 463, "getxattrat": 464, "listxattrat": 465, "removexattrat": 466,
            "open_tree_attr": 467, "file_getattr": 468, "file_setattr": 469,
        ]
        #else
        return [:]
        #endif
    }()

    /// The call's number on this architecture; negative for a call of another architecture (vm86 on
    /// x86-64), which libseccomp then skips; nil for a name nobody knows.
    public static func number(of name: String) -> Int32? {
        let number = seccomp_syscall_resolve_name(name)
        return number != __NR_SCMP_ERROR ? number : newerCalls[name]
    }

    /// A filter whose default is `defaultAction` and whose `rules` say what else happens.
    public static func compile(default defaultAction: SeccompRule.Action, rules: [SeccompRule]) throws -> [UInt8] {
        guard let context = seccomp_init(defaultAction.libseccomp) else { throw LinuxError.seccomp(step: "cannot create a filter") }
        defer { seccomp_release(context) }
        for rule in rules { try add(rule, to: context) }
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { throw SystemCallError("seccomp: pipe", path: "") }
        let readEnd = FileDescriptor(pipeFDs[0])
        let writeEnd = FileDescriptor(pipeFDs[1])
        let status = seccomp_export_bpf(context, writeEnd.rawValue)
        writeEnd.close()
        guard status == 0 else { throw LinuxError.seccomp(step: "cannot export the filter") }
        var program: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(readEnd.rawValue, &chunk, chunk.count)
            if count <= 0 { break }
            program.append(contentsOf: chunk[..<count])
        }
        return program
    }

    private static func add(_ rule: SeccompRule, to context: scmp_filter_ctx) throws {
        guard let number = number(of: rule.call) else { return }
        let conditions: [[scmp_arg_cmp]]
        switch rule.argument {
        case .any:
            conditions = [[]]
        case .anyBitOf(let mask):
            // A rule compares an argument once and a call's rules are alternatives: one rule per bit.
            conditions = (0..<64).map { UInt64(1) << $0 }.filter { mask & $0 != 0 }.map { bit in
                [scmp_arg_cmp(arg: rule.argumentIndex, op: SCMP_CMP_MASKED_EQ, datum_a: bit, datum_b: bit)]
            }
        case .noBitOf(let mask):
            conditions = [[scmp_arg_cmp(arg: rule.argumentIndex, op: SCMP_CMP_MASKED_EQ, datum_a: mask, datum_b: 0)]]
        case .int32(let value):
            conditions = [[scmp_arg_cmp(arg: rule.argumentIndex, op: SCMP_CMP_MASKED_EQ, datum_a: 0xffff_ffff, datum_b: UInt64(value))]]
        }
        for condition in conditions {
            let status = condition.withUnsafeBufferPointer {
                seccomp_rule_add_array(context, rule.action.libseccomp, number, UInt32($0.count), $0.baseAddress)
            }
            // EEXIST: the call has this rule already (a name listed twice).
            if status != 0 && status != -EEXIST { throw LinuxError.seccomp(step: "cannot add a rule for \(rule.call)") }
        }
    }
}
