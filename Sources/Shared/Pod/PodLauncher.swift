import CLinux
import Glibc

/// Starts a pod's stage1: from the pod directory, the `run` entrypoint is executed in place of
/// this process with rkt's arguments, the pod lock handed over as `RKT_LOCK_FD`.
public enum PodLauncher {
    /// How stage0 runs the pod (`rkt run` / `run-prepared` flags).
    public struct Options: Sendable {
        public var debug = false
        public var network = NetworkSelection.standard
        public var interactive = false
        public var hostname: String?
        public var localConfig: String
        /// Where the built-in stage1 also looks for `net.d` (rkt's system configuration).
        public var systemConfig: String?
        public var insecure: InsecureOptions
        /// `--dns…` and `--hosts-entry`.
        public var dns = DNSConfiguration()
        /// The pod's registration with the metadata service (`--mds-register`).
        public var metadata: MetadataRegistration?

        public init(localConfig: String, insecure: InsecureOptions) {
            self.localConfig = localConfig
            self.insecure = insecure
        }
    }

    /// Never returns on success.
    public static func execute(_ pod: Pod, lock: PodLock, options: Options) throws -> Never {
        let stage1 = try ImageManifest.decode(try FileIO.readFile(pod.layout.stage1Manifest, limit: ImageManifest.maximumSize))
        guard let entrypoint = stage1.annotations[Stage1Selection.runAnnotation] else {
            throw PodError.noRunEntrypoint(stage1: stage1.name)
        }
        // Options a stage1 of an older interface version does not know are left out, as rkt did.
        let version = Int(stage1.annotations[Stage1Selection.interfaceVersionAnnotation] ?? "1") ?? 1
        func supported(_ option: String, since minimum: Int) -> Bool {
            if version < minimum { Console.error("warning: \(option) option is not supported by stage1") }
            return version >= minimum
        }
        var arguments = ["--net=\(options.network.argument)"]
        if options.debug { arguments.insert("--debug", at: 0) }
        if options.interactive { arguments.append("--interactive") }
        // The default hostname goes only to a stage1 that knows the option; one asked for warns there.
        if options.hostname != nil || version >= 2, supported("--hostname", since: 2) {
            arguments.append("--hostname=\(options.hostname ?? "rkt-\(pod.uuid)")")
        }
        arguments.append("--local-config=\(options.localConfig)")
        let builtin = stage1.name.value.hasPrefix(Stage1Images.builtinNamePrefix)
        if builtin, let systemConfig = options.systemConfig { arguments.append("--system-config=\(systemConfig)") }
        let disabled = [(InsecureOptions.capabilities, "--disable-capabilities-restriction"), (.paths, "--disable-paths"), (.seccomp, "--disable-seccomp")]
        for (option, argument) in disabled where options.insecure.contains(option) && supported(argument, since: 3) {
            arguments.append(argument)
        }
        let dns = options.dns
        if (dns.resolvMode != .default || dns.hostsMode != .default) && supported("--dns-conf-mode", since: 4) {
            arguments.append("--dns-conf-mode=resolv=\(dns.resolvMode.rawValue),hosts=\(dns.hostsMode.rawValue)")
        }
        // The stage0 mode's files, where rkt wrote them (stage1's rootfs). A file of the stage1
        // image by that name is a hard link into the store: replaced, not written through.
        for (path, content) in [(pod.layout.resolvConfFile, dns.resolvMode == .stage0 ? dns.resolvConf : ""),
                                (pod.layout.hostsFile, dns.hostsMode == .stage0 ? dns.hosts : "")] where !content.isEmpty {
            try FileIO.makeDirectories("\(pod.layout.stage1Rootfs)/etc")
            unlink(path)
            try FileIO.writeFile(path, Array(content.utf8))
        }
        if let metadata = options.metadata {
            arguments.append("--mds-token=\(metadata.token)")
            if metadata.port != MetadataServiceURL.defaultPort && supported("--mds-port", since: 6) {
                arguments.append("--mds-port=\(metadata.port)")
            }
        }
        arguments.append(pod.uuid.description)
        if chdir(pod.directory) != 0 { throw SystemCallError("chdir", path: pod.directory) }
        closeInheritedDescriptors(keeping: lock.fileDescriptor)
        setenv("RKT_LOCK_FD", String(lock.fileDescriptor), 1)
        let path = "stage1/rootfs" + (entrypoint.hasPrefix("/") ? entrypoint : "/" + entrypoint)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        // The built-in stage1s reap a child they did not start; another stage1 might take its
        // exit for the pod's, so it gets none.
        if builtin { AddressSpace.releaseOnExec() }
        if Stage1Images.builtinFlavor(stage1.name.value) == .ns {
            // The namespace of a pod on CNI networks is mounted where the host sees it (rkt gc
            // tears it down after a killed stage1): made here, before the mount namespace below.
            if options.network.joinsNetworks { try createNetworkNamespace(pod) }
            bindReadOnly(path)
        }
        execv(path, argv)
        throw SystemCallError("execute stage1", path: "\(pod.directory)/\(path)")
    }

    /// Makes the pod's network namespace and records it in the pod directory, as stage1 would.
    static func createNetworkNamespace(_ pod: Pod) throws {
        let path = PodLayout.networkNamespacePath(uuid: pod.uuid.description)
        try FileIO.writeFile(pod.layout.networkNamespace, path)
        try NetworkNamespace.create(at: path)
    }

    /// The built-in ns stage1 runs from a read-only mount of its executable (`ReadOnlyExecutable`).
    /// Made here, where the exec happens anyway, it saves stage1 from executing itself again; only
    /// a process of one thread can move to a mount namespace of its own, and otherwise stage1
    /// does it.
    static func bindReadOnly(_ entrypoint: String) {
        guard let resolved = realpath(entrypoint, nil) else { return }
        defer { free(resolved) }
        guard rkt_unshare(rkt_clone_newns) == 0, rkt_mount(nil, "/", nil, rkt_ms_rec | rkt_ms_private, nil) == 0,
              rkt_mount(resolved, resolved, nil, rkt_ms_bind, nil) == 0 else { return }
        _ = rkt_mount(nil, resolved, nil, rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly | rkt_ms_nosuid, nil)
    }

    /// Marks every descriptor but the standard ones and `lock` close-on-exec (the store's database…).
    static func closeInheritedDescriptors(keeping lock: Int32) {
        let fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0, let names = try? DirectoryWalker.sortedNames(fd, path: "/proc/self/fd") else { return }
        close(fd)
        for name in names {
            guard let descriptor = Int32(name), descriptor > 2 else { continue }
            if descriptor == lock {
                _ = fcntl(descriptor, F_SETFD, 0)
            } else {
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            }
        }
    }
}
