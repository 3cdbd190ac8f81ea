import Foundation
import TestSupport
import Testing

@Suite("actool validate")
struct ActoolValidateTests {
    static let podManifest = #"{"acVersion":"0.8.11","acKind":"PodManifest","apps":[],"volumes":null,"isolators":null,"annotations":null,"ports":null}"#

    /// A scratch directory holding `layout/`, the image as `image.tar` (plain), `image.aci` (gzip),
    /// `image.tar.bz2`, `image.tar.xz`, and `manifest.json` / `pod.json`.
    private func fixtures() throws -> Scratch {
        let scratch = try Scratch()
        try scratch.smallLayout()
        try scratch.actool("build", "--no-compression", "layout", "image-plain.aci").check()
        try scratch.shell("""
            cp image-plain.aci image.tar && gzip -c image.tar > image.aci && \
            bzip2 -c image.tar > image.tar.bz2 && xz -c image.tar > image.tar.xz && \
            cp layout/manifest manifest.json
            """).check()
        try scratch.write("pod.json", Self.podManifest)
        return scratch
    }

    @Test("archives in every compression validate, quietly")
    func archives() throws {
        let scratch = try fixtures()
        for file in ["image.tar", "image.aci", "image.tar.bz2", "image.tar.xz"] {
            let result = try scratch.actool("validate", file)
            #expect(result.status == 0, "\(file): \(result.stderr)")
            #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(file)")
        }
    }

