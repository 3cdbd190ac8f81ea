import Glibc

/// Rendered images: `cas/tree/deps-<hash>/{rootfs,manifest,hash}`, an image with its dependencies
/// applied in order (dependencies first, depth-first) and its pathWhitelist honoured. A tree is
/// rendered in a temporary directory and renamed into place complete.
struct TreeStore {
    let root: String

    init(root: String) throws {
        self.root = root
        try FileIO.makeDirectories(root)
    }

    /// The tree ID of an image rendered from `keys` (in render order): `deps-` and the first
    /// 64 hex digits of the SHA-512 of the keys joined by commas.
    func id(for keys: [String]) -> String {
        "deps-sha512-" + String(ContentHasher.hex(.sha512, of: Array(keys.joined(separator: ",").utf8)).prefix(64))
    }

    func path(_ id: String) -> String { "\(root)/\(id)" }

    func exists(_ id: String) -> Bool { access("\(path(id))/hash", F_OK) == 0 }

    /// Renders the images `keys` (lowest first; `layers` their blob paths) into the tree `id`,
    /// whose manifest is `manifest`.
    func render(id: String, keys: [String], layers: [String], manifest: [UInt8], whitelist: [String]) throws {
        let staging = try TemporaryDirectory(prefix: Self.stagingPrefix + id, parent: root)
        let rootfs = "\(staging.path)/rootfs"
        if mkdir(rootfs, 0o755) != 0 { throw SystemCallError("mkdir", path: rootfs) }
        let applier = try LayerApplier(root: rootfs)
        applier.allowDevices = geteuid() == 0
        applier.interpretWhiteouts = false
        applier.pathPrefix = "rootfs"
        if !whitelist.isEmpty {
            let allowed = Set(whitelist.map { ArchivePath.clean($0).drop { $0 == "/" } }.map(String.init))
            let directories = Set(allowed.flatMap { ArchivePath.ancestors(of: $0) })
            applier.include = { allowed.contains($0) || directories.contains($0) }
        }
        for layer in layers {
            let input = try InputFile(path: layer)
            try applier.apply(try input.archiveReader(), name: layer)
        }
        try FileIO.writeFile("\(staging.path)/manifest", manifest)
        try FileIO.writeFile("\(staging.path)/keys", Array(keys.joined(separator: "\n").utf8))
        try FileIO.writeFile("\(staging.path)/hash", Array(try TreeHasher.hash(rootfs).utf8))
        let target = path(id)
        if rename(staging.path, target) != 0 {
            // Another process rendered it meanwhile: keep theirs.
            if errno != EEXIST && errno != ENOTEMPTY { throw SystemCallError("rename render to", path: target) }
        }
    }

    /// Whether the tree still has the content it was rendered with.
    func verify(_ id: String) throws -> Bool {
        let stored = String(decoding: try FileIO.readFile("\(path(id))/hash", limit: 1024), as: UTF8.self)
        return try TreeHasher.hash("\(path(id))/rootfs") == stored
    }

    /// The images a tree was rendered from.
    func keys(_ id: String) throws -> [String] {
        String(decoding: try FileIO.readFile("\(path(id))/keys", limit: 1 << 20), as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }

    func remove(_ id: String) throws {
        try TreeRemover.remove(path(id))
    }

    func size(_ id: String) -> Int64 { (try? TreeHasher.size("\(path(id))/rootfs")) ?? 0 }

    /// Where a tree is rendered before it is renamed into place: `.render-<id>.XXXXXX`.
    static let stagingPrefix = ".render-"

    /// Unfinished renders (left by a killed process) with the tree ID each was for.
    func stagings() throws -> [(name: String, id: String)] {
        try DirectoryWalker.sortedNames(atPath: root).compactMap { name in
            guard name.hasPrefix(Self.stagingPrefix), let dot = name.lastIndex(of: ".") else { return nil }
            let id = name[name.index(name.startIndex, offsetBy: Self.stagingPrefix.count)..<dot]
            return id.isEmpty ? nil : (name, String(id))
        }
    }

    func removeStaging(_ name: String) throws {
        try TreeRemover.remove("\(root)/\(name)")
    }

    /// The IDs of every rendered tree.
    func all() throws -> [String] {
        try DirectoryWalker.sortedNames(atPath: root).filter { $0.hasPrefix("deps-") }
    }
}
