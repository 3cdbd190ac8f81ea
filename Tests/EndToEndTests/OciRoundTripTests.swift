import Foundation
import TestSupport
import Testing

/// ACI → OCI → ACI: `actool convert x.aci out-oci`, then `actool convert out-oci:TAG back.aci
/// --name …` gives back the same rootfs and the same app.
@Suite("OCI round trip: ACI to OCI layout and back")
struct OciRoundTripTests {
    static let manifest = """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/roundtrip",
         "labels":[{"name":"version","value":"2.1"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],
         "app":{"exec":["/bin/sh","-c","echo round trip"],"user":"1000","group":"100","workingDirectory":"/srv",
                "environment":[{"name":"FOO","value":"bar"},{"name":"EMPTY","value":""}],
                "mountPoints":[{"name":"data","path":"/data"}],
                "ports":[{"name":"8080-tcp","protocol":"tcp","port":8080},{"name":"53-udp","protocol":"udp","port":53}]},
         "annotations":[{"name":"authors","value":"someone@example.com"},{"name":"created","value":"2020-01-02T03:04:05Z"}]}
        """

    /// x.aci from a busybox layout plus files of several kinds (owners, modes, hard links, symlinks, a
    /// fifo, a sticky directory, a setuid file, mtimes). No device node: unpacking refuses those.
    static func aci(_ scratch: Scratch) throws {
        try scratch.busyboxLayout("layout", manifest: manifest)
        try scratch.write("layout/rootfs/etc/hello", "hello\n", mode: 0o640)
        try scratch.shell("""
            cd layout/rootfs && chown 1234:5678 etc/hello && ln etc/hello etc/hardlink && ln etc/hello zz-third-name && \
            ln -s /proc/self/mounts etc/mtab && mkdir run tmp && mkfifo run/fifo && chmod 1777 tmp && \
            cp bin/busybox bin/su && chmod 4755 bin/su
            """).check("file kinds")
        try scratch.write("layout/rootfs/srv/deep/er/file", "deep\n", mode: 0o600)
        try scratch.shell("touch -d 2003-04-05T06:07:08Z layout/rootfs/srv/deep/er/file && chown 5:6 layout/rootfs/srv/deep").check()
        try scratch.actool("build", "layout", "x.aci").check("build x.aci")
    }

    /// The rootfs of an ACI, extracted with GNU tar (owners kept, as root).
    static func rootfs(_ scratch: Scratch, _ aci: String, into directory: String) throws -> OciTree {
        try FileManager.default.createDirectory(atPath: scratch.path(directory), withIntermediateDirectories: true)
        try scratch.shell("tar -xf \(aci) -C \(directory) --same-owner --same-permissions --xattrs").check("tar -x \(aci)")
        return try OciTree(scratch.path("\(directory)/rootfs"))
    }

    @Test("the rootfs survives ACI → OCI layout → ACI: names, types, modes, owners, sizes, content, links, mtimes")
    func rootfsPreserved() throws {
        let scratch = try Scratch()
        try Self.aci(scratch)
        let toOCI = try scratch.actool("convert", "x.aci", "out-oci")
        try #require(toOCI.status == 0, "convert x.aci out-oci: \(toOCI.stderr)")
        let validate = try scratch.actool("validate", "out-oci")
        #expect(validate.status == 0, "\(validate.stderr)")
        let back = try scratch.actool("convert", "out-oci:2.1", "back.aci", "--name", "example.com/roundtrip")
        try #require(back.status == 0, "convert out-oci:2.1 back.aci: \(back.stderr)")
        let before = try Self.rootfs(scratch, "x.aci", into: "before")
        let after = try Self.rootfs(scratch, "back.aci", into: "after")
        let differences = after.differences(from: before, ours: "back.aci", theirs: "x.aci").filter { !$0.hasPrefix(".:") }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // Hard links stay hard links.
        var first = stat(), second = stat()
        #expect(lstat(scratch.path("after/rootfs/etc/hello"), &first) == 0 && lstat(scratch.path("after/rootfs/etc/hardlink"), &second) == 0)
        #expect(first.st_ino == second.st_ino && first.st_nlink == 3)
    }

