import Foundation
import Shared
import TestSupport
import Testing

/// The peer programs the OCI tests compare with.
enum OciPeer {
    static let umoci = "/usr/bin/umoci"
    static let skopeo = "/usr/bin/skopeo"
    static let sha256sum = "/usr/bin/sha256sum"
}

/// What one path of a file tree is, for comparing our flattened rootfs with umoci's: file type,
/// permission bits, owner, size, the SHA-256 of a regular file's content, a symlink's target, and a
/// regular file's modification time (seconds; directories' times depend on the order entries were
/// created in, so they are left out).
struct OciTreeEntry: Equatable, CustomStringConvertible {
    var type: Character
    var mode: UInt32
    var uid: UInt32
    var gid: UInt32
    var size: Int64
    var sha256: String?
    var linkTarget: String?
    var mtime: Int?

    var description: String {
        var text = "\(type) \(String(mode, radix: 8)) \(uid):\(gid)"
        if type == "f" { text += " \(size)B sha256:\(sha256.map { String($0.prefix(12)) } ?? "?") mtime \(mtime ?? 0)" }
        if let linkTarget { text += " -> \(linkTarget)" }
        return text
    }
}

/// A file tree read with lstat (links are not followed): relative path (`.` for the root) → entry.
struct OciTree {
    let root: String
    let entries: [String: OciTreeEntry]

    init(_ root: String) throws {
        self.root = root
        var entries: [String: OciTreeEntry] = [:]
        func visit(_ relative: String) throws {
            let full = relative == "." ? root : "\(root)/\(relative)"
            var info = stat()
            guard lstat(full, &info) == 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: full]) }
            let kind: Character
            switch info.st_mode & S_IFMT {
            case S_IFDIR: kind = "d"
            case S_IFREG: kind = "f"
            case S_IFLNK: kind = "l"
            case S_IFCHR: kind = "c"
            case S_IFBLK: kind = "b"
            case S_IFIFO: kind = "p"
            default: kind = "s"
            }
            var entry = OciTreeEntry(type: kind, mode: UInt32(info.st_mode & 0o7777), uid: info.st_uid, gid: info.st_gid,
                                     size: kind == "f" ? Int64(info.st_size) : 0)
            if kind == "f" {
                entry.sha256 = try ContentHasher.hex(.sha256, ofFile: full)
                entry.mtime = info.st_mtim.tv_sec
            }
            if kind == "l" { entry.linkTarget = try FileManager.default.destinationOfSymbolicLink(atPath: full) }
            if kind == "l" { entry.mode = 0o777 }
            entries[relative] = entry
            if kind == "d" {
                for name in try FileManager.default.contentsOfDirectory(atPath: full) {
                    try visit(relative == "." ? name : "\(relative)/\(name)")
                }
            }
        }
        try visit(".")
        self.entries = entries
    }

    /// The paths, sorted.
    var paths: [String] { entries.keys.sorted() }

    /// Every difference between `self` (ours) and `other` (theirs), one readable line each:
    /// `only in ours: etc/x (f 644 0:0 …)`, `etc/hello: mode 644 ≠ 640`.
    func differences(from other: OciTree, ours: String = "ours", theirs: String = "theirs") -> [String] {
        var lines: [String] = []
        for path in Set(entries.keys).union(other.entries.keys).sorted() {
            switch (entries[path], other.entries[path]) {
            case let (mine?, their?):
                var fields: [String] = []
                func check<T: Equatable>(_ name: String, _ a: T, _ b: T, _ show: (T) -> String = { "\($0)" }) {
                    if a != b { fields.append("\(name) \(show(a)) ≠ \(show(b))") }
                }
                check("type", mine.type, their.type)
                check("mode", mine.mode, their.mode) { String($0, radix: 8) }
                check("uid", mine.uid, their.uid)
                check("gid", mine.gid, their.gid)
                check("size", mine.size, their.size)
                check("content sha256", mine.sha256, their.sha256) { $0.map { String($0.prefix(16)) } ?? "none" }
                check("symlink target", mine.linkTarget, their.linkTarget) { $0 ?? "none" }
                check("mtime", mine.mtime, their.mtime) { $0.map(String.init) ?? "none" }
                if !fields.isEmpty { lines.append("\(path): \(fields.joined(separator: ", ")) (\(ours) ≠ \(theirs))") }
            case let (mine?, nil):
                lines.append("only in \(ours): \(path) (\(mine))")
            case let (nil, their?):
                lines.append("only in \(theirs): \(path) (\(their))")
            case (nil, nil):
                break
            }
        }
        return lines
    }
}

