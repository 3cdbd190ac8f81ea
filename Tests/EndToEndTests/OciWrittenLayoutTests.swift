import Foundation
import TestSupport
import Testing

/// OCI images we write (`actool build --format oci`), read by the peers: skopeo inspects and copies
/// them, umoci unpacks them, and umoci's rootfs is the tree we flatten ourselves.
@Suite("OCI layouts we write, read by skopeo and umoci")
struct OciWrittenLayoutTests {
    static let tag = "1.0.0"

    /// A busybox layout with a few more kinds of entry, built as an OCI layout `oci`.
    static func built(_ scratch: Scratch, arguments: [String] = []) throws -> String {
        try scratch.busyboxLayout("layout")
        try scratch.write("layout/rootfs/etc/hello", "hello\n", mode: 0o640)
        try scratch.write("layout/rootfs/srv/data/file", "data\n")
        try scratch.shell("""
            cd layout/rootfs && chown 1234:5678 etc/hello && ln etc/hello etc/hello-again && \
            chmod 0750 srv/data && chown 42:43 srv/data && ln -s ../etc/hello srv/link && \
            touch -d 2001-02-03T04:05:06Z etc/hello bin/busybox
            """).check("extra entries")
        try scratch.ociActool(["build", "--format", "oci"] + arguments + ["layout", "oci"]).check("build --format oci")
        return scratch.path("oci")
    }

    @Test("skopeo inspect reads our layout: digest, layers, os and architecture")
    func skopeoInspect() throws {
        let scratch = try Scratch()
        try Self.built(scratch)
        let documents = scratch.ociDocuments("oci")
        let inspect = try scratch.skopeo("inspect", "oci:oci:\(Self.tag)")
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let info = try #require(try JSONSerialization.jsonObject(with: inspect.stdoutBytes) as? [String: Any])
        let descriptor = try #require(try documents.descriptors.first)
        #expect(info["Digest"] as? String == descriptor["digest"] as? String)
        let layers = try documents.layers(tag: Self.tag).compactMap { $0["digest"] as? String }
        #expect(info["Layers"] as? [String] == layers)
        let config = try documents.config(tag: Self.tag)
        #expect(info["Os"] as? String == config["os"] as? String)
        #expect(info["Architecture"] as? String == config["architecture"] as? String)
    }

