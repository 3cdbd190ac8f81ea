import Glibc

/// rkt's image store in a data directory (`/var/lib/rkt` by default): blobs, an SQLite index and
/// rendered trees. Images become visible only complete and checked; every change to an image
/// happens under its lock, so index rows and blobs always match, whatever runs concurrently.
public final class ImageStore: @unchecked Sendable {
    public let dataDirectory: String
    let blobs: BlobStore
    let index: StoreIndex
    let trees: TreeStore
    private let locks: String
    /// Where downloads wait until they are imported (on the store's file system).
    public let temporaryDirectory: String

    public init(dataDirectory: String) throws {
        self.dataDirectory = dataDirectory
        let cas = "\(dataDirectory)/cas"
        try FileIO.makeDirectories("\(cas)/db")
        locks = "\(dataDirectory)/locks"
        try FileIO.makeDirectories(locks)
        temporaryDirectory = "\(cas)/tmp"
        try FileIO.makeDirectories(temporaryDirectory)
        blobs = try BlobStore(root: "\(cas)/blob")
        trees = try TreeStore(root: "\(cas)/tree")
        index = try StoreIndex(path: "\(cas)/db/store.sqlite")
    }

    /// Imports an ACI (any compression). `check` sees the validated manifest before the image is
    /// stored (signature checks go there); if it throws, nothing is stored. Returns the record.
    @discardableResult
    public func importImage(_ input: InputFile, latest: Bool = false, check: (ImageManifest) throws -> Void = { _ in }) throws -> ImageRecord {
        let blob = try blobs.temporaryFile()
        let fd = blob.rawValue
        let hashing = HashingSink(downstream: FileSink(fileDescriptor: fd, name: "\(dataDirectory)/cas/blob"), algorithm: .sha512)
        let reader = try input.archiveReader(format: .raw)
        _ = try reader.next()
        try Interruption.check()
        try reader.copyData(to: hashing) {
            try Interruption.check()
            let (raw, uncompressed) = reader.bytesRead
            if uncompressed > LayerApplier.bombThreshold && uncompressed > LayerApplier.maximumExpansion * max(raw, 1) {
                throw StoreError.decompressionBomb(image: input.displayName, uncompressed: uncompressed, compressed: raw)
            }
        }
        try hashing.finish()
        let size = hashing.count
        let key = "sha512-" + String(hashing.digest().encoded.prefix(64))
        lseek(fd, 0, SEEK_SET)
        let image: (bytes: [UInt8], manifest: ImageManifest)
        do {
            image = try ImageArchiveScanner.scan(try ArchiveReader(fileDescriptor: dup(fd), name: input.displayName, ownsDescriptor: true))
        } catch {
            throw StoreError.invalidImage(image: input.displayName, cause: error)
        }
        try check(image.manifest)
        let now = WallClock.nanoseconds()
        var record = ImageRecord(key: key, name: image.manifest.name.value, labels: String(decoding: image.manifest.labels.compactJSON, as: UTF8.self),
                                 manifest: .init(image.bytes), importTime: now, lastUsed: now, size: size, treeStoreSize: 0, latest: latest)
        try withImageLock(key) {
            // An image fetched again keeps the size of the tree already rendered from it.
            record.treeStoreSize = try index.image(key)?.treeStoreSize ?? 0
            try blobs.commit(fd, key: key)
            try index.save(record)
        }
        return record
    }

