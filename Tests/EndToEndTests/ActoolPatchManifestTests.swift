import Foundation
import TestSupport
import Testing

@Suite("actool patch-manifest")
struct ActoolPatchManifestTests {
    /// The manifest of the image to patch: an app with mount points, ports and isolators of the
    /// kinds the flags replace (capabilities, seccomp) or append to (resources).
    static let manifest = """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/patchme",
         "labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],
         "app":{"exec":["/bin/sh","-c","echo hello"],"user":"0","group":"0",
                "mountPoints":[{"name":"old","path":"/old"}],
                "ports":[{"name":"old","protocol":"tcp","port":1000,"count":1,"socketActivated":false}],
                "isolators":[{"name":"os/linux/capabilities-retain-set","value":{"set":["CAP_KILL"]}},
                             {"name":"os/linux/seccomp-retain-set","value":{"set":["read"]}},
                             {"name":"resource/memory","value":{"limit":"1G"}}]},
         "annotations":[{"name":"created","value":"2024-01-02T03:04:05Z"}]}
        """

    /// A scratch directory with `in.aci`: every kind of file, and the manifest above.
    static func fixture(manifest: String = ActoolPatchManifestTests.manifest) throws -> Scratch {
        let scratch = try Scratch()
        try scratch.fileKindsLayout(small: true, manifest: manifest)
        try scratch.actool("build", "layout", "in.aci").check()
        return scratch
    }

    /// Expects `output` to hold exactly the members of `input`, in the same order, with the same
    /// headers and data, except for the manifest's size and bytes.
    static func expectSameMembers(_ scratch: Scratch, _ input: String, _ output: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try scratch.members(input)
        let after = try scratch.members(output)
        #expect(after.map(\.name) == before.map(\.name), sourceLocation: sourceLocation)
        for (old, new) in zip(before, after) {
            if old.name == "manifest" {
                var new = new
                new.size = old.size
                new.sha256 = old.sha256
                #expect(new == old, "manifest header changed", sourceLocation: sourceLocation)
            } else {
                #expect(new == old, "\(old.name)", sourceLocation: sourceLocation)
            }
        }
    }