    @Test("skopeo copies our layout to another layout, blob for blob, and validates it on the way")
    func skopeoCopy() throws {
        let scratch = try Scratch()
        try Self.built(scratch)
        let copy = try scratch.skopeo("copy", "oci:oci:\(Self.tag)", "oci:other:\(Self.tag)")
        #expect(copy.status == 0, "\(copy.stderr)")
        // skopeo keeps the layer and config blobs (it verifies their digests while copying).
        let ours = try scratch.ociDocuments("oci").blobFiles()
        let theirs = try scratch.ociDocuments("other").blobFiles()
        for layer in try scratch.ociDocuments("oci").layers(tag: Self.tag) {
            let name = try #require(layer["digest"] as? String).replacingOccurrences(of: ":", with: "/")
            #expect(theirs[name] == ours[name], "layer \(name) not copied as is")
        }
        // And the copy is a layout we accept in turn.
        let validate = try scratch.actool("validate", "other")
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    @Test("umoci unpacks our layout to the same tree as actool unpack (names, types, modes, owners, sizes, content, links, mtimes)")
    func umociUnpackMatchesOurs() throws {
        let scratch = try Scratch()
        try Self.built(scratch)
        let theirs = try scratch.umociRootfs("oci:\(Self.tag)", bundle: "bundle")
        let unpack = try scratch.actool("unpack", "--name", "example.com/busybox", "oci:\(Self.tag)", "out")
        try #require(unpack.status == 0, "\(unpack.stderr)")
        let ours = try OciTree(scratch.path("out/rootfs"))
        let differences = ours.differences(from: theirs, ours: "actool unpack", theirs: "umoci unpack")
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // The tree is the one we built from, too.
        let source = try OciTree(scratch.path("layout/rootfs"))
        let fromSource = ours.differences(from: source, ours: "unpacked", theirs: "built from")
            .filter { !$0.hasPrefix(".:") }
        #expect(fromSource.isEmpty, "\(fromSource.joined(separator: "\n"))")
        #expect(ours.entries["etc/hello"]?.uid == 1234 && ours.entries["srv/data"]?.mode == 0o750)
    }

    @Test("the tree comparison reports each kind of difference by name")
    func treeComparisonReports() throws {
        let scratch = try Scratch()
        try scratch.write("a/same", "x")
        try scratch.write("a/content", "one")
        try scratch.write("a/mode", "m", mode: 0o600)
        try scratch.write("a/only-a", "")
        try FileManager.default.createSymbolicLink(atPath: scratch.path("a/link"), withDestinationPath: "same")
        try scratch.write("b/same", "x")
        try scratch.write("b/content", "two")
        try scratch.write("b/mode", "m", mode: 0o644)
        try scratch.write("b/only-b", "")
        try FileManager.default.createSymbolicLink(atPath: scratch.path("b/link"), withDestinationPath: "content")
        try scratch.shell("touch -d 2001-01-01 a/same b/content a/content a/mode b/mode && touch -d 2002-01-01 b/same && chown 7 b/mode").check()
        let differences = try OciTree(scratch.path("a")).differences(from: OciTree(scratch.path("b")))
        let text = differences.joined(separator: "\n")
        #expect(differences.count == 6, "\(text)")
        #expect(text.contains("content: content sha256"), "\(text)")
        #expect(text.contains("mode: mode 600 ≠ 644, uid 0 ≠ 7"), "\(text)")
        #expect(text.contains("link: symlink target same ≠ content"), "\(text)")
        #expect(text.contains("same: mtime"), "\(text)")
        #expect(text.contains("only in ours: only-a") && text.contains("only in theirs: only-b"), "\(text)")
    }

    @Test("the OCI archive output (.tar) validates and skopeo inspects it as oci-archive")
    func ociArchive() throws {
        let scratch = try Scratch()
        try scratch.busyboxLayout("layout")
        try scratch.actool("build", "--format", "oci", "--tag", "latest", "layout", "image.tar").check("build image.tar")
        try scratch.actool("build", "--format", "oci", "--tag", "latest", "layout", "dir").check("build dir")
        let validate = try scratch.actool("validate", "image.tar")
        #expect(validate.status == 0, "\(validate.stderr)")
        let inspect = try scratch.skopeo("inspect", "oci-archive:image.tar:latest")
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let info = try #require(try JSONSerialization.jsonObject(with: inspect.stdoutBytes) as? [String: Any])
        let descriptor = try #require(try scratch.ociDocuments("dir").descriptors.first)
        #expect(info["Digest"] as? String == descriptor["digest"] as? String, "the archive holds another image than the layout")
        // And the archive unpacks to the tree the layout does.
        try scratch.actool("unpack", "--name", "example.com/a", "image.tar:latest", "from-archive").check("unpack archive")
        try scratch.actool("unpack", "--name", "example.com/a", "dir:latest", "from-dir").check("unpack dir")
        let differences = try OciTree(scratch.path("from-archive/rootfs")).differences(from: OciTree(scratch.path("from-dir/rootfs")))
            .filter { !$0.hasPrefix(".:") }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    @Test("two builds of the same tree give the same index.json and the same blobs")
    func reproducible() throws {
        let scratch = try Scratch()
        try Self.built(scratch)
        try scratch.actool("build", "--format", "oci", "layout", "again").check("second build")
        let first = scratch.ociDocuments("oci")
        let second = scratch.ociDocuments("again")
        #expect(try scratch.data("oci/index.json") == scratch.data("again/index.json"))
        let firstBlobs = try first.blobFiles()
        let secondBlobs = try second.blobFiles()
        #expect(firstBlobs.keys.sorted() == secondBlobs.keys.sorted())
        #expect(firstBlobs == secondBlobs)
        // Three blobs: the layer, the config and the manifest; each named by its own digest.
        #expect(firstBlobs.count == 3)
        for (name, bytes) in firstBlobs {
            let file = scratch.path("oci/blobs/\(name)")
            let sum = try Tool.execute(OciPeer.sha256sum, [file]).check("sha256sum")
            #expect(name == "sha256/" + String(sum.stdout.prefix(64)), "\(name) holds \(bytes.count) bytes of something else")
        }
        // The archive form is reproducible too.
        try scratch.actool("build", "--format", "oci", "layout", "one.tar").check()
        try scratch.actool("build", "--format", "oci", "layout", "two.tar").check()
        #expect(try scratch.data("one.tar") == scratch.data("two.tar"))
    }

    @Test("a build with the file times changed gives a different layer digest (digests depend on content)")
    func digestsFollowContent() throws {
        let scratch = try Scratch()
        try Self.built(scratch)
        try scratch.shell("touch -d 2011-01-01T00:00:00Z layout/rootfs/etc/hello").check()
        try scratch.actool("build", "--format", "oci", "layout", "changed").check()
        let before = try scratch.ociDocuments("oci").layers(tag: Self.tag).compactMap { $0["digest"] as? String }
        let after = try scratch.ociDocuments("changed").layers(tag: Self.tag).compactMap { $0["digest"] as? String }
        #expect(before.count == 1 && after.count == 1 && before != after)
    }

    @Test("actool digest prints what sha256sum prints", arguments: ["empty", "small", "busybox"])
    func digestMatchesSha256sum(_ file: String) throws {
        let scratch = try Scratch()
        try scratch.write("empty", "")
        try scratch.write("small", "hello\n")
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: scratch.path("busybox"))
        let ours = try scratch.actool("digest", file)
        #expect(ours.status == 0, "\(ours.stderr)")
        let sum = try Tool.execute(OciPeer.sha256sum, [file], in: scratch.url).check("sha256sum")
        let hex = String(try #require(sum.stdout.split(separator: " ").first))
        #expect(ours.stdout == "sha256:\(hex)  \(file)\n")
    }

    @Test("actool digest of several files and of standard input matches sha256sum")
    func digestSeveralAndStandardInput() throws {
        let scratch = try Scratch()
        try scratch.write("a", "first\n")
        try scratch.write("b", String(repeating: "0123456789", count: 300_000))
        let ours = try scratch.actool("digest", "a", "b")
        #expect(ours.status == 0, "\(ours.stderr)")
        let sum = try Tool.execute(OciPeer.sha256sum, ["a", "b"], in: scratch.url).check("sha256sum")
        let expected = sum.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return "sha256:\(parts[0]) \(parts[1])"
        }
        #expect(ours.stdout.split(separator: "\n").map(String.init) == expected)
        let stdin = try scratch.actool("digest", "-", stdin: try scratch.data("b"))
        #expect(stdin.status == 0, "\(stdin.stderr)")
        #expect(stdin.stdout.hasPrefix("sha256:" + String(sum.stdout.split(separator: "\n")[1].prefix(64))), "\(stdin.stdout)")
    }
}
