import Foundation
import TestSupport
import Testing

/// Images umoci and skopeo write (testdata/oci/peer_images.sh), each a quirk of the OCI notes:
/// every one validates (or fails as it must), flattens to the tree umoci gives, and converts to an
/// ACI that both actools accept, its manifest mapped from the image config.
@Suite("OCI images umoci and skopeo write")
struct OciPeerImageTests {
    struct PeerImage: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// The peer_images.sh kind that writes it.
        var kind: String
        /// What actool reads (`LAYOUT:TAG` or an archive).
        var source: String
        /// What actool validate is given.
        var validated: String
        /// What umoci unpacks for the expected tree (umoci cannot read zstd, mislabeled layers or
        /// docker-archives: then the gzip image they were copied from).
        var umociImage: String
        /// --name for unpack and convert; nil when the reference gives the name.
        var name: String?
        /// The tag or reference version the manifest's version label must carry.
        var version: String
        /// nil when valid; else what validate's message must mention.
        var invalidBecause: [String]? = nil
        /// Whether reading it must warn that a layer's bytes are not what its media type says.
        var mislabeled = false
    }

    static let images: [PeerImage] = [
        PeerImage(testDescription: "umoci: four layers with file, directory and opaque whiteouts (marker first and after a sibling)",
                  kind: "layers", source: "layers:full", validated: "layers", umociImage: "layers:full",
                  name: "example.com/layers", version: "full"),
        PeerImage(testDescription: "skopeo: the same image with zstd layers", kind: "zstd", source: "zstd:full", validated: "zstd",
                  umociImage: "layers:full", name: "example.com/zstd", version: "full"),
        PeerImage(testDescription: "skopeo: the same image as a docker-archive", kind: "docker", source: "docker.tar",
                  validated: "docker.tar", umociImage: "layers:full", name: nil, version: "1"),
        PeerImage(testDescription: "skopeo: plain tar layers labelled tar+gzip (--dest-oci-accept-uncompressed-layers)",
                  kind: "mislabeled", source: "mislabeled:full", validated: "mislabeled", umociImage: "layers:full",
                  name: "example.com/mislabeled", version: "full", mislabeled: true),
        PeerImage(testDescription: "umoci insert: layers without the tar end-of-archive footer", kind: "insert",
                  source: "insert:inserted", validated: "insert", umociImage: "insert:inserted",
                  name: "example.com/insert", version: "inserted"),
        PeerImage(testDescription: "umoci new: a manifest with no layers", kind: "empty", source: "empty:empty", validated: "empty",
                  umociImage: "empty:empty", name: "example.com/empty", version: "empty",
                  invalidBecause: ["layers", "at least one layer"]),
    ]

    /// `--name NAME` when the image needs one.
    static func nameArguments(_ image: PeerImage) -> [String] { image.name.map { ["--name", $0] } ?? [] }

    @Test("actool validate accepts it, or refuses it with a message naming the problem", arguments: images)
    func validates(_ image: PeerImage) throws {
        let scratch = try Scratch()
        try scratch.peerImages(image.kind)
        let result = try scratch.actool("validate", image.validated)
        if let problem = image.invalidBecause {
            #expect(result.status == 1, "validate accepted it")
            #expect(result.stderr.hasPrefix("\(image.validated): "), "\(result.stderr)")
            #expect(ociMentions(result.stderr, problem), "\(result.stderr)")
        } else {
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(result.stdout.isEmpty)
    }

    @Test("actool unpack flattens it to the tree umoci gives", arguments: images)
    func flattensLikeUmoci(_ image: PeerImage) throws {
        let scratch = try Scratch()
        try scratch.peerImages(image.kind)
        let expected = try scratch.umociRootfs(image.umociImage, bundle: "bundle")
        let unpack = try scratch.ociActool(["unpack"] + Self.nameArguments(image) + [image.source, "out"])
        try #require(unpack.status == 0, "actool unpack \(image.source): \(unpack.stderr)")
        let differences = try OciTree(scratch.path("out/rootfs")).differences(from: expected, ours: "actool", theirs: "umoci")
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        if image.mislabeled {
            #expect(ociMentions(unpack.stderr, ["warning", "application/vnd.oci.image.layer.v1.tar+gzip"]), "no warning: \(unpack.stderr)")
        } else {
            #expect(!unpack.stderr.lowercased().contains("warning"), "\(unpack.stderr)")
        }
    }

    @Test("actool convert makes an ACI that our actool and the reference actool validate, with the config mapped", arguments: images)
    func convertsToACI(_ image: PeerImage) throws {
        let scratch = try Scratch()
        try scratch.peerImages(image.kind)
        let convert = try scratch.ociActool(["convert"] + Self.nameArguments(image) + [image.source, "image.aci"])
        try #require(convert.status == 0, "actool convert \(image.source): \(convert.stderr)")
        let ours = try scratch.actool("validate", "image.aci")
        #expect(ours.status == 0, "actool validate: \(ours.stderr)")
        let reference = try scratch.referenceActool("validate", "image.aci")
        #expect(reference.status == 0, "/usr/bin/actool validate: \(reference.stderr)\(reference.stdout)")
        let manifest = try ociManifestObject(try scratch.actool("cat-manifest", "image.aci").check("cat-manifest"))
        let configLayout = image.kind == "docker" || image.kind == "zstd" || image.kind == "mislabeled" ? "layers:full" : image.umociImage
        let (layout, tag) = (String(configLayout.split(separator: ":")[0]), String(configLayout.split(separator: ":")[1]))
        let config = try scratch.ociDocuments(layout).config(tag: tag)
        let problems = OciConfigMapping.problems(manifest: manifest, config: config, name: image.name ?? "example.com/x",
                                                 version: image.version)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The ACI holds the flattened tree.
        let members = try scratch.members("image.aci").map(\.name)
        #expect(members.contains("manifest") && members.contains("rootfs"), "\(members.prefix(5))")
        if image.kind != "empty" {
            #expect(members.contains("rootfs/bin/busybox") && members.contains("rootfs/d/z") && !members.contains("rootfs/d/a"),
                    "\(members)")
        }
    }

    @Test("the fixtures are what their quirks say (sanity checks of the peers' output)")
    func fixturesHaveTheirQuirks() throws {
        let scratch = try Scratch()
        try scratch.peerImages("zstd", "mislabeled", "insert", "empty")
        // Four gzip layers: whiteouts in the second, opaque markers in the third and fourth.
        let layers = try scratch.ociDocuments("layers").layers(tag: "full")
        #expect(layers.count == 4)
        let opaqueAfterSibling = try scratch.members(scratch.path("layers/blobs/" + (layers[3]["digest"] as! String).replacingOccurrences(of: ":", with: "/")))
        #expect(opaqueAfterSibling.map(\.name) == ["d", "d/z", "d/.wh..wh..opq"])
        let whiteouts = try scratch.members(scratch.path("layers/blobs/" + (layers[1]["digest"] as! String).replacingOccurrences(of: ":", with: "/")))
        #expect(whiteouts.map(\.name).contains("etc/.wh.gone") && whiteouts.map(\.name).contains(".wh.gonedir"))
        // zstd layers, which umoci cannot unpack.
        #expect(try scratch.ociDocuments("zstd").layers(tag: "full").allSatisfy { ($0["mediaType"] as? String)?.hasSuffix("+zstd") == true })
        #expect(try scratch.umoci("unpack", "--image", "zstd:full", "zstd-bundle").status != 0)
        // Plain tars labelled gzip: the digest is the diff_id.
        let mislabeled = try scratch.ociDocuments("mislabeled").layers(tag: "full")
        let diffIDs = try #require(try scratch.ociDocuments("mislabeled").config(tag: "full")["rootfs"] as? [String: Any])["diff_ids"] as? [String]
        #expect(mislabeled.compactMap { $0["digest"] as? String } == diffIDs)
        #expect(mislabeled.allSatisfy { ($0["mediaType"] as? String)?.hasSuffix("tar+gzip") == true })
        // umoci insert's layers have no footer: the last one is not a multiple of 512 bytes.
        let inserted = try scratch.ociDocuments("insert").layers(tag: "inserted")
        let last = try #require(inserted.last?["digest"] as? String).replacingOccurrences(of: ":", with: "/")
        let size = try Tool.execute("/bin/sh", ["-c", "gzip -dc insert/blobs/\(last) | wc -c"], in: scratch.url).check()
        let bytes = try #require(Int(size.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(bytes % 512 != 0, "\(bytes) bytes")
        // umoci new: no layers.
        #expect(try scratch.ociDocuments("empty").layers(tag: "empty").isEmpty)
    }

    @Test("whiteouts and opaque directories are applied: what the layers deleted is gone, what they added is there")
    func whiteoutsApplied() throws {
        let scratch = try Scratch()
        try scratch.peerImages("layers")
        try scratch.actool("unpack", "--name", "example.com/layers", "layers:full", "out").check("unpack")
        let tree = try OciTree(scratch.path("out/rootfs"))
        for gone in ["etc/gone", "gonedir", "gonedir/sub/x", "d/a", "o/old"] {
            #expect(tree.entries[gone] == nil, "\(gone) survived its whiteout")
        }
        for kept in ["etc/keep", "etc/new", "d/z", "o/new", "bin/busybox", "bin/sh"] {
            #expect(tree.entries[kept] != nil, "\(kept) missing")
        }
        #expect(!tree.paths.contains { $0.split(separator: "/").contains { $0.hasPrefix(".wh.") } }, "\(tree.paths)")
        #expect(tree.entries["srv"].map { ($0.mode, $0.uid, $0.gid) } ?? (0, 0, 0) == (0o750, 1234, 5678))
    }

    @Test("a docker-archive image is named from its reference (example.com/x:1), or from --name")
    func dockerArchiveName() throws {
        let scratch = try Scratch()
        try scratch.peerImages("docker")
        try scratch.actool("unpack", "docker.tar", "out").check("unpack")
        let manifest = try #require(try JSONSerialization.jsonObject(with: scratch.data("out/manifest")) as? [String: Any])
        #expect(manifest["name"] as? String == "example.com/x")
        #expect(ociNameValues(manifest["labels"])["version"] == "1")
        try scratch.actool("unpack", "--name", "example.org/renamed", "docker.tar", "named").check("unpack --name")
        let named = try #require(try JSONSerialization.jsonObject(with: scratch.data("named/manifest")) as? [String: Any])
        #expect(named["name"] as? String == "example.org/renamed")
    }

    @Test("the mislabeled layers are read by their bytes, with a warning naming each layer, in validate too")
    func mislabeledWarns() throws {
        let scratch = try Scratch()
        try scratch.peerImages("mislabeled")
        let validate = try scratch.actool("validate", "mislabeled")
        #expect(validate.status == 0, "\(validate.stderr)")
        for layer in try scratch.ociDocuments("mislabeled").layers(tag: "full") {
            let digest = try #require(layer["digest"] as? String)
            #expect(validate.stderr.contains(digest), "no warning for \(digest): \(validate.stderr)")
        }
        // umoci trusts the media type and fails; we do not.
        #expect(try scratch.umoci("unpack", "--image", "mislabeled:full", "bundle").status != 0)
    }
}