    @Test("--debug prints one success line per file, in order")
    func debugLines() throws {
        let scratch = try fixtures()
        let result = try scratch.actool("--debug", "validate", "image.tar", "image.tar.xz", "layout", "manifest.json", "pod.json")
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == [
            "image.tar: valid app container image",
            "image.tar.xz: valid app container image",
            "layout: valid image layout",
            "manifest.json: valid ImageManifest",
            "pod.json: valid PodManifest",
        ])
        // --debug after the subcommand works too.
        let after = try scratch.actool("validate", "--debug", "image.tar.bz2")
        #expect(after.stderrLines == ["image.tar.bz2: valid app container image"])
    }

    @Test("the reference agrees: the same files are valid for it")
    func referenceAgrees() throws {
        let scratch = try fixtures()
        let files = ["image.tar", "image.aci", "image.tar.bz2", "image.tar.xz", "layout", "manifest.json", "pod.json"]
        let ours = try Tool.actool.run(["validate"] + files, in: scratch.url)
        let reference = try Tool.execute(Peer.actool, ["validate"] + files, in: scratch.url)
        #expect(reference.status == 0)
        #expect(ours.status == reference.status)
    }

    @Test("a layout directory and image and pod manifests are told apart by content")
    func detection() throws {
        let scratch = try fixtures()
        try scratch.write("bad-pod.json", #"{"acVersion":"0.8.11","acKind":"PodManifest","apps":[{"name":"a","image":{"id":"sha512-aa"}},{"name":"a","image":{"id":"sha512-aa"}}]}"#)
        try scratch.write("bad-image.json", #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"Example.com/x"}"#)
        let result = try scratch.actool("validate", "bad-pod.json", "bad-image.json")
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 2)
        #expect(result.stderrLines.first?.hasPrefix("bad-pod.json: invalid PodManifest: ") == true)
        #expect(result.stderr.contains("duplicate apps of name \"a\""))
        #expect(result.stderrLines.last?.hasPrefix("bad-image.json: invalid ImageManifest: ") == true)
    }

    struct TypeCase: Sendable, CustomTestStringConvertible {
        var type: String
        var file: String
        var status: Int32
        /// What standard error must hold (the success line with --debug, else the reason).
        var message: String
        var testDescription: String { "--type=\(type) \(file)" }
    }

    static let typeCases: [TypeCase] = [
        TypeCase(type: "appimage", file: "image.aci", status: 0, message: "image.aci: valid app container image"),
        TypeCase(type: "appimage", file: "image.tar.xz", status: 0, message: "image.tar.xz: valid app container image"),
        TypeCase(type: "layout", file: "layout", status: 0, message: "layout: valid image layout"),
        TypeCase(type: "manifest", file: "manifest.json", status: 0, message: "manifest.json: valid ImageManifest"),
        TypeCase(type: "manifest", file: "pod.json", status: 0, message: "pod.json: valid PodManifest"),
        TypeCase(type: "podmanifest", file: "pod.json", status: 0, message: "pod.json: valid PodManifest"),
        TypeCase(type: "podmanifest", file: "manifest.json", status: 1, message: "manifest.json: invalid PodManifest"),
        TypeCase(type: "manifest", file: "layout", status: 1, message: "layout is a directory (wrong --type?)"),
        TypeCase(type: "appimage", file: "layout", status: 1, message: "layout is a directory (wrong --type?)"),
        TypeCase(type: "layout", file: "image.aci", status: 1, message: "image.aci: not a directory"),
        TypeCase(type: "manifest", file: "image.aci", status: 1, message: "image.aci: error unmarshaling manifest"),
        TypeCase(type: "appimage", file: "manifest.json", status: 1, message: "manifest.json: invalid app container image"),
    ]

    @Test("--type says what every file is", arguments: typeCases)
    func types(_ check: TypeCase) throws {
        let scratch = try fixtures()
        let result = try scratch.actool("--debug", "validate", "--type", check.type, check.file)
        #expect(result.status == check.status, "\(result.stderr)")
        #expect(result.stderr.contains(check.message), "\(result.stderr)")
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("- reads standard input: an image in any compression, or a manifest")
    func standardInput() throws {
        let scratch = try fixtures()
        for file in ["image.tar", "image.aci", "image.tar.xz", "manifest.json", "pod.json"] {
            let result = try scratch.actool("--debug", "validate", "-", stdin: try scratch.data(file))
            #expect(result.status == 0, "\(file): \(result.stderr)")
            #expect(result.stderr.hasPrefix("-: valid "), "\(file): \(result.stderr)")
        }
        let kind = try scratch.actool("--debug", "validate", "--type", "podmanifest", "-", stdin: try scratch.data("pod.json"))
        #expect(kind.stderrLines == ["-: valid PodManifest"])
        let invalid = try scratch.actool("validate", "-", stdin: Data(#"{"acKind":"ImageManifest"}"#.utf8))
        #expect(invalid.status == 1)
        #expect(invalid.stderr.hasPrefix("-: invalid ImageManifest: "))
    }

    @Test("several files: one line per invalid file, valid ones silent, exit 1")
    func severalFiles() throws {
        let scratch = try fixtures()
        try scratch.write("broken.json", #"{"acKind":"ImageManifest","acVersion":"0.8.11"}"#)
        try scratch.write("syntax.json", #"{"acKind":"ImageManifest",}"#)
        try scratch.shell("mkdir -p odd/rootfs && cp manifest.json odd/manifest && touch odd/README").check()
        let result = try scratch.actool("validate", "image.aci", "broken.json", "layout", "syntax.json", "odd", "pod.json")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderrLines
        #expect(lines.count == 3, "\(result.stderr)")
        #expect(lines.map { $0.prefix { $0 != ":" } } == ["broken.json", "syntax.json", "odd"])
        #expect(lines.first?.contains("name") == true)
        #expect(lines.last?.contains("README") == true)
    }

    @Test("a file that cannot be read or recognised is reported and the rest still checked")
    func unreadable() throws {
        let scratch = try fixtures()
        try scratch.shell("head -c 1000 /bin/busybox > binary").check()
        let result = try scratch.actool("validate", "missing.aci", "binary", "image.aci")
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing.aci"))
        #expect(result.stderr.contains("No such file or directory"))
        #expect(result.stderr.contains("binary: unable to detect file type (try --type)"))
        #expect(!result.stderr.contains("image.aci"))
    }

    @Test("an invalid archive names its problem")
    func invalidArchive() throws {
        let scratch = try fixtures()
        try scratch.write("README", "read me")
        try scratch.makeTar("extra.aci", "--gzip", "manifest=@manifest.json", "rootfs/", "README=@README")
        try scratch.makeTar("no-rootfs.aci", "--xz", "manifest=@manifest.json")
        try scratch.makeTar("no-manifest.aci", "--bzip2", "rootfs/", "rootfs/a=a")
        let result = try scratch.actool("validate", "extra.aci", "no-rootfs.aci", "no-manifest.aci")
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 3)
        #expect(result.stderr.contains("extra.aci: invalid app container image: unrecognized file path in image: \"README\""))
        #expect(result.stderr.contains("no-rootfs.aci: invalid app container image: no rootfs found"))
        #expect(result.stderr.contains("no-manifest.aci: invalid app container image: no image manifest found"))
        // The reference finds the same three invalid.
        #expect(try scratch.referenceActool("validate", "extra.aci").status == 1)
        #expect(try scratch.referenceActool("validate", "no-rootfs.aci").status == 1)
        #expect(try scratch.referenceActool("validate", "no-manifest.aci").status == 1)
    }

    @Test("a manifest without acKind is an error, not a crash (the reference panics)")
    func missingKind() throws {
        let scratch = try Scratch()
        try scratch.write("m.json", #"{"acVersion":"0.8.11","name":"example.com/x"}"#)
        let result = try scratch.actool("validate", "m.json")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("m.json: "))
        #expect(result.stderr.contains("acKind"))
    }

    struct UsageCase: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var testDescription: String { (["actool"] + arguments).joined(separator: " ") }
    }

    static let usageCases: [UsageCase] = [
        UsageCase(arguments: ["validate"], message: "<files>"),
        UsageCase(arguments: ["validate", "--bogus", "image.aci"], message: "--bogus"),
        UsageCase(arguments: ["validate", "--type", "bogus", "image.aci"], message: "bogus"),
        UsageCase(arguments: ["validate", "--type"], message: "--type"),
    ]

    @Test("usage errors exit 2", arguments: usageCases)
    func usage(_ usage: UsageCase) throws {
        let scratch = try Scratch()
        let result = try Tool.actool.run(usage.arguments, in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains(usage.message), "\(result.stderr)")
        #expect(result.stderr.contains("Usage"))
        #expect(result.stdout.isEmpty)
    }
}
