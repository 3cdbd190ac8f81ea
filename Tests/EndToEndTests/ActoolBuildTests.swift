import Foundation
import TestSupport
import Testing

@Suite("actool build")
struct ActoolBuildTests {
    // MARK: Reproducibility

    @Test("two builds of the same tree are byte-identical")
    func reproducible() throws {
        let scratch = try Scratch()
        let layout = try scratch.busyboxLayout()
        try Tool.actool.run(["build", layout, scratch.path("a.aci")])
        // A later build, at another time, must give the same bytes.
        Thread.sleep(forTimeInterval: 1.1)
        try Tool.actool.run(["build", layout, scratch.path("b.aci")])
        let first = try Data(contentsOf: URL(fileURLWithPath: scratch.path("a.aci")))
        let second = try Data(contentsOf: URL(fileURLWithPath: scratch.path("b.aci")))
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    @Test("a copy of the tree (other inodes, other directory order) builds to the same bytes")
    func reproducibleAcrossCopies() throws {
        let scratch = try Scratch()
        try scratch.fileKindsLayout()
        try scratch.shell("cp -a layout copy").check()
        try scratch.actool("build", "layout", "a.aci").check()
        try scratch.actool("build", "copy", "b.aci").check()
        #expect(try scratch.data("a.aci") == scratch.data("b.aci"))
    }

    @Test("SOURCE_DATE_EPOCH sets the time of the manifest entry")
    func sourceDateEpoch() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        try scratch.actool("build", "layout", "a.aci", environment: ["SOURCE_DATE_EPOCH": "1234567890"]).check()
        try scratch.actool("build", "layout", "b.aci", environment: ["SOURCE_DATE_EPOCH": "1500000000"]).check()

        let listing = try scratch.shell("TZ=UTC tar --full-time -tvzf a.aci").check()
        #expect(listing.stdout.contains("2009-02-13 23:31:30 manifest"))

        let a = try scratch.members("a.aci")
        let b = try scratch.members("b.aci")
        #expect(a.last?.name == "manifest")
        #expect(a.last?.mtime == 1_234_567_890)
        #expect(b.last?.mtime == 1_500_000_000)
        // Only the manifest's time differs.
        #expect(Array(a.dropLast()) == Array(b.dropLast()))
        #expect(try scratch.data("a.aci") != scratch.data("b.aci"))
    }

