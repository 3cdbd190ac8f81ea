import Foundation
import TestSupport
import Testing

/// OCI layouts that are valid except for one hostile layer (assembled by testdata/oci/oci_fixture.py
/// with correct digests unless the digest is the point). Refused ones: `actool unpack` and
/// `actool validate` exit 1 naming the problem, unpack leaves no target directory, and nothing is
/// written anywhere else. Contained ones (absolute names, symlinks out of the root): they unpack
/// like umoci unpacks them, entirely inside the target.
///
/// Each test's scratch directory: commands run in `box/work`; the layout is `evil`, the target
/// `out`; `box/work/sentinel/` is a directory next to the target, and `box/work/etc/passwd` and
/// `box/etc/passwd` are sentinels that `../..` paths would reach. Names carry a unique marker so
/// that a copy anywhere else is found.
@Suite("OCI layouts with hostile layers")
struct OciHostileLayerTests {
    static let work = "box/work"

    struct Refused: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// Writes the layout `evil` in the work directory; `marker` is unique to the test. Returns
        /// the digest of the hostile layer blob.
        var make: @Sendable (Scratch, String) throws -> String
        /// What unpack's message must mention (ignoring case); `{marker}` and `{digest}` are replaced.
        var unpackProblem: [String]
        /// What validate's message must mention.
        var validateProblem: [String]
    }

    /// A layout whose one layer is `oci_fixture.py tar layer.tar --gzip MEMBER…`.
    static func layer(_ members: String...) -> @Sendable (Scratch, String) throws -> String {
        { scratch, marker in
            try scratch.ociFixture(["tar", "layer.tar", "--gzip"] + members.map { $0.replacingOccurrences(of: "{marker}", with: marker) },
                                   in: work)
            return try layout(scratch, "layer.tar")
        }
    }

    /// `oci_fixture.py layout evil LAYER`; returns the layer digest.
    static func layout(_ scratch: Scratch, _ layer: String) throws -> String {
        let result = try scratch.ociFixture(["layout", "evil", layer], in: work)
        try FileManager.default.removeItem(atPath: scratch.path("\(work)/\(layer.split(separator: ",")[0])"))
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func blob(_ digest: String) -> String { "\(work)/evil/blobs/" + digest.replacingOccurrences(of: ":", with: "/") }

    /// A valid layer (busybox as etc/hello) whose blob is then damaged by `oci_fixture.py ACTION`.
    static func damaged(_ action: String, compression: String) -> @Sendable (Scratch, String) throws -> String {
        { scratch, _ in
            let flags = compression == "gzip" ? ["--gzip"] : []
            try scratch.ociFixture(["tar", "layer.tar"] + flags + ["etc/", "etc/hello=@/bin/busybox"], in: work)
            if compression == "zstd" {
                try scratch.shell("zstd -q --rm layer.tar -o layer.tar.zst", in: work).check("zstd")
            }
            let digest = try layout(scratch, compression == "zstd" ? "layer.tar.zst" : "layer.tar")
            try scratch.ociFixture([action, scratch.path(blob(digest))])
            return digest
        }
    }

    static let refused: [Refused] = [
        Refused(testDescription: "an entry ../x", make: layer("../x-{marker}=pwned"),
                unpackProblem: ["\"../x-{marker}\"", ".."], validateProblem: ["../x-{marker}", ".."]),
        Refused(testDescription: "a hard link to ../../etc/passwd", make: layer("p=>../../etc/passwd"),
                unpackProblem: ["\"p\"", "hard link", "../../etc/passwd"], validateProblem: ["hard link", "../../etc/passwd"]),
        Refused(testDescription: "a character device node", make: layer("dev/", "dev/null-{marker}%c:1:3"),
                unpackProblem: ["dev/null-{marker}", "device"], validateProblem: ["dev/null-{marker}", "device"]),
        Refused(testDescription: "a 1 GiB file of zeros, gzip -1 (decompression bomb)", make: { scratch, _ in
            let diffID = try scratch.ociFixture(["bomb", "bomb.gz", "1G"], in: work).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return try layout(scratch, "bomb.gz,diffid=\(diffID)")
        }, unpackProblem: ["{digest}", "bomb"], validateProblem: ["{digest}", "bomb"]),
        Refused(testDescription: "a truncated blob (the file cut in half)", make: damaged("truncate", compression: "gzip"),
                unpackProblem: ["{digest}", "truncated"], validateProblem: ["{digest}", "mismatch"]),
        Refused(testDescription: "a truncated gzip stream (the descriptor matches the cut bytes)", make: { scratch, _ in
            try scratch.ociFixture(["tar", "whole.tar", "etc/", "etc/hello=@/bin/busybox"], in: work)
            // The diff_id is the whole tar's: only the blob is short.
            let diffID = try scratch.shell("gzip -c whole.tar | head -c 300000 > layer.gz && sha256sum whole.tar | cut -c1-64 && rm whole.tar",
                                           in: work).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return try layout(scratch, "layer.gz,diffid=sha256:\(diffID)")
        }, unpackProblem: ["{digest}", "truncated"], validateProblem: ["{digest}", "truncated"]),
        Refused(testDescription: "a gzip blob with one byte changed (wrong digest)", make: damaged("flip", compression: "gzip"),
                unpackProblem: ["{digest}", "digest mismatch"], validateProblem: ["{digest}", "digest mismatch"]),
        Refused(testDescription: "a plain tar blob with one byte changed (wrong digest)", make: damaged("flip", compression: "none"),
                unpackProblem: ["{digest}", "digest mismatch"], validateProblem: ["{digest}", "digest mismatch"]),
        Refused(testDescription: "a zstd blob with one byte changed (wrong digest)", make: damaged("flip", compression: "zstd"),
                unpackProblem: ["{digest}", "match"], validateProblem: ["{digest}", "digest mismatch"]),
    ]

    /// The scratch directory with its sentinels, and a marker unique to the test.
    static func scratch() throws -> (Scratch, String) {
        let scratch = try Scratch()
        try scratch.write("box/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        try scratch.write("\(work)/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        try scratch.write("\(work)/sentinel/keep", "keep\n")
        try FileManager.default.createDirectory(atPath: scratch.path("tmp"), withIntermediateDirectories: true)
        return (scratch, "rkt-oci-\(UUID().uuidString.prefix(8).lowercased())")
    }

    /// Directories nothing may be created in or removed from: the sentinel next to the target,
    /// the two `etc` sentinels, the scratch root and `box`.
    static func sentinels(_ scratch: Scratch) -> [String] {
        ["\(work)/sentinel", "\(work)/etc", "box/etc", "box", ""].map { $0.isEmpty ? scratch.url.path : scratch.path($0) }
    }

    /// Host paths a marker must never reach.
    static func hostPaths(_ marker: String) -> [String] {
        ["/etc/\(marker)", "/\(marker)", "/tmp/\(marker)", "/var/tmp/\(marker)", "/x-\(marker)", "/tmp/x-\(marker)",
         "/escaped-\(marker)", "/tmp/escaped-\(marker)"]
    }

    /// Runs actool in the work directory with TMPDIR inside the scratch directory (to see leftovers).
    static func actool(_ scratch: Scratch, _ arguments: String...) throws -> Tool.Result {
        try scratch.ociActool(arguments, in: work, environment: ["TMPDIR": scratch.path("tmp")])
    }

    @Test("unpack and validate refuse it, naming the problem; nothing is written, no target is left", arguments: refused)
    func refusedLayer(_ hostile: Refused) throws {
        let (scratch, marker) = try Self.scratch()
        let digest = try hostile.make(scratch, marker)
        let words = { (problem: [String]) in
            problem.map { $0.replacingOccurrences(of: "{marker}", with: marker).replacingOccurrences(of: "{digest}", with: digest) }
        }
        let before = try scratch.snapshot()
        let host = try OciHostState.capture()
        let times = ociModificationTimes(Self.sentinels(scratch))

        let unpack = try Self.actool(scratch, "unpack", "--name", "example.com/evil", "evil", "out")
        #expect(unpack.status == 1, "unpack exited \(unpack.status): \(unpack.stderr)")
        #expect(unpack.stderr.hasPrefix("unpack: "), "\(unpack.stderr)")
        #expect(ociMentions(unpack.stderr, words(hostile.unpackProblem)), "unpack: \(unpack.stderr)")
        #expect(unpack.stdout.isEmpty)
        #expect(!scratch.exists("\(Self.work)/out"), "unpack left its target behind: \((try? scratch.listing(Self.work)) ?? [])")

        let validate = try Self.actool(scratch, "validate", "evil")
        #expect(validate.status == 1, "validate exited \(validate.status): \(validate.stderr)")
        #expect(validate.stderr.hasPrefix("evil: "), "\(validate.stderr)")
        #expect(ociMentions(validate.stderr, words(hostile.validateProblem)), "validate: \(validate.stderr)")

        let changes = ociChanges(before, try scratch.snapshot())
        #expect(changes.isEmpty, "\(changes.joined(separator: "\n"))")
        #expect(ociModificationTimes(Self.sentinels(scratch)) == times, "a sentinel directory was modified")
        #expect(try scratch.pathsContaining(marker).isEmpty)
        #expect(try scratch.listing("tmp").isEmpty, "temporary files left: \((try? scratch.listing("tmp")) ?? [])")
        #expect(try OciHostState.capture() == host, "/etc changed")
        for path in Self.hostPaths(marker) { #expect(!FileManager.default.fileExists(atPath: path), "\(path) exists") }
    }

    struct Contained: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// The layer members ({marker} replaced).
        var members: [String]
        /// Where the payload must land, relative to the target's rootfs, and what it holds.
        var landsAt: String
        var content: String
    }

    static let contained: [Contained] = [
        Contained(testDescription: "an absolute name /etc/x", members: ["/etc/{marker}=pwned-{marker}"],
                  landsAt: "etc/{marker}", content: "pwned-{marker}"),
        Contained(testDescription: "a symlink x -> /etc, then x/passwd (no etc/ in the layer)", members: ["x->/etc", "x/passwd=pwned-{marker}"],
                  landsAt: "etc/passwd", content: "pwned-{marker}"),
        Contained(testDescription: "a directory etc/, a symlink x -> /etc, then x/passwd",
                  members: ["etc/", "x->/etc", "x/passwd=pwned-{marker}"], landsAt: "etc/passwd", content: "pwned-{marker}"),
        Contained(testDescription: "a symlink y -> ../../.., then y/escaped", members: ["y->../../..", "y/escaped-{marker}=pwned-{marker}"],
                  landsAt: "escaped-{marker}", content: "pwned-{marker}"),
        Contained(testDescription: "a symlink chain a -> b, b -> ../../../etc, then a/passwd",
                  members: ["etc/", "b->../../../etc", "a->b", "a/passwd=pwned-{marker}"], landsAt: "etc/passwd", content: "pwned-{marker}"),
    ]

    @Test("absolute names and symlinks out of the root land inside the target, as umoci puts them", arguments: contained)
    func containedLayer(_ hostile: Contained) throws {
        let (scratch, marker) = try Self.scratch()
        let members = hostile.members.map { $0.replacingOccurrences(of: "{marker}", with: marker) }
        try scratch.ociFixture(["tar", "layer.tar", "--gzip"] + members, in: Self.work)
        _ = try Self.layout(scratch, "layer.tar")
        let before = try scratch.snapshot()
        let host = try OciHostState.capture()
        let times = ociModificationTimes(Self.sentinels(scratch))

        let validate = try Self.actool(scratch, "validate", "evil")
        #expect(validate.status == 0, "\(validate.stderr)")
        let unpack = try Self.actool(scratch, "unpack", "--name", "example.com/evil", "evil", "out")
        #expect(unpack.status == 0, "unpack: \(unpack.stderr)")
        let landsAt = hostile.landsAt.replacingOccurrences(of: "{marker}", with: marker)
        let content = hostile.content.replacingOccurrences(of: "{marker}", with: marker)
        #expect((try? String(contentsOfFile: scratch.path("\(Self.work)/out/rootfs/\(landsAt)"), encoding: .utf8)) == content,
                "rootfs/\(landsAt) does not hold the payload; rootfs: \((try? OciTree(scratch.path("\(Self.work)/out/rootfs")).paths) ?? [])")

        // Nothing changed outside the target.
        let after = try scratch.snapshot().filter { !$0.key.hasPrefix("\(Self.work)/out/") && $0.key != "\(Self.work)/out" }
        let changes = ociChanges(before, after)
        #expect(changes.isEmpty, "\(changes.joined(separator: "\n"))")
        #expect(ociModificationTimes(Self.sentinels(scratch)) == times, "a sentinel directory was modified")
        #expect(try scratch.pathsContaining(marker, excluding: "\(Self.work)/out").isEmpty)
        #expect(try scratch.pathsContaining("x/passwd", excluding: "\(Self.work)/out").isEmpty)
        #expect(try scratch.listing("tmp").isEmpty)
        #expect(try OciHostState.capture() == host, "/etc changed")
        #expect(!FileManager.default.fileExists(atPath: "/x/passwd"))
        for path in Self.hostPaths(marker) { #expect(!FileManager.default.fileExists(atPath: path), "\(path) exists") }

        // umoci puts everything in the same places.
        if unpack.status == 0 {
            let theirs = try scratch.umociRootfs("\(Self.work)/evil:latest", bundle: "bundle")
            let differences = try OciTree(scratch.path("\(Self.work)/out/rootfs")).differences(from: theirs, ours: "actool", theirs: "umoci")
                .filter { !$0.hasPrefix(".:") }
            #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        }
    }

    @Test("a docker-archive whose layer tar has one byte changed is refused by unpack, convert and validate")
    func dockerArchiveDamaged() throws {
        let (scratch, _) = try Self.scratch()
        try scratch.peerImages("docker", in: "peer")
        try scratch.shell("""
            mkdir x && tar -xf peer/docker.tar -C x && chmod -R u+w x && \
            first=$(python3 -c 'import json; print(json.load(open("x/manifest.json"))[0]["Layers"][0])') && \
            python3 \(TestData.path("oci/oci_fixture.py")) flip "x/$first" 100000 && \
            (cd x && tar -cf ../\(Self.work)/evil.tar *) && rm -rf x peer
            """).check("damaged docker-archive")
        let before = try scratch.snapshot()
        for arguments in [["unpack", "evil.tar", "out"], ["convert", "evil.tar", "out.aci"], ["validate", "evil.tar"]] {
            let result = try scratch.ociActool(arguments, in: Self.work, environment: ["TMPDIR": scratch.path("tmp")])
            #expect(result.status == 1, "\(arguments[0]): \(result.stderr)")
            #expect(ociMentions(result.stderr, ["diff_id", "digest mismatch"]), "\(arguments[0]): \(result.stderr)")
        }
        let changes = ociChanges(before, try scratch.snapshot())
        #expect(changes.isEmpty, "\(changes.joined(separator: "\n"))")
        #expect(try scratch.listing("tmp").isEmpty)
    }
}