    @Test("the app survives the round trip: exec, user, group, working directory, environment, mount points, ports")
    func appPreserved() throws {
        let scratch = try Scratch()
        try Self.aci(scratch)
        try scratch.actool("convert", "x.aci", "out-oci").check("to OCI")
        try scratch.actool("convert", "out-oci:2.1", "back.aci", "--name", "example.com/roundtrip").check("back to ACI")
        let original = try ociManifestObject(try scratch.actool("cat-manifest", "x.aci").check())
        let returned = try ociManifestObject(try scratch.actool("cat-manifest", "back.aci").check())
        #expect(returned["name"] as? String == original["name"] as? String)
        let (app, back) = (try #require(original["app"] as? [String: Any]), try #require(returned["app"] as? [String: Any]))
        #expect(back["exec"] as? [String] == app["exec"] as? [String])
        #expect(back["user"] as? String == app["user"] as? String)
        #expect(back["group"] as? String == app["group"] as? String)
        #expect(back["workingDirectory"] as? String == app["workingDirectory"] as? String)
        #expect(ociNameValues(back["environment"]) == ociNameValues(app["environment"]))
        func mounts(_ app: [String: Any]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: (app["mountPoints"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["path"] as? String ?? "") })
        }
        #expect(mounts(back) == mounts(app))
        // OCI ports have no names: compare numbers and protocols (the names here are the ones the conversion derives).
        func ports(_ app: [String: Any]) -> [String] {
            (app["ports"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "")=\($0["port"] ?? "")/\($0["protocol"] ?? "")" }.sorted()
        }
        #expect(ports(back) == ports(app))
        // Labels and annotations: os, arch, version, and the annotations of the original.
        let (labels, returnedLabels) = (ociNameValues(original["labels"]), ociNameValues(returned["labels"]))
        #expect(returnedLabels == labels)
        let annotations = ociNameValues(returned["annotations"])
        for (name, value) in ociNameValues(original["annotations"]) {
            #expect(annotations[name] == value, "annotation \(name)")
        }
        #expect(Set(annotations.keys) == Set(ociNameValues(original["annotations"]).keys), "the round trip added annotations: \(annotations)")
        // Both ACIs pass the reference actool.
        for image in ["x.aci", "back.aci"] {
            let reference = try scratch.referenceActool("validate", image)
            #expect(reference.status == 0, "\(image): \(reference.stderr)")
        }
    }

    @Test("the intermediate OCI layout carries the app as an image config that skopeo and umoci read")
    func intermediateLayout() throws {
        let scratch = try Scratch()
        try Self.aci(scratch)
        try scratch.actool("convert", "x.aci", "out-oci").check("to OCI")
        let config = try scratch.ociDocuments("out-oci").config(tag: "2.1")
        let run = try #require(config["config"] as? [String: Any])
        #expect((run["Entrypoint"] as? [String] ?? []) + (run["Cmd"] as? [String] ?? []) == ["/bin/sh", "-c", "echo round trip"])
        #expect(Set(run["Env"] as? [String] ?? []) == ["FOO=bar", "EMPTY="])
        #expect(run["User"] as? String == "1000:100")
        #expect(run["WorkingDir"] as? String == "/srv")
        #expect(Set((run["ExposedPorts"] as? [String: Any] ?? [:]).keys) == ["8080/tcp", "53/udp"])
        #expect(Set((run["Volumes"] as? [String: Any] ?? [:]).keys) == ["/data"])
        #expect(config["created"] as? String == "2020-01-02T03:04:05Z")
        #expect(try scratch.skopeo("inspect", "oci:out-oci:2.1").status == 0)
        // umoci's unpack of the intermediate layout is the ACI's rootfs.
        let theirs = try scratch.umociRootfs("out-oci:2.1", bundle: "bundle")
        let before = try Self.rootfs(scratch, "x.aci", into: "before")
        let differences = theirs.differences(from: before, ours: "umoci", theirs: "x.aci").filter { !$0.hasPrefix(".:") }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }
}