    @Test("without SOURCE_DATE_EPOCH the manifest entry has the manifest file's time")
    func manifestTimeFromFile() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        try scratch.shell("touch -d @1000000000 layout/manifest").check()
        try scratch.shell("env -u SOURCE_DATE_EPOCH \"$ACTOOL\" build layout a.aci").check()
        #expect(try scratch.members("a.aci").last?.mtime == 1_000_000_000)
    }

    // MARK: What goes into the archive

    @Test("members: rootfs first, each directory depth-first in byte order, manifest last")
    func memberOrder() throws {
        let scratch = try Scratch()
        for name in ["Z", "a/x", "a-b", "a.b", "z", "é", "bin/sh"] {
            try scratch.write("layout/rootfs/\(name)", name)
        }
        try scratch.write("layout/manifest", Scratch.defaultManifest)
        try scratch.actool("build", "layout", "out.aci").check()

        let names = try scratch.members("out.aci").map(\.name)
        // "a/x" comes right after "a" (depth-first), before "a-b" although "/" sorts after "-" and ".".
        #expect(names == ["rootfs", "rootfs/Z", "rootfs/a", "rootfs/a/x", "rootfs/a-b", "rootfs/a.b",
                          "rootfs/bin", "rootfs/bin/sh", "rootfs/z", "rootfs/é", "manifest"])
        // The reference (Go filepath.Walk) writes the same order.
        try scratch.referenceActool("build", "layout", "reference.aci").check()
        #expect(try scratch.members("reference.aci").map(\.name) == names)
    }

    @Test("hard links: the first path in walk order is the file, later paths link to it")
    func hardLinks() throws {
        let scratch = try Scratch()
        try scratch.fileKindsLayout()
        try scratch.actool("build", "layout", "out.aci").check()
        let members = try scratch.members("out.aci")
        let file = try #require(members.first { $0.name == "rootfs/etc/hardlink" })
        #expect(file.type == "file")
        #expect(file.size == 6)
        for name in ["rootfs/etc/hello", "rootfs/zz-third-name"] {
            let link = try #require(members.first { $0.name == name })
            #expect(link.type == "hardlink")
            #expect(link.linkname == "rootfs/etc/hardlink")
            #expect(link.size == 0)
        }
        // Extracted by tar, the three names are one file again.
        try scratch.shell("mkdir x && tar -xzf out.aci -C x").check()
        let links = try scratch.shell("stat -c %h x/rootfs/etc/hello").check()
        #expect(links.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "3")
    }

    @Test("symlinks are stored as links with their target, never followed")
    func symlinks() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        try scratch.shell("ln -s /proc/self/mounts layout/rootfs/mtab && ln -s bin layout/rootfs/sbin").check()
        try scratch.actool("build", "layout", "out.aci").check()
        let members = try scratch.members("out.aci")
        let byName = Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0) })
        #expect(byName["rootfs/bin/sh"]?.type == "symlink")
        #expect(byName["rootfs/bin/sh"]?.linkname == "busybox")
        #expect(byName["rootfs/mtab"]?.type == "symlink")
        #expect(byName["rootfs/mtab"]?.linkname == "/proc/self/mounts")
        #expect(byName["rootfs/sbin"]?.linkname == "bin")
        #expect(!members.contains { $0.name.hasPrefix("rootfs/sbin/") })
    }

    @Test("fifos and devices are kept, with their modes and device numbers")
    func specialFiles() throws {
        let scratch = try Scratch()
        try scratch.fileKindsLayout()
        try scratch.actool("build", "layout", "out.aci").check()
        let members = try scratch.members("out.aci")
        let fifo = try #require(members.first { $0.name == "rootfs/run/fifo" })
        #expect(fifo.type == "fifo")
        let device = try #require(members.first { $0.name == "rootfs/dev/null" })
        #expect(device.type == "char")
        #expect(device.devmajor == 1)
        #expect(device.devminor == 3)
        #expect(members.first { $0.name == "rootfs/tmp" }?.mode == 0o1777)
        #expect(members.first { $0.name == "rootfs/bin/su" }?.mode == 0o4755)
        #expect(members.first { $0.name == "rootfs/etc/hardlink" }?.mode == 0o640)
    }

    @Test("extended attributes are kept")
    func extendedAttributes() throws {
        let scratch = try Scratch()
        guard try scratch.supportsUserXattrs() else {
            try Test.cancel("the file system of \(scratch.url.path) does not take user.* extended attributes")
        }
        try scratch.busyboxLayout()
        try scratch.write("layout/rootfs/etc/hello", "hello\n")
        try scratch.shell("\(Peer.python) -c 'import os; os.setxattr(\"layout/rootfs/etc/hello\", \"user.x\", b\"value\")'").check()
        try scratch.actool("build", "layout", "out.aci").check()
        let file = try #require(try scratch.members("out.aci").first { $0.name == "rootfs/etc/hello" })
        #expect(file.xattrs == ["user.x": "value"])
        // GNU tar restores it.
        try scratch.shell("mkdir x && tar --xattrs --xattrs-include='user.*' -xzf out.aci -C x").check()
        let restored = try scratch.shell("\(Peer.python) -c 'import os; print(os.getxattr(\"x/rootfs/etc/hello\", \"user.x\").decode())'")
        #expect(restored.stdout == "value\n")
    }

    @Test("sockets are skipped")
    func socketsSkipped() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        try scratch.shell("mkdir layout/rootfs/run && \(Peer.python) -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"layout/rootfs/run/sock\")'").check()
        #expect(try scratch.shell("test -S layout/rootfs/run/sock").status == 0)
        let result = try scratch.actool("build", "layout", "out.aci")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let names = try scratch.members("out.aci").map(\.name)
        #expect(names.contains("rootfs/run"))
        #expect(!names.contains("rootfs/run/sock"))
    }

    @Test("owners are kept; --owner-root records every member as root:root")
    func ownerRoot() throws {
        let scratch = try Scratch()
        try scratch.fileKindsLayout()
        try scratch.actool("build", "layout", "kept.aci").check()
        try scratch.actool("build", "--owner-root", "layout", "root.aci").check()

        let kept = try scratch.members("kept.aci")
        let file = try #require(kept.first { $0.name == "rootfs/etc/hardlink" })
        #expect(file.uid == 1234)
        #expect(file.gid == 5678)

        let root = try scratch.members("root.aci")
        #expect(root.count == kept.count)
        for member in root {
            #expect(member.uid == 0 && member.gid == 0, "\(member.name)")
            #expect(member.uname == "root" && member.gname == "root", "\(member.name)")
        }
    }

    // MARK: Compression

    struct CompressionCase: Sendable, CustomTestStringConvertible {
        var flags: [String]
        /// The magic bytes at `offset`.
        var magic: [UInt8]
        var offset = 0
        /// The command that decompresses it to the plain tar.
        var decompress: String
        var testDescription: String { flags.isEmpty ? "(default)" : flags.joined(separator: " ") }
    }

    static let compressions: [CompressionCase] = [
        CompressionCase(flags: [], magic: [0x1F, 0x8B], decompress: "gzip -dc"),
        CompressionCase(flags: ["--compression", "gzip"], magic: [0x1F, 0x8B], decompress: "gzip -dc"),
        CompressionCase(flags: ["--no-compression"], magic: Array("ustar".utf8), offset: 257, decompress: "cat"),
        CompressionCase(flags: ["--compression", "none"], magic: Array("ustar".utf8), offset: 257, decompress: "cat"),
        CompressionCase(flags: ["--compression", "xz"], magic: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], decompress: "xz -dc"),
        CompressionCase(flags: ["--compression", "bzip2"], magic: Array("BZh".utf8), decompress: "bzip2 -dc"),
    ]

    @Test("compression flags give the right format, the same tar inside, and a valid image", arguments: compressions)
    func compression(_ compression: CompressionCase) throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        try Tool.actool.run(["build"] + compression.flags + ["layout", "out.aci"], in: scratch.url).check()
        try scratch.actool("build", "--no-compression", "layout", "plain.aci").check()

        let bytes = try scratch.data("out.aci")
        #expect(Array(bytes.dropFirst(compression.offset).prefix(compression.magic.count)) == compression.magic)
        let inside = try scratch.shell("\(compression.decompress) out.aci").check()
        #expect(inside.stdoutBytes == (try scratch.data("plain.aci")))
        #expect(try scratch.actool("validate", "out.aci").status == 0)
        #expect(try scratch.referenceActool("validate", "out.aci").status == 0)
    }

    @Test("--compression zstd is refused: not an ACI compression")
    func zstdRefused() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        let result = try scratch.actool("build", "--compression", "zstd", "layout", "out.aci")
        #expect(result.status == 2)
        #expect(result.stderr.contains("zstd"))
        #expect(!scratch.exists("out.aci"))
    }

    // MARK: Refusals, atomic output

    @Test("the output must end in .aci")
    func extensionCheck() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        let result = try scratch.actool("build", "layout", "out.tar")
        #expect(result.status == 1)
        #expect(result.stderr.contains("build: Extension must be .aci (given .tar)"))
        #expect(!scratch.exists("out.tar"))
    }

    struct BrokenLayout: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// Shell commands that break the busybox layout.
        var breakIt: String
        var message: String
    }

    static let brokenLayouts: [BrokenLayout] = [
        BrokenLayout(testDescription: "README at top level", breakIt: "echo read me > layout/README",
                     message: "unrecognized file path in image: \"README\""),
        BrokenLayout(testDescription: "missing rootfs", breakIt: "rm -r layout/rootfs", message: "no rootfs found in layout"),
        BrokenLayout(testDescription: "rootfs is a file", breakIt: "rm -r layout/rootfs && echo x > layout/rootfs",
                     message: "rootfs is not a directory"),
        BrokenLayout(testDescription: "missing manifest", breakIt: "rm layout/manifest", message: "no image manifest found in layout"),
        BrokenLayout(testDescription: "manifest without acVersion",
                     breakIt: #"echo '{"acKind":"ImageManifest","name":"example.com/x"}' > layout/manifest"#,
                     message: "image manifest validation failed: acVersion"),
        BrokenLayout(testDescription: "manifest not JSON", breakIt: "echo 'acKind: ImageManifest' > layout/manifest",
                     message: "image manifest validation failed"),
        BrokenLayout(testDescription: "bad os label",
                     breakIt: #"echo '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/x","labels":[{"name":"os","value":"windows"}]}' > layout/manifest"#,
                     message: "bad os \"windows\""),
    ]

    @Test("an invalid layout exits 1 with the reason and leaves no file behind", arguments: brokenLayouts)
    func invalidLayout(_ broken: BrokenLayout) throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        try scratch.shell(broken.breakIt).check()
        let before = try scratch.snapshot()
        let result = try scratch.actool("build", "layout", "out.aci")
        #expect(result.status == 1)
        #expect(result.stderr.contains("build: Layout failed validation: "))
        #expect(result.stderr.contains(broken.message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!scratch.exists("out.aci"))
        // Nothing at all was added: no output, no .out.aci.tmp-* file.
        #expect(try scratch.snapshot() == before)
    }

    @Test("a build failing half-way (a file name that is not UTF-8) leaves no output and no temporary file")
    func failureHalfWay() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        try scratch.shell("\(Peer.python) -c 'open(b\"layout/rootfs/bad-\\xff\", \"w\").close()'").check()
        let result = try scratch.actool("build", "layout", "out.aci")
        #expect(result.status == 1)
        #expect(result.stderr.contains("UTF-8"), "\(result.stderr)")
        // Nothing was added: no output, no .out.aci.tmp-* file.
        #expect(try scratch.listing() == ["layout"])

        // With --overwrite the old image survives a failed build.
        try scratch.write("out.aci", "old image")
        let again = try scratch.actool("build", "--overwrite", "layout", "out.aci")
        #expect(again.status == 1)
        #expect(try String(contentsOfFile: scratch.path("out.aci"), encoding: .utf8) == "old image")
        #expect(try scratch.listing().filter { $0.hasPrefix(".out.aci") } == [])
    }

    @Test("an existing output is refused without --overwrite and left untouched")
    func refusesExisting() throws {
        let scratch = try Scratch()
        let layout = try scratch.busyboxLayout()
        let output = try scratch.write("out.aci", "keep me")
        let result = try Tool.actool.run(["build", layout, output])
        #expect(result.status == 1)
        #expect(result.stderr.contains("build: Target file exists (try --overwrite)"))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "keep me")
        #expect(try scratch.listing() == ["layout", "out.aci"])
    }

    @Test("--overwrite replaces an existing output")
    func overwrite() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        try scratch.write("out.aci", "old image")
        let result = try scratch.actool("build", "--overwrite", "layout", "out.aci")
        #expect(result.status == 0)
        try scratch.actool("build", "layout", "fresh.aci").check()
        #expect(try scratch.data("out.aci") == scratch.data("fresh.aci"))
        #expect(try scratch.listing() == ["fresh.aci", "layout", "out.aci"])
    }

    @Test("output - writes the image to standard output")
    func toStandardOutput() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout()
        let result = try scratch.actool("build", "layout", "-")
        #expect(result.status == 0)
        try scratch.actool("build", "layout", "file.aci").check()
        #expect(result.stdoutBytes == (try scratch.data("file.aci")))
        #expect(!scratch.exists("-"))
    }

    // MARK: Interoperability with the reference actool

    @Test("images we build pass the reference validate, and its cat-manifest prints exactly ours")
    func referenceReadsOurs() throws {
        let scratch = try Scratch()
        try scratch.fileKindsLayout()
        // The manifest as a user writes it: spaced, fields out of order, characters Go escapes.
        try scratch.write("layout/manifest", """
            { "acVersion": "0.8.11", "acKind": "ImageManifest", "name": "example.com/kinds",
              "app": { "user": "0", "group": "0", "exec": ["/bin/sh", "-c", "echo <ok> & done"] },
              "labels": [ { "name": "os", "value": "linux" } ] }
            """)
        for compression in ["gzip", "none", "xz", "bzip2"] {
            let image = "out-\(compression).aci"
            try scratch.actool("build", "--compression", compression, "layout", image).check()
            let validate = try scratch.referenceActool("validate", image)
            #expect(validate.status == 0, "\(compression): \(validate.stderr)")
            let ours = try scratch.actool("cat-manifest", image).check()
            let reference = try scratch.referenceActool("cat-manifest", image)
            #expect(reference.status == 0)
            #expect(reference.stdoutBytes == ours.stdoutBytes, "\(compression)")
            let pretty = try scratch.actool("cat-manifest", "--pretty-print", image)
            #expect(pretty.stdoutBytes == (try scratch.referenceActool("cat-manifest", "--pretty-print", image).stdoutBytes))
        }
    }

    @Test("images the reference builds pass our validate and cat-manifest")
    func weReadReference() throws {
        let scratch = try Scratch()
        try scratch.fileKindsLayout()
        try scratch.referenceActool("build", "layout", "reference.aci").check()
        try scratch.referenceActool("build", "--no-compression", "layout", "reference-plain.aci").check()
        for image in ["reference.aci", "reference-plain.aci"] {
            let validate = try scratch.actool("validate", image)
            #expect(validate.status == 0, "\(validate.stderr)")
            let ours = try scratch.actool("cat-manifest", image)
            #expect(ours.status == 0)
            #expect(ours.stdoutBytes == (try scratch.referenceActool("cat-manifest", image).stdoutBytes))
            #expect(!ours.stdoutBytes.isEmpty)
        }
    }

    @Test("our image and the reference's hold the same members (names, types, modes, owners, links, data)")
    func sameMembersAsReference() throws {
        let scratch = try Scratch()
        try scratch.fileKindsLayout()
        try scratch.actool("build", "layout", "ours.aci").check()
        try scratch.referenceActool("build", "layout", "reference.aci").check()
        let ours = try scratch.members("ours.aci")
        let reference = try scratch.members("reference.aci")
        #expect(ours.map(\.name) == reference.map(\.name))
        for (mine, theirs) in zip(ours, reference) {
            #expect(mine.type == theirs.type, "\(mine.name)")
            #expect(mine.mode == theirs.mode, "\(mine.name)")
            #expect(mine.uid == theirs.uid && mine.gid == theirs.gid, "\(mine.name)")
            #expect(mine.linkname == theirs.linkname, "\(mine.name)")
            #expect(mine.size == theirs.size, "\(mine.name)")
            #expect(mine.sha256 == theirs.sha256, "\(mine.name)")
            #expect(mine.devmajor == theirs.devmajor && mine.devminor == theirs.devminor, "\(mine.name)")
            if mine.name != "manifest" {
                // Go rounds times to the nearest second, we keep whole seconds.
                #expect(abs(mine.mtime - theirs.mtime) <= 1, "\(mine.name)")
            }
        }
    }
}