/// Checks an appc manifest (from `actool convert`) against the OCI config it was made from.
enum OciConfigMapping {
    static let appcArch = ["amd64": "amd64", "arm64": "aarch64", "386": "i386", "ppc64le": "ppc64le", "s390x": "s390x"]

    static func problems(manifest: [String: Any], config: [String: Any], name: String, version: String) -> [String] {
        var problems: [String] = []
        func check<T: Equatable>(_ what: String, _ actual: T?, _ expected: T?) {
            if actual != expected { problems.append("\(what): \(actual.map { "\($0)" } ?? "nil") ≠ expected \(expected.map { "\($0)" } ?? "nil")") }
        }
        check("name", manifest["name"] as? String, name)
        let labels = ociNameValues(manifest["labels"])
        check("os label", labels["os"], config["os"] as? String)
        check("arch label", labels["arch"], (config["architecture"] as? String).flatMap { appcArch[$0] })
        check("version label", labels["version"], version)
        let run = config["config"] as? [String: Any] ?? [:]
        let exec = (run["Entrypoint"] as? [String] ?? []) + (run["Cmd"] as? [String] ?? [])
        let app = manifest["app"] as? [String: Any]
        if exec.isEmpty {
            check("app", app.map { "\($0)" }, nil)
        } else if let app {
            check("exec", app["exec"] as? [String], exec)
            let user = (run["User"] as? String ?? "").split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            check("user", app["user"] as? String, user.first.flatMap { $0.isEmpty ? nil : $0 } ?? "0")
            check("group", app["group"] as? String, user.count > 1 && !user[1].isEmpty ? user[1] : "0")
            check("workingDirectory", app["workingDirectory"] as? String, run["WorkingDir"] as? String)
            var environment: [String: String] = [:]
            for entry in run["Env"] as? [String] ?? [] {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                environment[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            check("environment", ociNameValues(app["environment"]), environment)
            let ports = Set((app["ports"] as? [[String: Any]] ?? []).map { "\($0["port"] as? Int ?? -1)/\($0["protocol"] as? String ?? "")" })
            check("ports", ports, Set((run["ExposedPorts"] as? [String: Any] ?? [:]).keys))
            let mounts = Set((app["mountPoints"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
            check("mountPoints", mounts, Set((run["Volumes"] as? [String: Any] ?? [:]).keys))
        } else {
            problems.append("no app, but the config runs \(exec)")
        }
        let annotations = ociNameValues(manifest["annotations"])
        for (key, value) in run["Labels"] as? [String: String] ?? [:] {
            check("annotation \(key)", annotations[key], value)
        }
        if let created = config["created"] as? String { check("created annotation", annotations["created"], created) }
        return problems
    }
}
