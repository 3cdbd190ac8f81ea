import Foundation
import TestSupport
import Testing

/// Archives no honest tool writes. Every command that reads an image must refuse them with exit 1
/// and a message naming the problem, print nothing on standard output, create no output file and
/// write nothing anywhere (the scratch directory is compared before and after).
///
/// Layout of each test's scratch directory: the commands run in `box/work`, where the hostile
/// image is `evil.aci`; `etc/passwd` two levels up is a sentinel that paths like `../../etc/passwd`
/// would reach.
@Suite("actool on hostile input")
struct ActoolHostileInputTests {
    static let work = "box/work"

    struct Hostile: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// Writes `evil.aci` in the work directory.
        var make: @Sendable (Scratch) throws -> Void
        /// What every command's message must mention (compared case-insensitively).
        var problem: [String]
        /// What validate's message must mention, when it says it differently.
        var validateProblem: [String]?
    }

    /// `make_tar.py evil.aci [--gzip] MEMBER…` in the work directory, after a valid manifest and rootfs.
    static func evil(_ members: String...) -> @Sendable (Scratch) throws -> Void {
        { scratch in
            try scratch.python("make_tar.py", ["evil.aci", "--gzip", "manifest=@manifest.json", "rootfs/"] + members, in: work)
                .check("make_tar.py")
        }
    }

    static let cases: [Hostile] = [
        Hostile(testDescription: "entry ../x", make: evil("../x=pwned"), problem: ["\"../x\"", ".."]),
        Hostile(testDescription: "absolute entry", make: { scratch in
            try evil("\(scratch.path("abs"))=pwned")(scratch)
        }, problem: ["/abs", "absolute"]),
        Hostile(testDescription: "entry rootfs/../../x", make: evil("rootfs/../../x=pwned"), problem: ["rootfs/../../x", ".."]),
        Hostile(testDescription: "file outside manifest and rootfs", make: evil("etc/passwd=root::0:0::/:/bin/sh"),
                problem: ["etc/passwd", "unrecognized"]),
        Hostile(testDescription: "duplicate entry", make: evil("rootfs/a=first", "rootfs/a=second"), problem: ["duplicate", "rootfs/a"]),
        Hostile(testDescription: "duplicate manifest", make: evil("manifest=@manifest.json"), problem: ["duplicate", "manifest"]),
        Hostile(testDescription: "symlink to a directory outside, then a file through it", make: { scratch in
            try evil("rootfs/x->\(scratch.path("etc"))", "rootfs/x/passwd=pwned")(scratch)
        }, problem: ["rootfs/x/passwd", "symlink"]),
        Hostile(testDescription: "hard link to ../../etc/passwd", make: evil("rootfs/p=>../../etc/passwd", "rootfs/q=pwned"),
                problem: ["rootfs/p", "hard link", "../../etc/passwd"]),
        Hostile(testDescription: "rootfs is a file", make: { scratch in
            try scratch.makeTar("evil.aci", "--gzip", "manifest=@manifest.json", "rootfs=not a directory", in: work)
        }, problem: ["rootfs", "not a directory"]),
        Hostile(testDescription: "manifest is a symlink", make: { scratch in
            try scratch.makeTar("evil.aci", "--gzip", "manifest->/etc/passwd", "rootfs/", in: work)
        }, problem: ["manifest", "not a regular file"]),
        Hostile(testDescription: "truncated gzip (a valid image cut in half)", make: { scratch in
            try scratch.busyboxLayout("\(work)/layout")
            try scratch.shell("\"$ACTOOL\" build layout whole.aci && head -c $(( $(stat -c %s whole.aci) / 2 )) whole.aci > evil.aci && rm -r whole.aci layout",
                              in: work).check()
        }, problem: ["truncated"]),
        Hostile(testDescription: "truncated plain tar (member data cut short)", make: { scratch in
            try scratch.makeTar("whole.tar", "manifest=@manifest.json", "rootfs/", "rootfs/zero=@zeros:1M", in: work)
            try scratch.shell("head -c 600000 whole.tar > evil.aci && rm whole.tar", in: work).check()
        }, problem: ["truncated"]),
        Hostile(testDescription: "gzip bomb: 1 GiB of zeros in rootfs/zero, no manifest", make: { scratch in
            try scratch.makeTar("evil.aci", "--gzip", "rootfs/", "rootfs/zero=@zeros:1G", in: work)
        }, problem: ["no image manifest"]),
        Hostile(testDescription: "10 MB manifest", make: { scratch in
            let value = String(repeating: "A", count: 10 << 20)
            try scratch.write("\(work)/big.json", #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/big","annotations":[{"name":"x","value":"\#(value)"}]}"#)
            try scratch.makeTar("evil.aci", "--gzip", "manifest=@big.json", "rootfs/", in: work)
            try FileManager.default.removeItem(atPath: scratch.path("\(work)/big.json"))
        }, problem: ["manifest", "limit"]),
        Hostile(testDescription: "manifest with invalid UTF-8", make: { scratch in
            var bytes = Data(##"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/x","annotations":[{"name":"x","value":""##.utf8)
            bytes += Data([0xFF, 0xFE, 0xC0, 0x80])
            bytes += Data(#""}]}"#.utf8)
            try scratch.write("\(work)/utf8.json", bytes)
            try scratch.makeTar("evil.aci", "--gzip", "manifest=@utf8.json", "rootfs/", in: work)
        }, problem: ["UTF-8"]),
        Hostile(testDescription: "manifest nested 100000 arrays deep", make: { scratch in
            try scratch.write("\(work)/deep.json", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
            try scratch.makeTar("evil.aci", "--gzip", "manifest=@deep.json", "rootfs/", in: work)
        }, problem: ["manifest", "deep"]),
        Hostile(testDescription: "not an archive (an ELF binary)", make: { scratch in
            try scratch.shell("cp /bin/busybox evil.aci", in: work).check()
        }, problem: ["archive"], validateProblem: ["file type"]),
    ]

    /// A scratch directory with the work directory, a valid `manifest.json` in it, and the sentinel `etc/passwd`.
    static func scratch() throws -> Scratch {
        let scratch = try Scratch()
        try scratch.write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        try scratch.write("\(work)/manifest.json", Scratch.defaultManifest)
        return scratch
    }

    /// Checks that `message` mentions everything in `problem`, ignoring case.
    static func mentions(_ message: String, _ problem: [String]) -> Bool {
        problem.allSatisfy { message.lowercased().contains($0.lowercased()) }
    }

    @Test("validate, cat-manifest and patch-manifest refuse it, print nothing and write nothing", arguments: cases)
    func refused(_ hostile: Hostile) throws {
        let scratch = try Self.scratch()
        try hostile.make(scratch)
        let before = try scratch.snapshot()

        let validate = try scratch.actool("validate", "evil.aci", in: Self.work)
        #expect(validate.status == 1)
        #expect(validate.stderr.hasPrefix("evil.aci: "), "\(validate.stderr)")
        #expect(Self.mentions(validate.stderr, hostile.validateProblem ?? hostile.problem), "validate: \(validate.stderr)")
        #expect(validate.stdout.isEmpty)

        let cat = try scratch.actool("cat-manifest", "evil.aci", in: Self.work)
        #expect(cat.status == 1)
        #expect(cat.stderr.hasPrefix("cat-manifest: "), "\(cat.stderr)")
        #expect(Self.mentions(cat.stderr, hostile.problem), "cat-manifest: \(cat.stderr)")
        #expect(cat.stdoutBytes.isEmpty)

        let patch = try scratch.actool("patch-manifest", "--name", "x.com/y", "evil.aci", "out.aci", in: Self.work)
        #expect(patch.status == 1)
        #expect(patch.stderr.hasPrefix("patch-manifest: "), "\(patch.stderr)")
        #expect(Self.mentions(patch.stderr, hostile.problem), "patch-manifest: \(patch.stderr)")
        #expect(!scratch.exists("\(Self.work)/out.aci"))

        // No output, no temporary file, nothing extracted anywhere, the sentinel untouched.
        let after = try scratch.snapshot()
        #expect(after == before, "changed: \(Set(after.keys).symmetricDifference(before.keys).sorted())")
        #expect(!scratch.exists("box/x") && !scratch.exists("x") && !scratch.exists("abs"))
    }

    @Test("the same hostile image read from standard input is refused the same way", arguments: cases)
    func refusedFromStandardInput(_ hostile: Hostile) throws {
        let scratch = try Self.scratch()
        try hostile.make(scratch)
        let image = try scratch.data("\(Self.work)/evil.aci")
        let before = try scratch.snapshot()

        let validate = try scratch.actool("validate", "--type", "appimage", "-", in: Self.work, stdin: image)
        #expect(validate.status == 1)
        #expect(Self.mentions(validate.stderr, hostile.problem), "validate: \(validate.stderr)")
        let cat = try scratch.actool("cat-manifest", "-", in: Self.work, stdin: image)
        #expect(cat.status == 1)
        #expect(Self.mentions(cat.stderr, hostile.problem), "cat-manifest: \(cat.stderr)")
        #expect(cat.stdoutBytes.isEmpty)
        #expect(try scratch.snapshot() == before)
    }

    /// The peak resident memory of `command`, from GNU time's `Maximum resident set size (kbytes)`.
    static func peakMemory(_ scratch: Scratch, _ arguments: [String]) throws -> (result: Tool.Result, kilobytes: Int?) {
        let result = try Tool.execute(Peer.time, ["-v", Tool.actool.path] + arguments, in: scratch.url.appendingPathComponent(work))
        let line = result.stderr.split(separator: "\n").first { $0.contains("Maximum resident set size (kbytes):") }
        return (result, line.flatMap { Int($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) })
    }

    @Test("a gzip bomb streams through in less than 64 MB", .enabled(if: Tool.installed(Peer.time), "needs GNU time at /usr/bin/time"))
    func bombMemory() throws {
        let scratch = try Self.scratch()
        // No manifest: every byte must be read before the verdict (gzip in 1 MiB members).
        try scratch.makeTar("bomb.aci", "--gzip", "rootfs/", "rootfs/zero=@zeros:1G", in: Self.work)
        // A manifest after the zeros: valid, and only valid if all of it was read (one gzip member, gzip -1).
        try scratch.shell("\(Peer.python) \(TestData.path("actool/make_tar.py")) - rootfs/ rootfs/zero=@zeros:1G manifest=@manifest.json | gzip -1 > big.aci",
                          in: Self.work).check()

        let commands: [(arguments: [String], status: Int32)] = [
            (["validate", "bomb.aci"], 1),
            (["cat-manifest", "bomb.aci"], 1),
            (["patch-manifest", "--name", "x.com/y", "bomb.aci", "refused.aci"], 1),
            (["validate", "big.aci"], 0),
            (["cat-manifest", "big.aci"], 0),
            (["patch-manifest", "--name", "x.com/y", "big.aci", "patched.aci"], 0),
        ]
        for command in commands {
            let (result, kilobytes) = try Self.peakMemory(scratch, command.arguments)
            let line = command.arguments.joined(separator: " ")
            #expect(result.status == command.status, "\(line): \(result.stderr)")
            let peak = try #require(kilobytes, "\(line): no peak memory in \(result.stderr)")
            #expect(peak < 64 * 1024, "\(line): peak \(peak) KiB")
        }
        #expect(try scratch.actool("cat-manifest", "patched.aci", in: Self.work).stdout.contains("\"x.com/y\""))
    }
}
