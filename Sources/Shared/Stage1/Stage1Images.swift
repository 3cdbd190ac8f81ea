import Glibc

/// Finds and stores the stage1 image a pod runs with. The built-in flavors are made on the fly from
/// the `stage1` executable built next to `rkt`: a small image whose entrypoints (`run`, `enter`,
/// `stop`, `gc`) are links to it, stored once per build of the executable.
public struct Stage1Images {
    public let fetcher: ImageFetcher
    /// The directory of the running `rkt`, where the built-in stage1 executable is looked for.
    public let toolsDirectory: String

    public init(fetcher: ImageFetcher, toolsDirectory: String) {
        self.fetcher = fetcher
        self.toolsDirectory = toolsDirectory
    }

    /// The stored stage1 image for a selection.
    public func image(_ selection: Stage1Selection) throws -> ImageRecord {
        switch selection {
        case .builtin(let flavor): return try builtin(flavor)
        case .path(let path): return try fetcher.fetch(path)
        case .url(let url): return try fetcher.fetch(url)
        case .name(let name):
            if let flavor = Self.builtinFlavor(name) { return try builtin(flavor) }
            return try fetcher.store.resolve(name)
        case .hash(let hash): return try fetcher.store.resolve(hash)
        case .fromDirectory(let file):
            guard let directory = fetcher.config.stage1ImagesDirectory else {
                throw Stage1ImageError.noImagesDirectory
            }
            return try installed.fetch("\(directory)/\(file)")
        case .configured(let name, let version, let location):
            // stage1.d may give only a location (name and version come together or not at all).
            if !name.isEmpty {
                if let flavor = Self.builtinFlavor(name) { return try builtin(flavor) }
                let app = AppString(name: try ACIdentifier(name), labels: [(try ACIdentifier("version"), version)])
                if let stored = try fetcher.store.find(app) { return stored }
            }
            guard !location.isEmpty else { throw Stage1ImageError.configuredImageUnavailable(name: name, version: version) }
            if location.hasPrefix("/") { return try installed.fetch(location) }
            if location.hasPrefix("file://") { return try installed.fetch(String(location.dropFirst("file://".count))) }
            return try fetcher.fetch(location)
        }
    }

    /// The fetcher for stage1 images that come with the installation (the stage1-images directory
    /// and a local `stage1.d` default): their signatures are not asked for, as rkt did.
    private var installed: ImageFetcher {
        var trusted = fetcher
        trusted.insecure.insert(.image)
        return trusted
    }

    /// What the names of the built-in stage1 images start with (the flavor follows).
    static let builtinNamePrefix = "rkt-suite.local/stage1-"

    /// `fly`, `ns`, or the built-in images' names (rkt's `coreos.com/rkt/stage1-fly` too), any version.
    static func builtinFlavor(_ name: String) -> Flavor? {
        let base = String(name.prefix { $0 != ":" })
        for flavor in [Flavor.ns, .fly] where [flavor.rawValue, Self.builtinNamePrefix + flavor.rawValue].contains(base) {
            return flavor
        }
        return base == "coreos.com/rkt/stage1-fly" ? .fly : nil
    }

    private func builtin(_ flavor: Flavor) throws -> ImageRecord {
        let binary = "\(toolsDirectory)/stage1"
        var info = stat()
        guard stat(binary, &info) == 0 else {
            throw Stage1ImageError.builtinMissing(path: binary)
        }
        let name = try ACIdentifier(Self.builtinNamePrefix + flavor.rawValue)
        let version = "\(SuiteVersion.current)-\(info.st_ino)-\(info.st_mtim.tv_sec)-\(info.st_size)"
        if let stored = try fetcher.store.find(AppString(name: name, labels: [(try ACIdentifier("version"), version)])) {
            return stored
        }
        let staging = try fetcher.store.stagingDirectory()
        let rootfs = "\(staging.path)/image/rootfs"
        try FileIO.makeDirectories(rootfs)
        try TreeCopier.copyFile(binary, "\(rootfs)/stage1", mode: 0o555)
        for entrypoint in ["run", "enter", "stop", "gc"] where symlink("stage1", "\(rootfs)/\(entrypoint)") != 0 {
            throw SystemCallError("symlink", path: "\(rootfs)/\(entrypoint)")
        }
        try FileIO.writeFile("\(rootfs)/flavor", Array("\(flavor.rawValue)\n".utf8))
        let annotations = try Annotations([
            Annotation(name: try ACIdentifier(Stage1Selection.runAnnotation), value: "/run"),
            Annotation(name: try ACIdentifier(Stage1Selection.enterAnnotation), value: "/enter"),
            Annotation(name: try ACIdentifier(Stage1Selection.gcAnnotation), value: "/gc"),
            Annotation(name: try ACIdentifier(Stage1Selection.stopAnnotation), value: "/stop"),
            Annotation(name: try ACIdentifier(Stage1Selection.interfaceVersionAnnotation), value: "6"),
        ])
        let labels = try Labels([Label(name: try ACIdentifier("version"), value: version),
                                 Label(name: try ACIdentifier("os"), value: OSArch.host.os),
                                 Label(name: try ACIdentifier("arch"), value: OSArch.host.arch)])
        let manifest = ImageManifest(name: name, labels: labels, annotations: annotations)
        return try fetcher.store.importTree("\(staging.path)/image", manifest: manifest)
    }
}
