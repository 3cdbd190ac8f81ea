import CLinux
import Glibc

/// Builds an app's root filesystem inside the pod's mount namespace: an overlay over its rendered
/// image (or the copy stage0 made), `/proc` (sensitive files masked), `/sys` read-only with the
/// app's own cgroups, a private `/dev`, `/etc/hosts` and `/etc/resolv.conf` when the image has
/// none, and the pod's volumes. Mount targets are resolved inside the rootfs, so an image's
/// symlinks cannot send a mount onto the host.
public struct AppFilesystem {
    public let layout: PodLayout
    public let app: RuntimeApp
    public let pod: PodManifest
    public let imageManifest: ImageManifest
    public let options: Stage1Options
    public var rootfs: String { layout.appRootfs(app.name.value) }

    public init(layout: PodLayout, app: RuntimeApp, pod: PodManifest, imageManifest: ImageManifest, options: Stage1Options) {
        self.layout = layout
        self.app = app
        self.pod = pod
        self.imageManifest = imageManifest
        self.options = options
    }

    /// The ns flavor: a fully private root. Device nodes in it cannot be opened (nodev), neither the
    /// image's nor those the app makes (CAP_MKNOD is in appc's default set, and this stage1 has no
    /// device cgroup): its /dev is a nodev tmpfs holding bind mounts of the host's few devices.
    public func prepareIsolated(cgroups: [String: String], hostname: String) throws {
        try mountRootfs(flags: rkt_ms_nodev)
        let root = try RootDirectory(rootfs)
        try mountProc(root)
        try mountSys(root, cgroups: cgroups)
        try mountDev(root)
        try writeEtcFiles(root, hostname: hostname)
        try mountVolumes(root)
        if app.readOnlyRootFS { try FileSystem.mount(nil, rootfs, type: nil, flags: rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly | rkt_ms_nodev) }
    }

    /// The fly flavor: the host's /dev, /proc and /sys, a private /tmp.
    public func prepareFly() throws {
        try mountRootfs(flags: 0)
        let root = try RootDirectory(rootfs)
        for path in ["/dev", "/proc", "/sys"] {
            try FileSystem.mount(path, try root.target(path, file: false), type: nil, flags: rkt_ms_bind | rkt_ms_rec)
        }
        try FileSystem.mount("tmpfs", try root.target("/tmp", file: false), type: "tmpfs", flags: rkt_ms_nosuid | rkt_ms_nodev, data: "mode=1777")
        try mountVolumes(root)
    }

    private func mountRootfs(flags: UInt) throws {
        let name = app.name.value
        if FileSystem.exists(layout.overlayPrepared) {
            try FileSystem.makeDirectories(layout.overlayUpper(name))
            try FileSystem.makeDirectories(layout.overlayWork(name))
            // Paths relative to the pod directory (the working directory): the options show in the
            // app's /proc/self/mountinfo, and host paths must not.
            let local = PodLayout(root: ".")
            try FileSystem.mount("overlay", rootfs, type: "overlay", flags: flags,
                                 data: "lowerdir=\(local.appTree(name))/rootfs,upperdir=\(local.overlayUpper(name)),workdir=\(local.overlayWork(name))")
        } else {
            // A copy: bound onto itself so it is a mount point (pivot_root needs one).
            try FileSystem.mount(rootfs, rootfs, type: nil, flags: rkt_ms_bind | rkt_ms_rec)
            if flags != 0 { try FileSystem.mount(nil, rootfs, type: nil, flags: rkt_ms_remount | rkt_ms_bind | flags) }
        }
    }

    private func mountProc(_ root: RootDirectory) throws {
        try FileSystem.mount("proc", try root.target("/proc", file: false), type: "proc", flags: rkt_ms_nosuid | rkt_ms_nodev | rkt_ms_noexec)
        guard !options.disablePaths else { return }
        // Paths are resolved again after each mount, so they reach into what was just mounted.
        for masked in ["kcore", "keys", "timer_list", "sched_debug", "latency_stats", "kallsyms"] {
            guard let path = root.existing("/proc/\(masked)") else { continue }
            try FileSystem.mount("/dev/null", path, type: nil, flags: rkt_ms_bind)
        }
        for readOnly in ["sys", "sysrq-trigger", "irq", "bus", "fs"] {
            guard let path = root.existing("/proc/\(readOnly)") else { continue }
            try FileSystem.mount(path, path, type: nil, flags: rkt_ms_bind | rkt_ms_rec)
            guard let bound = root.existing("/proc/\(readOnly)") else { continue }
            try FileSystem.mount(nil, bound, type: nil, flags: rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly)
        }
    }