    /// Stores an image given as a directory holding `rootfs/` (already flattened, for instance from
    /// OCI layers) and its manifest: the ACI is written from the tree, and the tree itself becomes
    /// the image's rendered tree. The directory must be on the store's file system; it is moved.
    @discardableResult
    public func importTree(_ directory: String, manifest: ImageManifest, check: (ImageManifest) throws -> Void = { _ in }) throws -> ImageRecord {
        let rootfs = "\(directory)/rootfs"
        // The tree's hash for `image verify` is computed on the other core while the image is written.
        let treeHash = BackgroundValue { try TreeHasher.hash(rootfs) }
        let blob = try blobs.temporaryFile()
        let fd = blob.rawValue
        let hashing = HashingSink(downstream: FileSink(fileDescriptor: fd, name: "\(dataDirectory)/cas/blob"), algorithm: .sha512)
        let writer = try ArchiveWriter(sink: hashing, compression: .none, name: "image")
        try TreeArchiver(hostOwnerNames: false).write(rootfs, prefix: "rootfs/", to: writer)
        let manifestBytes = manifest.compactJSON
        try writer.writeHeader(ArchiveEntry(path: "manifest", type: .regular, permissions: 0o644, size: Int64(manifestBytes.count),
                                            uid: 0, gid: 0, userName: "root", groupName: "root",
                                            modificationTime: ImageBuilder.sourceDateEpoch ?? 0))
        try writer.writeData(manifestBytes)
        try writer.finish()
        let size = hashing.count
        let key = "sha512-" + String(hashing.digest().encoded.prefix(64))
        try check(manifest)
        let now = WallClock.nanoseconds()
        let treeID = trees.id(for: [key])
        var record = ImageRecord(key: key, name: manifest.name.value, labels: String(decoding: manifest.labels.compactJSON, as: UTF8.self),
                                 manifest: .init(manifestBytes), importTime: now, lastUsed: now, size: size, treeStoreSize: 0, latest: false)
        try FileIO.writeFile("\(directory)/manifest", manifestBytes)
        try FileIO.writeFile("\(directory)/keys", Array(key.utf8))
        try FileIO.writeFile("\(directory)/hash", Array(try treeHash.get().utf8))
        record.treeStoreSize = try TreeHasher.size(rootfs)
        try withImageLock(key) {
            try blobs.commit(fd, key: key)
            try index.save(record)
        }
        try withTreeLock(treeID) {
            if !trees.exists(treeID) && rename(directory, trees.path(treeID)) != 0 {
                throw SystemCallError("move rendered tree to", path: trees.path(treeID))
            }
        }
        return record
    }

    /// A directory on the store's file system for building a tree to give to `importTree`, held
    /// (locked) until released; `collectGarbage` removes those a killed process left.
    public func stagingDirectory() throws -> StagingDirectory {
        try StagingDirectory(parent: trees.root)
    }

    /// Records where an image came from (for `Cache-Control` and ETag checks).
    public func saveRemote(_ remote: RemoteRecord) throws { try index.save(remote) }

    public func remote(_ url: String) throws -> RemoteRecord? { try index.remote(url) }

    /// Every image, oldest import first.
    public func images() throws -> [ImageRecord] { try index.images() }

    public func image(key: String) throws -> ImageRecord? { try index.image(key) }

    /// The image an argument names: a full or short ID (`sha512-…`), or `name[:version][,label=value]`
    /// (the newest import among matches; images fetched as "latest" first when no version is asked).
    public func resolve(_ argument: String) throws -> ImageRecord {
        if argument.hasPrefix("sha512-") { return try resolveID(argument) }
        let app: AppString
        do {
            app = try AppString(parsing: argument)
        } catch {
            throw StoreError.notAnImageReference(argument: argument, cause: error)
        }
        guard let record = try find(app) else { throw StoreError.noImage(argument: argument) }
        return record
    }

    /// The newest image matching a name and labels.
    public func find(_ app: AppString) throws -> ImageRecord? {
        let candidates = try index.images(named: app.name.value).filter { record in
            let labels = record.decodedLabels()
            return app.labels.allSatisfy { labels[$0.name.value] == $0.value }
        }
        let preferred = app["version"] == nil ? candidates.filter(\.latest) : []
        return (preferred.isEmpty ? candidates : preferred).max { $0.importTime < $1.importTime }
    }

    private func resolveID(_ argument: String) throws -> ImageRecord {
        let hex = argument.dropFirst("sha512-".count)
        guard hex.count >= 2 else { throw StoreError.imageIDTooShort(argument: argument) }
        guard hex.utf8.allSatisfy(\.isHexDigit) else { throw StoreError.invalidImageID(argument: argument) }
        let prefix = String(argument.lowercased().prefix(71))
        let keys = try index.keys(withPrefix: prefix, limit: 2)
        switch keys.count {
        case 0: throw StoreError.noImageID(argument: argument)
        case 1: return try index.image(keys[0])!
        default: throw StoreError.ambiguousImageID(argument: argument)
        }
    }

