import CLinux
import Glibc

/// `rkt export`: an exited pod's app written as an ACI — the app's image manifest and its root
/// filesystem as the app left it (the overlay's changes over the image, or the copied tree of a
/// `--no-overlay` pod). The output is gzip-compressed, as rkt's, and appears only once complete.
public struct PodExporter {
    public init() {}

    /// Exports `app` (or the pod's only app) of an exited pod to `path`.
    public func export(_ pod: Pod, app: String?, to path: String, overwrite: Bool) throws {
        guard pod.state.isExited else {
            throw PodError.notExited(pod.uuid, state: pod.state)
        }
        let lock = try PodLock(directory: pod.directory)
        guard try lock.tryLock() else { throw PodError.inUse(pod.uuid) }
        let name = try appName(app, in: try pod.manifest())
        let layout = pod.layout
        if FileIO.exists(layout.overlayPrepared) {
            try mountMergedRootfs(name, of: layout)
        }
        let image = try ImageLayout(directory: layout.app(name))
        let output = try AtomicOutput(path: path, overwrite: overwrite)
        try ImageBuilder(compression: .gzip).build(image, to: FileSink(fileDescriptor: output.fileDescriptor, name: path), name: path)
        try output.commit()
    }

    private func appName(_ requested: String?, in manifest: PodManifest) throws -> String {
        let names = (manifest.apps ?? []).map { $0.name.value }
        if let requested {
            guard names.contains(requested) else { throw PodError.noSuchApp(requested, apps: names) }
            return requested
        }
        guard names.count == 1 else {
            throw PodError.appRequired(apps: names)
        }
        return names[0]
    }

    /// Mounts a read-only overlay of the app's changes over its image tree on the app's rootfs
    /// directory, in a mount namespace of this process alone: it vanishes with the process, even a
    /// killed one, and the host never sees it.
    private func mountMergedRootfs(_ app: String, of layout: PodLayout) throws {
        if rkt_unshare(rkt_clone_newns) != 0 { throw SystemCallError("unshare mount namespace", path: "") }
        try Mount.mount(nil, "/", type: nil, flags: rkt_ms_rec | rkt_ms_private)
        let lower = "\(layout.appTree(app))/rootfs"
        guard FileIO.isDirectory(lower) else { throw PodError.missingImageTree(app: app) }
        let upper = layout.overlayUpper(app)
        guard FileIO.isDirectory(upper) else {
            // The app never ran: the image tree is all there is.
            return try Mount.mount(lower, layout.appRootfs(app), type: nil, flags: rkt_ms_bind | rkt_ms_rec)
        }
        try Mount.mount("overlay", layout.appRootfs(app), type: "overlay", flags: rkt_ms_rdonly, data: "lowerdir=\(upper):\(lower)")
    }
}