    private func mountSys(_ root: RootDirectory, cgroups: [String: String]) throws {
        let sys = try root.target("/sys", file: false)
        let flags = rkt_ms_nosuid | rkt_ms_nodev | rkt_ms_noexec | rkt_ms_rdonly
        if options.hostNetwork {
            // A new sysfs needs its own network namespace: bind the host's, read-only.
            try FileSystem.mount("/sys", sys, type: nil, flags: rkt_ms_bind | rkt_ms_rec)
            try FileSystem.mount(nil, try root.target("/sys", file: false), type: nil, flags: rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly)
        } else {
            try FileSystem.mount("sysfs", sys, type: "sysfs", flags: flags)
        }
        guard let cgroupRoot = root.existing("/sys/fs/cgroup") else { return }
        // The app sees its own cgroups (limits readable), read-only, where a cgroup hierarchy belongs,
        // and nothing else: a host's /sys (--net=host) would show the host's hierarchies there.
        try FileSystem.mount("tmpfs", cgroupRoot, type: "tmpfs", flags: rkt_ms_nosuid | rkt_ms_nodev | rkt_ms_noexec, data: "mode=755")
        if let unified = cgroups[""] {
            try bindReadOnly(unified, "/sys/fs/cgroup", root)
        } else {
            for (controller, directory) in cgroups.sorted(by: { $0.key < $1.key }) {
                // Named as the hierarchy's mount point (`cpu,cpuacct`), with a link for the controller.
                let parts = directory.split(separator: "/")  // …/<mount name>/rkt-suite/<pod>/<app>
                let name = parts.count > 3 ? String(parts[parts.count - 4]) : controller
                try bindReadOnly(directory, "/sys/fs/cgroup/\(name)", root)
                if name != controller, let tmpfs = root.existing("/sys/fs/cgroup") {
                    symlink(name, "\(tmpfs)/\(controller)")
                }
            }
        }
        try FileSystem.mount(nil, try root.target("/sys/fs/cgroup", file: false), type: nil,
                             flags: rkt_ms_remount | rkt_ms_rdonly | rkt_ms_nosuid | rkt_ms_nodev | rkt_ms_noexec)
    }

    private func mountDev(_ root: RootDirectory) throws {
        try FileSystem.mount("tmpfs", try root.target("/dev", file: false), type: "tmpfs", flags: rkt_ms_nosuid | rkt_ms_nodev, data: "mode=755")
        let dev = try root.target("/dev", file: false)
        for name in ["null", "zero", "full", "random", "urandom", "tty"] {
            try FileSystem.mount("/dev/\(name)", try root.target("/dev/\(name)", file: true), type: nil, flags: rkt_ms_bind)
        }
        let console = options.interactive && isatty(0) == 1 ? ttyName() ?? "/dev/null" : "/dev/null"
        try FileSystem.mount(console, try root.target("/dev/console", file: true), type: nil, flags: rkt_ms_bind)
        try FileSystem.mount("devpts", try root.target("/dev/pts", file: false), type: "devpts", flags: rkt_ms_nosuid | rkt_ms_noexec,
                             data: "newinstance,ptmxmode=0666,mode=0620")
        try FileSystem.mount("shm", try root.target("/dev/shm", file: false), type: "tmpfs", flags: rkt_ms_nosuid | rkt_ms_nodev, data: "mode=1777")
        for (link, target) in [("ptmx", "pts/ptmx"), ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                               ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")] {
            symlink(target, "\(dev)/\(link)")
        }
    }

    private func ttyName() -> String? {
        guard let name = ttyname(0) else { return nil }
        return String(cString: name)
    }

    /// `/etc/hosts` and `/etc/resolv.conf` as `--dns-conf-mode` says: `host`, the host's file;
    /// `stage0`, what stage0 wrote for --dns… and --hosts-entry (replacing the image's file, as
    /// rkt's prepare-app did; hosts after localhost and the pod's hostname); `none` (resolv.conf),
    /// the image's file or none; `default`, the image's file, else localhost and the pod's
    /// hostname / the host's resolver configuration.
    private func writeEtcFiles(_ root: RootDirectory, hostname: String) throws {
        let localhost = Array("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t\(hostname)\n".utf8)
        // The host's file (empty when it has none); stage0's, which the mode says it wrote.
        let host = { (path: String) in (try? FileSystem.read(path)) ?? [] }
        switch options.hostsMode ?? (FileSystem.exists(layout.hostsFile) ? .stage0 : .default) {
        case .host: try root.replaceFile("/etc/hosts", with: host("/etc/hosts"))
        case .stage0: try root.replaceFile("/etc/hosts", with: localhost + (try FileSystem.read(layout.hostsFile)))
        case .none, .default: if root.existing("/etc/hosts") == nil { try root.replaceFile("/etc/hosts", with: localhost) }
        }
        switch options.resolvMode ?? (FileSystem.exists(layout.resolvConfFile) ? .stage0 : .default) {
        case .host: try root.replaceFile("/etc/resolv.conf", with: host("/etc/resolv.conf"))
        case .stage0: try root.replaceFile("/etc/resolv.conf", with: try FileSystem.read(layout.resolvConfFile))
        case .none: break
        case .default: if root.existing("/etc/resolv.conf") == nil { try root.replaceFile("/etc/resolv.conf", with: host("/etc/resolv.conf")) }
        }
    }

