import Glibc

/// Prepares a pod directory: fetches the stage1 and the apps' images, writes the pod manifest,
/// places the stage1 (hard links to its rendered tree) and, for every app, its image manifest,
/// its rendered tree (the lower layer of its overlay) or a copy of it (`--no-overlay`).
public struct PodPreparer {
    public let fetcher: ImageFetcher
    public let registry: PodRegistry
    public let stage1Images: Stage1Images

    public init(fetcher: ImageFetcher, registry: PodRegistry, stage1Images: Stage1Images) {
        self.fetcher = fetcher
        self.registry = registry
        self.stage1Images = stage1Images
    }

    /// A prepared pod, still locked in `prepare/` (the caller moves it on).
    public func prepare(_ request: PodRequest) throws -> (pod: Pod, lock: PodLock) {
        let store = fetcher.store
        let stage1 = try stage1Images.image(request.stage1)
        let stage1Tree = try store.render(stage1)
        let manifest: PodManifest
        let manifestBytes: [UInt8]
        var fetched: [String: ImageRecord] = [:]
        if let path = request.podManifest {
            manifestBytes = try FileIO.readFile(path, limit: 16 << 20)
            do { manifest = try PodManifest.decode(manifestBytes) } catch { throw PodManifestError.invalidPodManifest(path: path, cause: error) }
            guard !(manifest.apps ?? []).isEmpty else { throw PodManifestError.emptyPodManifest }
        } else {
            guard !request.apps.isEmpty else { throw PodManifestError.noImages }
            let images = try request.apps.map { try fetcher.fetch($0.image, signature: $0.signature) }
            for image in images { fetched[image.key] = image }
            manifest = try PodManifestBuilder(request: request).build(images: images)
            manifestBytes = manifest.compactJSON
        }
        let (pod, lock) = try registry.create()
        let layout = pod.layout
        try FileIO.writeFile(layout.manifest, manifestBytes)
        try TreeCopier.copy(from: stage1Tree.rootfs, to: layout.stage1Rootfs, hardLinkFiles: true)
        try FileIO.writeFile(layout.stage1Manifest, Array(stage1.manifest))
        try FileIO.makeDirectories(layout.statusDirectory)
        if !request.noOverlay { try FileIO.writeFile(layout.overlayPrepared, []) }
        for app in manifest.apps ?? [] {
            guard let id = app.image.id, let record = try fetched[id.storeKey] ?? store.image(key: id.storeKey) else {
                throw PodManifestError.imageNotStored(app: app.name, image: app.image.id.map(\.description) ?? "?")
            }
            let name = app.name.value
            let tree = try store.render(record)
            try store.touch(record.key)
            try FileIO.makeDirectories(layout.appsInfo(name))
            if symlink(tree.path, layout.appTree(name)) != 0 { throw SystemCallError("symlink", path: layout.appTree(name)) }
            try FileIO.makeDirectories(layout.app(name))
            try FileIO.writeFile(layout.appManifest(name), Array(record.manifest))
            if request.noOverlay {
                try TreeCopier.copy(from: tree.rootfs, to: layout.appRootfs(name), hardLinkFiles: false)
            } else {
                try FileIO.makeDirectories(layout.appRootfs(name))
            }
        }
        return (pod, lock)
    }
}
