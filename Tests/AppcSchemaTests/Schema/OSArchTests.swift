import AppcSchema
import Testing

@Suite("OS and architecture names")
struct OSArchTests {
    @Test("Go architectures map to appc names", arguments: [
        ("amd64", nil, "amd64"), ("386", nil, "i386"), ("arm64", nil, "aarch64"), ("arm", nil, "armv6l"),
        ("arm", "v6", "armv6l"), ("arm", "v7", "armv7l"), ("arm", "7", "armv7l"), ("ppc64le", nil, "ppc64le"),
        ("s390x", nil, "s390x"), ("ppc64", nil, "ppc64"),
    ] as [(String, String?, String)])
    func appcFromGo(arch: String, variant: String?, expected: String) {
        #expect(OSArch.appcArch(fromGo: arch, variant: variant) == expected)
    }

    @Test("unknown Go architectures have no appc name", arguments: ["mips", "riscv64", ""])
    func unknownGoArch(arch: String) {
        #expect(OSArch.appcArch(fromGo: arch) == nil)
    }

    @Test("appc architectures map back to Go", arguments: [
        ("amd64", "amd64", nil), ("x86_64", "amd64", nil), ("i386", "386", nil), ("aarch64", "arm64", nil),
        ("armv6l", "arm", "v6"), ("armv7l", "arm", "v7"), ("s390x", "s390x", nil),
    ] as [(String, String, String?)])
    func goFromAppc(arch: String, goArch: String, variant: String?) {
        let mapped = OSArch.goArch(fromAppc: arch)
        #expect(mapped?.arch == goArch)
        #expect(mapped?.variant == variant)
    }

    @Test("appc architectures without a Go equivalent map to nothing", arguments: ["aarch64_be", "armv7b", "arm", "sparc"])
    func noGoEquivalent(arch: String) {
        #expect(OSArch.goArch(fromAppc: arch) == nil)
    }

    @Test("the host pair is valid in the table")
    func hostIsValid() throws {
        let host = OSArch.host
        try OSArch.validate(os: host.os, arch: host.arch)
    }

    @Test("validation without an os accepts any arch")
    func noOS() throws {
        try OSArch.validate(os: nil, arch: "anything")
        try OSArch.validate(os: nil, arch: nil)
    }
}