    private func mountVolumes(_ root: RootDirectory) throws {
        let app = self.app.app ?? imageManifest.app
        for mount in self.app.mounts {
            guard let volume = mount.appVolume ?? pod.volumes?.first(where: { $0.name == mount.volume }) else {
                throw Stage1Error("app \(self.app.name): mount of volume \(mount.volume), which the pod does not define")
            }
            let readOnly = volume.readOnly == true || app?.mountPoints.first { $0.path == mount.path }?.readOnly == true
            let source: String
            switch volume.kind {
            case .host:
                var info = stat()
                guard lstat(volume.source, &info) == 0 else {
                    throw Stage1Error("Failed to stat \(volume.source): \(String(cString: strerror(errno)))")
                }
                guard info.st_mode & S_IFMT != S_IFLNK else { throw Stage1Error("host volume \(volume.name): source \(volume.source) is a symlink") }
                source = volume.source
            case .empty:
                source = layout.sharedVolume(volume.name.value)
                if !FileSystem.isDirectory(source) {
                    try FileSystem.makeDirectories(source)
                    chmod(source, mode_t(volume.mode.flatMap { UInt32($0, radix: 8) } ?? 0o755))
                    chown(source, uid_t(volume.uid ?? 0), gid_t(volume.gid ?? 0))
                }
            }
            let target = try root.target(mount.path, file: !FileSystem.isDirectory(source))
            let recursive = volume.recursive ?? true
            try FileSystem.mount(source, target, type: nil, flags: rkt_ms_bind | (recursive ? rkt_ms_rec : 0))
            // A host volume may be a device the user hands the app; an empty one holds none.
            let restrictions = (readOnly ? rkt_ms_rdonly : 0) | (volume.kind == .empty ? rkt_ms_nodev : 0)
            if restrictions != 0 {
                try FileSystem.mount(nil, try root.target(mount.path, file: false), type: nil, flags: rkt_ms_remount | rkt_ms_bind | restrictions)
            }
        }
    }

    private func bindReadOnly(_ source: String, _ inside: String, _ root: RootDirectory) throws {
        try FileSystem.mount(source, try root.target(inside, file: false), type: nil, flags: rkt_ms_bind)
        try FileSystem.mount(nil, try root.target(inside, file: false), type: nil, flags: rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly)
    }
}

/// An app's rootfs, where paths are resolved without leaving it (openat2 RESOLVE_IN_ROOT). The
/// descriptors it opens are closed with it, so the long-lived pod init keeps none.
final class RootDirectory {
    let path: String
    let fd: Int32
    private var opened: [Int32] = []

    init(_ path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw Stage1Error("open \(path): \(String(cString: strerror(errno)))") }
    }

    deinit {
        opened.forEach { close($0) }
        close(fd)
    }

    /// A mount target for `inside` (created if missing), as `/proc/self/fd/N` of a descriptor
    /// resolved within the rootfs.
    func target(_ inside: String, file: Bool) throws -> String {
        let target = rkt_open_path_in_root(fd, inside, 1, file ? 1 : 0)
        if target < 0 { throw Stage1Error("cannot create \(inside) in the app's rootfs: \(String(cString: strerror(errno)))") }
        opened.append(target)
        return "/proc/self/fd/\(target)"
    }

    /// Puts a new regular file holding `content` at `inside`, in place of whatever the image has
    /// there: an image's /etc/hosts may be a device node or FIFO (written through, stage1 would
    /// write to a host device, or hang) or a symlink to a file that is not there.
    func replaceFile(_ inside: String, with content: [UInt8]) throws {
        let slash = inside.lastIndex(of: "/") ?? inside.startIndex
        let parent = try target(slash == inside.startIndex ? "/" : String(inside[..<slash]), file: false)
        let directory = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory < 0 { throw Stage1Error("open \(inside)'s directory in the app's rootfs: \(String(cString: strerror(errno)))") }
        defer { close(directory) }
        let name = String(inside[inside.index(after: slash)...])
        if unlinkat(directory, name, 0) != 0 && errno != ENOENT {
            throw Stage1Error("cannot replace \(inside) in the app's rootfs: \(String(cString: strerror(errno)))")
        }
        let fd = openat(directory, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd < 0 { throw Stage1Error("cannot create \(inside) in the app's rootfs: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try FileSystem.writeAll(fd, content, path: "\(inside) in the app's rootfs")
    }

    /// Like `target`, for a path that must already exist; nil when it does not.
    func existing(_ inside: String) -> String? {
        let target = rkt_openat_in_root(fd, inside, O_RDONLY | 0o10000000, 0)
        guard target >= 0 else { return nil }
        opened.append(target)
        return "/proc/self/fd/\(target)"
    }
}