/// The state of the host paths a hostile layer would reach, to compare before and after: the
/// listing and modification time of /etc, and the bytes, time and link count of /etc/passwd.
struct OciHostState: Equatable {
    var etcListing: [String]
    var etcModified: [Int]
    var passwd: Data
    var passwdModified: [Int]
    var passwdLinks: UInt

    static func capture() throws -> OciHostState {
        var etc = stat(), passwd = stat()
        guard stat("/etc", &etc) == 0, stat("/etc/passwd", &passwd) == 0 else { throw CocoaError(.fileReadNoSuchFile) }
        return OciHostState(etcListing: try FileManager.default.contentsOfDirectory(atPath: "/etc").sorted(),
                            etcModified: [etc.st_mtim.tv_sec, etc.st_mtim.tv_nsec],
                            passwd: try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd")),
                            passwdModified: [passwd.st_mtim.tv_sec, passwd.st_mtim.tv_nsec], passwdLinks: UInt(passwd.st_nlink))
    }
}

/// The modification times (seconds and nanoseconds) of directories, to see that nothing was
/// created or removed in them.
func ociModificationTimes(_ paths: [String]) -> [String: [Int]] {
    var result: [String: [Int]] = [:]
    for path in paths {
        var info = stat()
        result[path] = lstat(path, &info) == 0 ? [info.st_mtim.tv_sec, info.st_mtim.tv_nsec] : []
    }
    return result
}

/// What differs between two scratch snapshots, one line per path: `added x`, `removed x`, `changed x`.
func ociChanges(_ before: [String: FileState], _ after: [String: FileState]) -> [String] {
    Set(before.keys).union(after.keys).sorted().compactMap { path in
        switch (before[path], after[path]) {
        case (nil, _?): return "added \(path)"
        case (_?, nil): return "removed \(path)"
        case let (old?, new?) where old != new: return "changed \(path)"
        default: return nil
        }
    }
}

/// JSON documents of an OCI layout, read with Foundation (independent of the code under test).
struct OciLayoutDocuments {
    let root: String

