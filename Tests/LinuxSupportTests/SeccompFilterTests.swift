import Glibc
import LinuxSupport
import TestSupport
import Testing

@Suite("Linux layer: seccomp filters")
struct SeccompFilterTests {
    @Test("system calls are known by their names on this architecture; unknown names are nobody's")
    func numbers() {
        #if arch(x86_64)
        #expect(SeccompFilter.number(of: "mkdirat") == 258)
        #elseif arch(arm64)
        #expect(SeccompFilter.number(of: "mkdirat") == 34)
        #endif
        #expect(SeccompFilter.number(of: "open_tree") == 428, "the same number on every architecture since Linux 5.1")
        #expect(SeccompFilter.number(of: "mseal") == 462)
        #expect(SeccompFilter.number(of: "no_such_call") == nil)
    }

    @Test("a filter compiles to whole BPF instructions; each rule adds to it; an unknown call is skipped")
    func compile() throws {
        let empty = try SeccompFilter.compile(default: .allow, rules: [])
        let one = try SeccompFilter.compile(default: .allow, rules: [SeccompRule(call: "mount", action: .errno(UInt16(EPERM)))])
        let withUnknown = try SeccompFilter.compile(default: .allow, rules: [SeccompRule(call: "mount", action: .errno(UInt16(EPERM))),
                                                                              SeccompRule(call: "no_such_call", action: .killProcess)])
        let conditional = try SeccompFilter.compile(default: .allow, rules: [
            SeccompRule(call: "clone", argument: .anyBitOf(0x1000_0000 | 0x2000_0000), action: .errno(UInt16(EPERM))),
        ])
        for program in [empty, one, conditional] {
            #expect(!program.isEmpty && program.count % 8 == 0, "\(program.count) bytes")
        }
        #expect(one.count > empty.count)
        #expect(withUnknown == one)
        #expect(conditional.count > one.count, "one comparison per flag bit")
    }

    @Test("the same rules give the same program")
    func deterministic() throws {
        let rules = [SeccompRule(call: "ptrace", action: .errno(UInt16(EPERM))), SeccompRule(call: "kexec_load", action: .killProcess)]
        #expect(try SeccompFilter.compile(default: .allow, rules: rules) == (try SeccompFilter.compile(default: .allow, rules: rules)))
    }
}
