import CLinux
import Glibc

/// Builds an app's root filesystem in stage1's mount namespace: an overlay over its rendered
/// image (or the copy stage0 made), `/proc` of the pod's pid namespace (what runc masks masked,
/// kernel tunables read-only), `/sys` read-only with the app's own cgroups, a private `/dev`,
/// `/etc/hosts` and `/etc/resolv.conf`, and the pod's volumes. Mount targets are resolved inside
/// the rootfs, so an image's symlinks cannot send a mount onto the host.
public struct AppFilesystem {
    public let layout: PodLayout
    public let app: RuntimeApp
    public let pod: PodManifest
    public let imageManifest: ImageManifest
    public let options: Stage1Options
    public var rootfs: String { layout.appRootfs(app.name.value) }

    /// Files of /proc and /sys that show the host (kernel memory, keys, timers, firmware) or act
    /// on it: masked, as runc masks them; /proc/kmsg and /proc/kallsyms too.
    static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/proc/kallsyms", "/proc/kmsg",
        "/sys/firmware", "/sys/devices/virtual/powercap",
    ]
    /// Kernel tunables and triggers: read-only, as runc has them.
    static let readOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    public init(layout: PodLayout, app: RuntimeApp, pod: PodManifest, imageManifest: ImageManifest, options: Stage1Options) {
        self.layout = layout
        self.app = app
        self.pod = pod
        self.imageManifest = imageManifest
        self.options = options
    }

    /// The ns flavor: a fully private root. Device nodes in it cannot be opened (nodev), neither
    /// the image's nor those the app makes (CAP_MKNOD is in appc's default set); its /dev is a
    /// nodev tmpfs holding bind mounts of the host's few devices, and the pod's device cgroup
    /// refuses the rest. `procfs` gives the pod's procfs (as late as possible: the pod's init makes
    /// it meanwhile), attached (`copy`: a copy of it). `console` is the pod's terminal, if it has one.
    public func prepareIsolated(procfs: () throws -> Int32, copy: Bool, cgroups: [String: String], hostname: String, console: String?) throws {
        try mountRootfs(flags: rkt_ms_nodev)
        let root = try RootDirectory(rootfs)
        try mountSys(root, cgroups: cgroups)
        try mountDev(root, console: console)
        try writeEtcFiles(root, hostname: hostname)
        if rkt_attach_mount(try procfs(), try root.targetDescriptor("/proc", file: false), copy ? 1 : 0) != 0 {
            throw SystemCallError("cannot mount /proc in", path: rootfs)
        }
        if !options.disablePaths { try protectKernelFiles(root) }
        try mountVolumes(root)
        if app.readOnlyRootFS { try Mount.mount(nil, rootfs, type: nil, flags: rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly | rkt_ms_nodev) }
    }

    /// The fly flavor: the host's /dev, /proc and /sys, a private /tmp.
    public func prepareFly() throws {
        try mountRootfs(flags: 0)
        let root = try RootDirectory(rootfs)
        for path in ["/dev", "/proc", "/sys"] {
            try Mount.mount(path, try root.target(path, file: false), type: nil, flags: rkt_ms_bind | rkt_ms_rec)
        }
        try Mount.mount("tmpfs", try root.target("/tmp", file: false), type: "tmpfs", flags: rkt_ms_nosuid | rkt_ms_nodev, data: "mode=1777")
        try mountVolumes(root)
    }

    /// The device nodes the pod's host volumes hand over, as device rules (rkt's behaviour: a
    /// volume whose source is a device gives the app that device, read-only if the volume is).
    public static func volumeDevices(of pod: PodManifest) -> [DeviceRule] {
        (pod.volumes ?? []).compactMap { volume in
            var info = stat()
            guard volume.kind == .host, lstat(volume.source, &info) == 0 else { return nil }
            return DeviceRule(node: info, readOnly: volume.readOnly == true)
        }
    }

    private func mountRootfs(flags: UInt) throws {
        let name = app.name.value
        if FileIO.exists(layout.overlayPrepared) {
            try FileIO.makeDirectories(layout.overlayUpper(name))
            try FileIO.makeDirectories(layout.overlayWork(name))
            // Paths relative to the pod directory (the working directory): the options show in the
            // app's /proc/self/mountinfo, and host paths must not.
            let local = PodLayout(root: ".")
            try Mount.mount("overlay", rootfs, type: "overlay", flags: flags,
                                 data: "lowerdir=\(local.appTree(name))/rootfs,upperdir=\(local.overlayUpper(name)),workdir=\(local.overlayWork(name))")
        } else {
            // A copy: bound onto itself so it is a mount point (pivot_root needs one).
            try Mount.mount(rootfs, rootfs, type: nil, flags: rkt_ms_bind | rkt_ms_rec)
            if flags != 0 { try Mount.mount(nil, rootfs, type: nil, flags: rkt_ms_remount | rkt_ms_bind | flags) }
        }
    }

    /// Masks and read-only binds over /proc and /sys. Each path is resolved once, after what it is
    /// in was mounted; a file is masked with /dev/null, a directory with an empty tmpfs.
    private func protectKernelFiles(_ root: RootDirectory) throws {
        for masked in Self.maskedPaths {
            guard let target = root.existingDescriptor(masked) else { continue }
            var info = stat()
            guard fstat(target, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                try Mount.mount("tmpfs", "/proc/self/fd/\(target)", type: "tmpfs", flags: rkt_ms_rdonly | rkt_ms_nosuid | rkt_ms_nodev | rkt_ms_noexec, data: "size=0")
            } else {
                try bindDevice("/dev/null", onto: target, masked)
            }
        }
        for readOnly in Self.readOnlyPaths {
            guard let target = root.existingDescriptor(readOnly) else { continue }
            if rkt_bind_tree(target, 1, rkt_mount_attr_rdonly, target) != 0 {
                throw SystemCallError("cannot make read-only", path: readOnly)
            }
        }
    }

    private func mountSys(_ root: RootDirectory, cgroups: [String: String]) throws {
        // A sysfs of its own, as runc mounts it (with --net=host too: the host's /sys would bring
        // what is mounted below it, tracefs or debugfs).
        try Mount.mount("sysfs", try root.target("/sys", file: false), type: "sysfs",
                             flags: rkt_ms_nosuid | rkt_ms_nodev | rkt_ms_noexec | rkt_ms_rdonly)
        guard let cgroupRoot = root.existing("/sys/fs/cgroup") else { return }
        // The app sees its own cgroups (limits readable), read-only, where a cgroup hierarchy belongs,
        // and nothing else: a host's /sys (--net=host) would show the host's hierarchies there.
        try Mount.mount("tmpfs", cgroupRoot, type: "tmpfs", flags: rkt_ms_nosuid | rkt_ms_nodev | rkt_ms_noexec, data: "mode=755")
        if let unified = cgroups[""] {
            try bindReadOnly(unified, "/sys/fs/cgroup", root)
        } else {
            for (controller, directory) in cgroups.sorted(by: { $0.key < $1.key }) {
                // Named as the hierarchy's mount point (`cpu,cpuacct`), with a link for the controller.
                let name = Self.hierarchyName(of: directory) ?? controller
                try bindReadOnly(directory, "/sys/fs/cgroup/\(name)", root)
                if name != controller, let tmpfs = root.existing("/sys/fs/cgroup") {
                    symlink(name, "\(tmpfs)/\(controller)")
                }
            }
        }
        // A bind remount changes this mount alone: on cgroup v2 the top one here is the bind of the
        // app's cgroup, and a plain remount would make the host's whole hierarchy read-only.
        try Mount.mount(nil, try root.target("/sys/fs/cgroup", file: false), type: nil,
                             flags: rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly | rkt_ms_nosuid | rkt_ms_nodev | rkt_ms_noexec)
    }

    /// The hierarchy's mount point name in `…/<mount name>/rkt-suite/<pod>[/<app>]`.
    static func hierarchyName(of directory: String) -> String? {
        let parts = directory.split(separator: "/")
        guard let suite = parts.lastIndex(of: "rkt-suite"), suite > 0 else { return nil }
        return String(parts[suite - 1])
    }

    private func mountDev(_ root: RootDirectory, console: String?) throws {
        try Mount.mount("tmpfs", try root.target("/dev", file: false), type: "tmpfs", flags: rkt_ms_nosuid | rkt_ms_nodev, data: "mode=755")
        let dev = try root.target("/dev", file: false)
        for name in ["null", "zero", "full", "random", "urandom", "tty"] {
            try bindDevice("/dev/\(name)", onto: try root.targetDescriptor("/dev/\(name)", file: true), "/dev/\(name)")
        }
        try bindDevice(console ?? "/dev/null", onto: try root.targetDescriptor("/dev/console", file: true), "/dev/console")
        try Mount.mount("devpts", try root.target("/dev/pts", file: false), type: "devpts", flags: rkt_ms_nosuid | rkt_ms_noexec,
                             data: "newinstance,ptmxmode=0666,mode=0620")
        // Docker's default size: shared memory is the pod's memory, not the host's.
        try Mount.mount("shm", try root.target("/dev/shm", file: false), type: "tmpfs", flags: rkt_ms_nosuid | rkt_ms_nodev | rkt_ms_noexec,
                             data: "mode=1777,size=64m")
        for (link, target) in [("ptmx", "pts/ptmx"), ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                               ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")] {
            symlink(target, "\(dev)/\(link)")
        }
    }

    /// A host device node bound onto `target` (`inside` the app's root), read-only: the node's
    /// mode, owner and times are the host's and must not change from the pod (reading and writing
    /// the device do not need a writable mount).
    private func bindDevice(_ device: String, onto target: Int32, _ inside: String) throws {
        guard let source = FileDescriptor(checking: open(device, rkt_o_path | O_CLOEXEC)) else { throw SystemCallError("open", path: device) }
        if rkt_bind_tree(source.rawValue, 0, rkt_mount_attr_rdonly | rkt_mount_attr_nosuid | rkt_mount_attr_noexec, target) != 0 {
            throw SystemCallError("cannot bind \(device) on", path: inside)
        }
    }

    /// `/etc/hosts` and `/etc/resolv.conf` as `--dns-conf-mode` says: `host`, the host's file;
    /// `stage0`, what stage0 wrote for --dns… and --hosts-entry (replacing the image's file, as
    /// rkt's prepare-app did; hosts after localhost and the pod's hostname); `none` (resolv.conf),
    /// the image's file or none; `default`, the image's file, else localhost and the pod's
    /// hostname / the host's resolver configuration.
    private func writeEtcFiles(_ root: RootDirectory, hostname: String) throws {
        let localhost = Array("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t\(hostname)\n".utf8)
        // The host's file (empty when it has none); stage0's, which the mode says it wrote.
        let host = { (path: String) in (try? FileIO.readFile(path)) ?? [] }
        switch options.hostsMode ?? (FileIO.exists(layout.hostsFile) ? .stage0 : .default) {
        case .host: try root.replaceFile("/etc/hosts", with: host("/etc/hosts"))
        case .stage0: try root.replaceFile("/etc/hosts", with: localhost + (try FileIO.readFile(layout.hostsFile)))
        case .none, .default: if root.existing("/etc/hosts") == nil { try root.replaceFile("/etc/hosts", with: localhost) }
        }
        switch options.resolvMode ?? (FileIO.exists(layout.resolvConfFile) ? .stage0 : .default) {
        case .host: try root.replaceFile("/etc/resolv.conf", with: host("/etc/resolv.conf"))
        case .stage0: try root.replaceFile("/etc/resolv.conf", with: try FileIO.readFile(layout.resolvConfFile))
        case .none: break
        case .default:
            // A network's DNS (written by stage1 as rkt-resolv.conf) comes first, as in rkt.
            if FileIO.exists(layout.resolvConfFile) {
                try root.replaceFile("/etc/resolv.conf", with: try FileIO.readFile(layout.resolvConfFile))
            } else if root.existing("/etc/resolv.conf") == nil {
                try root.replaceFile("/etc/resolv.conf", with: host("/etc/resolv.conf"))
            }
        }
    }

    private func mountVolumes(_ root: RootDirectory) throws {
        let app = self.app.app ?? imageManifest.app
        for mount in self.app.mounts {
            guard let volume = mount.appVolume ?? pod.volumes?.first(where: { $0.name == mount.volume }) else {
                throw Stage1Error.undefinedVolume(app: self.app.name.value, volume: mount.volume.value)
            }
            let readOnly = volume.readOnly == true || app?.mountPoints.first { $0.path == mount.path }?.readOnly == true
            var sources = DescriptorSet()
            defer { sources.closeAll() }
            let source: Int32
            // Device nodes on a volume open only where the user handed a device over (the volume's
            // source is one) or asked for no protection (--insecure-options=paths, as in rkt).
            var devices = false
            switch volume.kind {
            case .host:
                // The source is looked at and bound through one descriptor: what is checked is what is mounted.
                var info = stat()
                source = open(volume.source, rkt_o_path | O_NOFOLLOW | O_CLOEXEC)
                if source >= 0 { sources.adopt(source) }
                guard source >= 0, fstat(source, &info) == 0 else {
                    throw Stage1Error.volumeSourceMissing(path: volume.source, code: errno)
                }
                guard info.st_mode & S_IFMT != S_IFLNK else { throw Stage1Error.volumeSourceIsSymlink(volume: volume.name.value, source: volume.source) }
                devices = options.disablePaths || DeviceRule(node: info, readOnly: readOnly) != nil
            case .empty:
                let path = layout.sharedVolume(volume.name.value)
                if !FileIO.isDirectory(path) {
                    try FileIO.makeDirectories(path)
                    chmod(path, mode_t(volume.mode.flatMap { UInt32($0, radix: 8) } ?? 0o755))
                    chown(path, uid_t(volume.uid ?? 0), gid_t(volume.gid ?? 0))
                }
                source = try sources.open(path, rkt_o_path | O_NOFOLLOW | O_DIRECTORY)
            }
            var info = stat()
            let directory = fstat(source, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            let target = try root.targetDescriptor(mount.path, file: !directory)
            let attributes = (devices ? 0 : rkt_mount_attr_nodev) | (readOnly ? rkt_mount_attr_rdonly : 0)
            if rkt_bind_tree(source, volume.recursive ?? true ? 1 : 0, attributes, target) != 0 {
                throw SystemCallError("cannot mount volume \(volume.name) on", path: mount.path)
            }
        }
    }

    private func bindReadOnly(_ source: String, _ inside: String, _ root: RootDirectory) throws {
        try Mount.mount(source, try root.target(inside, file: false), type: nil, flags: rkt_ms_bind)
        try Mount.mount(nil, try root.target(inside, file: false), type: nil, flags: rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly)
    }

    /// Read-only or nodev (`attributes`) for the mount at `fd` and every mount below it: a remount
    /// of the top one alone leaves submounts (a volume's, the host's tracefs below /sys) as they were.
    static func restrict(_ fd: Int32, _ path: String, _ attributes: UInt64) throws {
        if rkt_mount_set_attributes_recursive(fd, attributes) != 0 {
            throw SystemCallError("cannot restrict the mounts (mount_setattr, Linux 5.12 or later) at", path: path)
        }
    }
}