    func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(relative)"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(relative) is not an object")
    }

    func blob(_ digest: String) throws -> [String: Any] {
        try json("blobs/" + digest.replacingOccurrences(of: ":", with: "/"))
    }

    var index: [String: Any] { get throws { try json("index.json") } }

    /// The manifest descriptors of index.json.
    var descriptors: [[String: Any]] { get throws { try #require(try index["manifests"] as? [[String: Any]]) } }

    /// The manifest tagged `tag`.
    func manifest(tag: String) throws -> [String: Any] {
        let descriptor = try #require(try descriptors.first {
            ($0["annotations"] as? [String: String])?["org.opencontainers.image.ref.name"] == tag
        }, "no tag \(tag) in \(root)")
        return try blob(try #require(descriptor["digest"] as? String))
    }

    func config(tag: String) throws -> [String: Any] {
        let config = try #require(try manifest(tag: tag)["config"] as? [String: Any])
        return try blob(try #require(config["digest"] as? String))
    }

    /// The layer descriptors of the manifest tagged `tag`.
    func layers(tag: String) throws -> [[String: Any]] {
        try #require(try manifest(tag: tag)["layers"] as? [[String: Any]])
    }

    /// Every file under blobs/ (algorithm/encoded) with its bytes.
    func blobFiles() throws -> [String: Data] {
        var result: [String: Data] = [:]
        for algorithm in try FileManager.default.contentsOfDirectory(atPath: "\(root)/blobs") {
            for encoded in try FileManager.default.contentsOfDirectory(atPath: "\(root)/blobs/\(algorithm)") {
                result["\(algorithm)/\(encoded)"] = try Data(contentsOf: URL(fileURLWithPath: "\(root)/blobs/\(algorithm)/\(encoded)"))
            }
        }
        return result
    }
}

extension Scratch {
    /// `testdata/oci/oci_fixture.py ARGUMENTS…` in the scratch directory (or `directory` below it).
    @discardableResult
    func ociFixture(_ arguments: [String], in directory: String? = nil) throws -> Tool.Result {
        let url = directory.map { self.url.appendingPathComponent($0) } ?? url
        return try Tool.execute(Peer.python, [TestData.path("oci/oci_fixture.py")] + arguments, in: url)
            .check("oci_fixture.py \(arguments.prefix(2).joined(separator: " "))")
    }

    /// `testdata/oci/peer_images.sh DIR KIND…`: images written by umoci and skopeo.
    func peerImages(_ kinds: String..., in directory: String = ".") throws {
        try FileManager.default.createDirectory(atPath: path(directory), withIntermediateDirectories: true)
        try Tool.execute("/bin/sh", [TestData.path("oci/peer_images.sh"), path(directory)] + kinds, in: url)
            .check("peer_images.sh \(kinds.joined(separator: " "))")
    }

    /// `actool ARGUMENTS…` (an array) in the scratch directory or `directory` below it.
    @discardableResult
    func ociActool(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Tool.Result {
        try Tool.actool.run(arguments, in: directory.map { url.appendingPathComponent($0) } ?? url, environment: environment)
    }

    @discardableResult
    func umoci(_ arguments: String...) throws -> Tool.Result {
        try Tool.execute(OciPeer.umoci, arguments, in: url)
    }

    @discardableResult
    func skopeo(_ arguments: String...) throws -> Tool.Result {
        try Tool.execute(OciPeer.skopeo, arguments, in: url)
    }

    /// umoci's flattened rootfs of `image` (`LAYOUT:TAG`), unpacked into `bundle`.
    func umociRootfs(_ image: String, bundle: String) throws -> OciTree {
        try umoci("unpack", "--image", image, bundle).check("umoci unpack \(image)")
        return try OciTree(path("\(bundle)/rootfs"))
    }

    /// The documents of the layout at `name`.
    func ociDocuments(_ name: String) -> OciLayoutDocuments { OciLayoutDocuments(root: path(name)) }

    /// Every path of the scratch directory (outside `excluding`) whose name contains `fragment`.
    func pathsContaining(_ fragment: String, excluding: String? = nil) throws -> [String] {
        try snapshot().keys.filter { path in
            path.contains(fragment) && !(excluding.map { path == $0 || path.hasPrefix("\($0)/") } ?? false)
        }.sorted()
    }
}

/// Checks that `message` mentions everything in `problem`, ignoring case.
func ociMentions(_ message: String, _ problem: [String]) -> Bool {
    problem.allSatisfy { message.lowercased().contains($0.lowercased()) }
}

/// An appc manifest (`actool cat-manifest` output) as a dictionary.
func ociManifestObject(_ result: Tool.Result) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: result.stdoutBytes) as? [String: Any], "not a manifest: \(result.stdout)")
}

/// `[{"name": n, "value": v}, …]` as a dictionary.
func ociNameValues(_ value: Any?) -> [String: String] {
    var result: [String: String] = [:]
    for item in value as? [[String: Any]] ?? [] {
        if let name = item["name"] as? String, let value = item["value"] as? String { result[name] = value }
    }
    return result
}