    /// JSON with object keys sorted, for comparing documents whose key order is not defined.
    static func normalized(_ bytes: Data) throws -> Data {
        try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: bytes), options: [.sortedKeys])
    }

    enum Comparison: Sendable {
        /// Our manifest bytes equal the reference's.
        case bytes
        /// Equal once both are re-read and pretty-printed (the reference stores a port count of 0,
        /// which reads back as 1).
        case prettyPrinted
        /// Equal as JSON values (the reference writes resource isolator keys in random order).
        case jsonValue
    }

    struct Edit: Sendable, CustomTestStringConvertible {
        var flags: [String]
        /// Something our patched manifest must contain.
        var expected: String
        var comparison: Comparison = .bytes
        var testDescription: String { flags.joined(separator: " ") }
    }

    static let edits: [Edit] = [
        Edit(flags: ["--name=example.com/renamed"], expected: #""name":"example.com/renamed""#),
        Edit(flags: ["--exec=/bin/echo hello  world"], expected: #""exec":["/bin/echo","hello","","world"]"#),
        Edit(flags: ["--user=1000"], expected: #""user":"1000""#),
        Edit(flags: ["--group=100"], expected: #""group":"100""#),
        Edit(flags: ["--supplementary-groups=10,20,30"], expected: #""supplementaryGIDs":[10,20,30]"#),
        Edit(flags: ["--capability=CAP_NET_ADMIN,CAP_CHOWN"],
             expected: #"{"name":"os/linux/capabilities-retain-set","value":{"set":["CAP_NET_ADMIN","CAP_CHOWN"]}}"#),
        Edit(flags: ["--revoke-capability=CAP_SYS_CHROOT,CAP_MKNOD"],
             expected: #"{"name":"os/linux/capabilities-remove-set","value":{"set":["CAP_SYS_CHROOT","CAP_MKNOD"]}}"#),
        Edit(flags: ["--mounts=data,path=/data,readOnly=true:logs,path=/var/log"],
             expected: #""mountPoints":[{"name":"old","path":"/old"},{"name":"data","path":"/data","readOnly":true},{"name":"logs","path":"/var/log"}]"#),
        Edit(flags: ["--ports=www,protocol=tcp,port=80:dns,protocol=udp,port=53,count=2,socketActivated=true"],
             expected: #"{"name":"dns","protocol":"udp","port":53,"count":2,"socketActivated":true}"#, comparison: .prettyPrinted),
        Edit(flags: ["--isolators=resource/cpu,request=50m,limit=100m"],
             expected: #""name":"resource/cpu","value":{"#, comparison: .jsonValue),
        Edit(flags: ["--isolators=resource/cpu,limit=1"], expected: #"{"name":"resource/cpu","value":{"limit":"1"}}"#),
        Edit(flags: ["--isolators=os/linux/no-new-privileges,true"], expected: #"{"name":"os/linux/no-new-privileges","value":true}"#),
        Edit(flags: ["--isolators=os/linux/oom-score-adj,100"], expected: #"{"name":"os/linux/oom-score-adj","value":100}"#),
        Edit(flags: ["--seccomp-mode=retain,errno=EPERM", "--seccomp-set=read,write,exit"],
             expected: #"{"name":"os/linux/seccomp-retain-set","value":{"set":["read","write","exit"],"errno":"EPERM"}}"#),
        Edit(flags: ["--seccomp-mode=remove", "--seccomp-set=reboot,swapon"],
             expected: #"{"name":"os/linux/seccomp-remove-set","value":{"set":["reboot","swapon"],"errno":""}}"#),
        Edit(flags: ["--name=example.com/all", "--user=1", "--group=2", "--exec=/bin/true", "--mounts=m,path=/m"],
             expected: #""exec":["/bin/true"],"user":"1","group":"2""#),
    ]

    @Test("each edit: the manifest the reference writes, every other member copied as it was", arguments: edits)
    func edit(_ edit: Edit) throws {
        let scratch = try Self.fixture()
        let ours = try Tool.actool.run(["patch-manifest"] + edit.flags + ["in.aci", "ours.aci"], in: scratch.url)
        #expect(ours.status == 0, "\(ours.stderr)")
        #expect(ours.stdout.isEmpty && ours.stderr.isEmpty)
        try Tool.execute(Peer.actool, ["patch-manifest"] + edit.flags + ["in.aci", "reference.aci"], in: scratch.url).check("reference")
        guard ours.status == 0 else { return }

        let manifest = try scratch.actool("cat-manifest", "ours.aci")
        #expect(manifest.status == 0)
        #expect(manifest.stdout.contains(edit.expected), "\(manifest.stdout)")
        let reference = try scratch.referenceActool("cat-manifest", "reference.aci")
        switch edit.comparison {
        case .bytes:
            #expect(manifest.stdout == reference.stdout)
        case .prettyPrinted:
            let ourPretty = try scratch.actool("cat-manifest", "--pretty-print", "ours.aci")
            let referencePretty = try scratch.referenceActool("cat-manifest", "--pretty-print", "reference.aci")
            #expect(ourPretty.stdout == referencePretty.stdout)
        case .jsonValue:
            #expect(try Self.normalized(manifest.stdoutBytes) == Self.normalized(reference.stdoutBytes))
        }

        #expect(try scratch.actool("validate", "ours.aci").status == 0)
        let referenceValidate = try scratch.referenceActool("validate", "ours.aci")
        #expect(referenceValidate.status == 0, "\(referenceValidate.stderr)")
        try Self.expectSameMembers(scratch, "in.aci", "ours.aci")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var flags: [String]
        var message: String
        var testDescription: String { flags.joined(separator: " ") }
    }

    static let refusals: [Refusal] = [
        Refusal(flags: ["--capability=CAP_CHOWN", "--revoke-capability=CAP_KILL"], message: "conflicting capabilities"),
        Refusal(flags: ["--isolators=os/linux/seccomp-remove-set,set=reboot"],
                message: "isolator os/linux/seccomp-remove-set is not supported for patching"),
        Refusal(flags: ["--isolators=example.com/made-up,a=b"], message: "example.com/made-up"),
        Refusal(flags: ["--isolators=resource/cpu,request=lots"], message: "resource/cpu"),
        Refusal(flags: ["--seccomp-set=reboot"], message: "--seccomp-set specified without --seccomp-mode"),
        Refusal(flags: ["--seccomp-mode=bogus", "--seccomp-set=reboot"], message: "unknown seccomp mode bogus"),
        Refusal(flags: ["--seccomp-mode=remove,errno=eperm", "--seccomp-set=reboot"], message: "errno"),
        Refusal(flags: ["--name=Not A Name"], message: "ACIdentifier"),
        Refusal(flags: ["--supplementary-groups=1,a"], message: "invalid supplementary group \"a\""),
        Refusal(flags: ["--mounts=data"], message: "data"),
        Refusal(flags: ["--ports=www,protocol=tcp,port=99999"], message: "www"),
    ]

    @Test("a bad edit exits 1 naming the problem and writes no output", arguments: refusals)
    func refused(_ refusal: Refusal) throws {
        let scratch = try Self.fixture()
        let before = try scratch.snapshot()
        let result = try Tool.actool.run(["patch-manifest"] + refusal.flags + ["in.aci", "out.aci"], in: scratch.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("patch-manifest: "), "\(result.stderr)")
        #expect(result.stderr.contains(refusal.message), "\(result.stderr)")
        #expect(try scratch.snapshot() == before)
    }

    @Test("--user on an image without an app needs --exec; with --exec the app is created")
    func noApp() throws {
        let scratch = try Self.fixture(manifest: #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/noapp"}"#)
        let refused = try scratch.actool("patch-manifest", "--user=1000", "in.aci", "out.aci")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no app in the supplied manifest and no exec command provided"))
        #expect(!scratch.exists("out.aci"))

        try scratch.actool("patch-manifest", "--exec=/bin/sh", "--user=1000", "--group=1000", "in.aci", "out.aci").check()
        try scratch.referenceActool("patch-manifest", "--exec=/bin/sh", "--user=1000", "--group=1000", "in.aci", "reference.aci").check()
        let ours = try scratch.actool("cat-manifest", "out.aci")
        #expect(ours.stdout.contains(#""app":{"exec":["/bin/sh"],"user":"1000","group":"1000"}"#))
        #expect(ours.stdout == (try scratch.referenceActool("cat-manifest", "reference.aci").stdout))
    }

    // MARK: --manifest

    @Test("--manifest FILE stores the file's bytes as they are")
    func replacementManifest() throws {
        let scratch = try Self.fixture()
        let replacement = """
            {
                "acVersion": "0.8.11",  "acKind": "ImageManifest",
                "name": "example.com/replaced"
            }
            """
        try scratch.write("new-manifest.json", replacement)
        try scratch.actool("patch-manifest", "--manifest", "new-manifest.json", "in.aci", "out.aci").check()
        let stored = try scratch.actool("cat-manifest", "out.aci")
        #expect(stored.stdout == replacement + "\n")
        try scratch.referenceActool("patch-manifest", "--manifest", "new-manifest.json", "in.aci", "reference.aci").check()
        #expect(stored.stdout == (try scratch.referenceActool("cat-manifest", "reference.aci").stdout))
        #expect(try scratch.referenceActool("validate", "out.aci").status == 0)
        try Self.expectSameMembers(scratch, "in.aci", "out.aci")
    }

    @Test("--manifest FILE is validated first")
    func invalidReplacementManifest() throws {
        let scratch = try Self.fixture()
        try scratch.write("bad.json", #"{"acKind":"ImageManifest","name":"example.com/replaced"}"#)
        let before = try scratch.snapshot()
        let result = try scratch.actool("patch-manifest", "--manifest", "bad.json", "in.aci", "out.aci")
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.json"))
        #expect(result.stderr.contains("acVersion"))
        #expect(try scratch.snapshot() == before)

        let missing = try scratch.actool("patch-manifest", "--manifest", "missing.json", "in.aci", "out.aci")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing.json"))
        #expect(try scratch.snapshot() == before)
    }

    @Test("--manifest cannot be combined with edit flags", arguments: [
        ["--name=example.com/x"], ["--exec=/bin/true"], ["--ports=www,protocol=tcp,port=80"], ["--isolators=resource/cpu,limit=1"],
        ["--supplementary-groups=1"], ["--revoke-capability=CAP_KILL"], ["--seccomp-mode=remove"],
    ])
    func manifestWithEdits(_ flags: [String]) throws {
        let scratch = try Self.fixture()
        try scratch.write("new.json", #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/replaced"}"#)
        let result = try Tool.actool.run(["patch-manifest", "--manifest", "new.json"] + flags + ["in.aci", "out.aci"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--manifest is incompatible with other manifest editing options"))
        #expect(!scratch.exists("out.aci"))
    }

    // MARK: Output handling

    @Test("--replace replaces the input atomically (a new file renamed over it)")
    func replace() throws {
        let scratch = try Self.fixture()
        let original = try scratch.data("in.aci")
        // A second name for the original file: an in-place rewrite would change it too.
        try scratch.shell("ln in.aci original.aci").check()
        let result = try scratch.actool("patch-manifest", "--replace", "--name=example.com/replaced", "in.aci")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try scratch.actool("cat-manifest", "in.aci").stdout.contains(#""name":"example.com/replaced""#))
        #expect(try scratch.data("original.aci") == original)
        #expect(try scratch.listing() == ["in.aci", "layout", "original.aci"])
        try Self.expectSameMembers(scratch, "original.aci", "in.aci")
    }

    @Test("--replace with a bad edit leaves the input as it was")
    func replaceFailing() throws {
        let scratch = try Self.fixture()
        let before = try scratch.snapshot()
        let result = try scratch.actool("patch-manifest", "--replace", "--name=Bad Name", "in.aci")
        #expect(result.status == 1)
        #expect(result.stderr.contains("ACIdentifier"))
        #expect(try scratch.snapshot() == before)
    }

    @Test("--replace and --overwrite together are refused")
    func replaceAndOverwrite() throws {
        let scratch = try Self.fixture()
        let before = try scratch.snapshot()
        let result = try scratch.actool("patch-manifest", "--replace", "--overwrite", "--name=example.com/x", "in.aci")
        #expect(result.status == 2)
        #expect(result.stderr.contains("Cannot use both --replace and --overwrite"))
        #expect(try scratch.snapshot() == before)

        let two = try scratch.actool("patch-manifest", "--replace", "--name=example.com/x", "in.aci", "out.aci")
        #expect(two.status == 2)
        #expect(try scratch.snapshot() == before)
    }

    @Test("--no-compression writes a plain tar; the default is gzip")
    func noCompression() throws {
        let scratch = try Self.fixture()
        try scratch.actool("patch-manifest", "--no-compression", "--user=7", "in.aci", "plain.aci").check()
        try scratch.actool("patch-manifest", "--user=7", "in.aci", "gzip.aci").check()
        #expect(Array(try scratch.data("plain.aci").dropFirst(257).prefix(5)) == Array("ustar".utf8))
        #expect(Array(try scratch.data("gzip.aci").prefix(2)) == [0x1F, 0x8B])
        #expect(try scratch.referenceActool("validate", "plain.aci").status == 0)
        // The same tar either way.
        #expect(try scratch.shell("gzip -dc gzip.aci").stdoutBytes == scratch.data("plain.aci"))
        try Self.expectSameMembers(scratch, "in.aci", "plain.aci")
    }

    @Test("an existing output is refused unless --overwrite")
    func existingOutput() throws {
        let scratch = try Self.fixture()
        try scratch.write("out.aci", "keep me")
        let refused = try scratch.actool("patch-manifest", "--user=7", "in.aci", "out.aci")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Output file exists (try --overwrite)"))
        #expect(try String(contentsOfFile: scratch.path("out.aci"), encoding: .utf8) == "keep me")

        try scratch.actool("patch-manifest", "--overwrite", "--user=7", "in.aci", "out.aci").check()
        #expect(try scratch.actool("cat-manifest", "out.aci").stdout.contains(#""user":"7""#))
        #expect(try scratch.listing() == ["in.aci", "layout", "out.aci"])
    }

    @Test("the output must end in .aci")
    func outputExtension() throws {
        let scratch = try Self.fixture()
        let result = try scratch.actool("patch-manifest", "--user=7", "in.aci", "out.tar")
        #expect(result.status == 1)
        #expect(result.stderr.contains("Extension must be .aci (given .tar)"))
        #expect(!scratch.exists("out.tar"))
    }

    @Test("- - patches standard input to standard output")
    func pipe() throws {
        let scratch = try Self.fixture()
        let result = try scratch.actool("patch-manifest", "--name=example.com/piped", "-", "-", stdin: try scratch.data("in.aci"))
        #expect(result.status == 0, "\(result.stderr)")
        let cat = try scratch.actool("cat-manifest", "-", stdin: result.stdoutBytes)
        #expect(cat.stdout.contains(#""name":"example.com/piped""#))
        try scratch.write("piped.aci", result.stdoutBytes)
        try Self.expectSameMembers(scratch, "in.aci", "piped.aci")
    }

    @Test("an image the reference built is copied member for member")
    func referenceInput() throws {
        let scratch = try Self.fixture()
        try scratch.referenceActool("build", "layout", "reference-in.aci").check()
        try scratch.actool("patch-manifest", "--name=example.com/patched", "reference-in.aci", "out.aci").check()
        try Self.expectSameMembers(scratch, "reference-in.aci", "out.aci")
        #expect(try scratch.referenceActool("validate", "out.aci").status == 0)
    }
}