    /// The stored (uncompressed) image, open for reading. An image removed since it was looked up
    /// (by `image rm` or `image gc` in another process) is reported as such.
    public func openBlob(_ key: String) throws -> FileDescriptor {
        do {
            return try FileDescriptor.open(blobs.path(key), O_RDONLY)
        } catch let error as SystemCallError where error.code == ENOENT {
            throw StoreError.removedMeanwhile(key: key)
        }
    }

    /// The path of the stored image (for reading only).
    public func blobPath(_ key: String) -> String { blobs.path(key) }

    /// Marks an image as used now.
    public func touch(_ key: String) throws { try index.touch(key, at: WallClock.nanoseconds()) }

    /// Removes an image and its rendered trees, except `keepingTrees` (which pods stand on; image
    /// gc removes them once no pod does).
    public func remove(_ key: String, keepingTrees: Set<String> = []) throws {
        try withImageLock(key) {
            try index.deleteImage(key)
            try blobs.remove(key)
        }
        for tree in try trees.all() where !keepingTrees.contains(tree) && (try? trees.keys(tree))?.contains(key) == true {
            try withTreeLock(tree) { try trees.remove(tree) }
        }
    }

    /// A rendered image: its tree ID and the directory holding `rootfs/` and `manifest`.
    public struct RenderedImage: Sendable {
        public var treeID: String
        public var path: String
        public var rootfs: String { "\(path)/rootfs" }
    }

    /// Renders an image with its dependencies into the tree store (once; later calls reuse it).
    @discardableResult
    public func render(_ record: ImageRecord) throws -> RenderedImage {
        let order = try renderOrder(record)
        let keys = order.map(\.key)
        let id = trees.id(for: keys)
        if !trees.exists(id) {
            try withTreeLock(id) {
                guard !trees.exists(id) else { return }
                for key in keys where !blobs.exists(key) { throw StoreError.removedMeanwhile(key: key) }
                let manifest = try record.decodedManifest()
                do {
                    try trees.render(id: id, keys: keys, layers: keys.map(blobs.path), manifest: Array(record.manifest),
                                     whitelist: manifest.pathWhitelist)
                } catch {
                    // A blob removed between the check above and its reading.
                    if let gone = keys.first(where: { !blobs.exists($0) }) { throw StoreError.removedMeanwhile(key: gone) }
                    throw error
                }
            }
            try index.setTreeStoreSize(record.key, trees.size(id))
        }
        return RenderedImage(treeID: id, path: trees.path(id))
    }

    /// What `verifyTree` found.
    public enum TreeCheck: Sendable {
        case notRendered, intact, rebuilt
    }

    /// Re-hashes an image's rendered tree; a damaged tree is rendered again.
    public func verifyTree(_ record: ImageRecord) throws -> TreeCheck {
        let id = trees.id(for: try renderOrder(record).map(\.key))
        guard trees.exists(id) else { return .notRendered }
        if try trees.verify(id) { return .intact }
        try withTreeLock(id) { try trees.remove(id) }
        try render(record)
        return .rebuilt
    }

    /// The images to apply for `record`, dependencies first (depth-first: A→[B, C], C→[D] gives B, D, C, A).
    func renderOrder(_ record: ImageRecord) throws -> [ImageRecord] {
        var order: [ImageRecord] = []
        var visiting: Set<String> = []
        func visit(_ image: ImageRecord, depth: Int) throws {
            guard depth < 32, visiting.insert(image.key).inserted else {
                throw StoreError.circularDependencies(image: image.name)
            }
            defer { visiting.remove(image.key) }
            for dependency in try image.decodedManifest().dependencies {
                guard let found = try self.dependency(dependency) else {
                    throw StoreError.missingDependency(dependency: dependency.imageName, image: image.name)
                }
                try visit(found, depth: depth + 1)
            }
            if !order.contains(where: { $0.key == image.key }) { order.append(image) }
        }
        try visit(record, depth: 0)
        return order
    }

    /// The stored image a dependency names: by ID when given, else by name and labels.
    func dependency(_ dependency: Dependency) throws -> ImageRecord? {
        if let id = dependency.imageID {
            return try index.image(id.storeKey)
        }
        return try find(AppString(name: dependency.imageName, labels: dependency.labels.map { ($0.name, $0.value) }))
    }

    /// What `collectGarbage` removed.
    public struct Collected: Sendable {
        public var images: [ImageRecord] = []
        public var trees: [String] = []
        public var orphanBlobs: [String] = []
        /// Downloads (`cas/tmp`) and container-image imports (`cas/tree/.import.*`) no process held.
        public var abandoned: [String] = []
    }

    /// Removes images not used for `gracePeriod` seconds (except `inUse`), rendered trees of
    /// images no longer stored (except `treesInUse`, which pods stand on), and blobs left without
    /// an index row by a crash.
    public func collectGarbage(gracePeriod: Int64, inUse: Set<String>, treesInUse: Set<String> = []) throws -> Collected {
        var collected = Collected()
        let cutoff = WallClock.nanoseconds() - gracePeriod * 1_000_000_000
        for record in try index.images() where record.lastUsed < cutoff && !inUse.contains(record.key) {
            try remove(record.key, keepingTrees: treesInUse)
            collected.images.append(record)
        }
        let stored = Set(try index.images().map(\.key))
        for tree in try trees.all() where !treesInUse.contains(tree) {
            let keys = (try? trees.keys(tree)) ?? []
            if keys.isEmpty || !keys.allSatisfy(stored.contains) {
                try withTreeLock(tree) { try trees.remove(tree) }
                collected.trees.append(tree)
            }
        }
        // Renders a killed process left unfinished: their tree's lock is free.
        for staging in try trees.stagings() {
            if let lock = try FileLock.attempt(path: "\(locks)/tree-\(staging.id)", mode: .exclusive) {
                try trees.removeStaging(staging.name)
                withExtendedLifetime(lock) {}
            }
        }
        collected.abandoned = try removeAbandonedFiles()
        for key in try blobs.allKeys() where !stored.contains(key) {
            try withImageLock(key) {
                if try index.image(key) == nil {
                    try blobs.remove(key)
                    collected.orphanBlobs.append(key)
                }
            }
        }
        return collected
    }

    /// Removes what fetches that were killed left and no fetch holds now: partial downloads with
    /// their ETags (a part that could have been resumed too), and import directories. Returns
    /// their paths relative to the data directory.
    private func removeAbandonedFiles() throws -> [String] {
        var removed: [String] = []
        let downloads = Set(try DirectoryWalker.sortedNames(atPath: temporaryDirectory).compactMap { name in
            [PartialDownload.partSuffix, PartialDownload.etagSuffix].first(where: name.hasSuffix).map { String(name.dropLast($0.count)) }
        })
        for name in downloads.sorted() {
            if let part = try PartialDownload.attempt(name: name, in: temporaryDirectory) {
                part.remove()
                removed.append("cas/tmp/\(name)\(PartialDownload.partSuffix)")
            }
        }
        for name in try DirectoryWalker.sortedNames(atPath: trees.root) where name.hasPrefix(StagingDirectory.prefix + ".") {
            if try StagingDirectory.removeIfAbandoned(name, in: trees.root) { removed.append("cas/tree/\(name)") }
        }
        return removed
    }

    /// Runs `body` holding the image's lock.
    func withImageLock<T>(_ key: String, _ body: () throws -> T) throws -> T {
        let lock = try FileLock(path: "\(locks)/image-\(key)", mode: .exclusive)
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }

    func withTreeLock<T>(_ id: String, _ body: () throws -> T) throws -> T {
        let lock = try FileLock(path: "\(locks)/tree-\(id)", mode: .exclusive)
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }

    /// `PRAGMA integrity_check` of the index.
    public func integrityCheck() throws -> String { try index.integrityCheck() }
}
