import CLinux
import Glibc

/// `run`: makes the pod and supervises its apps until they end. The ns flavor moves this
/// process into the pod's cgroups (device allow-list, process limit) and its own mount, UTS,
/// IPC and network namespaces (its CNI networks' namespace, set up first), starts the pod's init in a new pid namespace, builds each app's
/// root, and starts the apps in that pid namespace. This process stays outside it, where no app
/// can see it; the init holds nothing.
struct PodRun {
    let flavor: Flavor
    /// The options; the pod network's gateway becomes the host address apps reach the host by.
    var options: Stage1Options
    let layout: PodLayout

    /// Returns the pod's exit code.
    mutating func run() throws -> Int32 {
        let network = PodNetwork(layout: layout, uuid: options.uuid, debug: options.debug)
        let joinsNetworks = flavor == .ns && options.network.joinsNetworks
        if flavor == .ns {
            // The namespace's mount must be the host's, where `gc` finds it after a killed stage1:
            // made before stage1 moves to a mount namespace of its own.
            if joinsNetworks { try network.createNamespace() }
            try ReadOnlyExecutable.ensure()
        } else if rkt_unshare(rkt_clone_newns) != 0 {
            throw SystemCallError("unshare the mount namespace", path: "")
        }
        try Mount.mount(nil, "/", type: nil, flags: rkt_ms_rec | rkt_ms_private)
        let pod = try PodManifest.decode(try FileIO.readFile(layout.manifest))
        let apps = pod.apps ?? []
        if flavor == .fly && apps.count != 1 { throw Stage1Error.flyRunsOneApp(count: apps.count) }
        let signals = try SignalDescriptor([SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGWINCH])
        try FileIO.makeDirectories(layout.enterSpecDirectory)
        try FileIO.writeFile(layout.supervisorPID, String(getpid()))
        guard flavor == .ns else {
            try FileIO.writeFile(layout.pid, String(getpid()))
            return Supervisor(entries: try entries(pod, cgroups: nil, podCgroups: [:], podInit: nil, relay: nil), layout: layout,
                              signals: signals, relay: nil, podInit: nil).run()
        }
        // Plugins run from the host's network namespace, when the pod is set up and when it ends.
        let hostNetwork = joinsNetworks ? open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC) : -1
        defer {
            if joinsNetworks {
                _ = rkt_setns(hostNetwork, rkt_clone_newnet)
                close(hostNetwork)
                network.tearDown()
            }
        }
        let cgroups = try Cgroups.detect()
        defer { cgroups.remove(pod: options.uuid) }
        let devices = options.disablePaths ? nil : DeviceRule.defaults + AppFilesystem.volumeDevices(of: pod)
        let podCgroups = try cgroups.createPod(options.uuid, devices: devices, pidsLimit: try pidsLimit(pod), warn: logError)
        if joinsNetworks {
            if hostNetwork < 0 { throw SystemCallError("open the host's network namespace", path: "") }
            let ports = try ForwardedPort.resolve(pod.ports ?? [], apps: try apps.map { app in
                try app.app?.ports ?? ImageManifest.decode(try FileIO.readFile(layout.appManifest(app.name.value))).app?.ports ?? []
            })
            options.podHostAddress = try network.setUp(options.network.requestsWithRestricted, configurationDirectories: [
                "\(options.systemConfig)/net.d", "\(options.localConfig)/net.d",
            ], ports: ports)
            try NetworkNamespace.enter(PodLayout.networkNamespacePath(uuid: options.uuid))
        }
        var namespaces = rkt_clone_newuts | rkt_clone_newipc
        if options.network.isNone { namespaces |= rkt_clone_newnet }
        if rkt_unshare(namespaces) != 0 { throw SystemCallError("unshare the pod's namespaces", path: "") }
        if options.network.isNone && rkt_loopback_up() != 0 { logError("cannot bring the loopback interface up") }
        let hostname = options.hostname ?? "rkt-\(options.uuid)"
        _ = hostname.withCString { sethostname($0, strlen($0)) }
        let podInit = try PodInit(scratchDirectory: layout.root)
        defer {
            kill(podInit.pid, SIGKILL)
            while waitpid(podInit.pid, nil, 0) < 0 && errno == EINTR {}
        }
        try FileIO.writeFile(layout.pid, String(podInit.pid))
        // On a terminal the apps get one of their own (a pod must not hold the user's).
        let relay = try TerminalRelay.forStandardStreams(input: options.interactive)
        let entries = try entries(pod, cgroups: cgroups, podCgroups: podCgroups, podInit: podInit, relay: relay)
        try podInit.awaitConfined()
        return Supervisor(entries: entries, layout: layout, signals: signals, relay: relay, podInit: podInit.pid).run()
    }

    /// Each app's root and how to start it; its `rkt enter` description is written.
    private func entries(_ pod: PodManifest, cgroups: Cgroups?, podCgroups: [String: String], podInit: PodInit?,
                         relay: TerminalRelay?) throws -> [Supervisor.Entry] {
        let input: Int32 = options.interactive ? (relay?.forwardsInput == true ? relay!.pod : 0) : open("/dev/null", O_RDONLY | O_CLOEXEC)
        let hostname = options.hostname ?? "rkt-\(options.uuid)"
        // Every process started in the pod joins the pod's cgroups (v1; `tasks`, see Cgroups) and
        // its app's; this one stays where it was, so that the pod's can be removed at its end.
        var descriptors = DescriptorSet()
        let podTasks = try Cgroups.tasksFiles(podCgroups).map { try descriptors.open($0, O_WRONLY) }
        var pidNamespace: Int32 = -1
        if let podInit {
            pidNamespace = open("/proc/\(podInit.pid)/ns/pid", O_RDONLY | O_CLOEXEC)
            if pidNamespace < 0 { throw SystemCallError("open the pod's pid namespace", path: "") }
        }
        var result: [Supervisor.Entry] = []
        for (index, app) in (pod.apps ?? []).enumerated() {
            let name = app.name.value
            let imageManifest = try ImageManifest.decode(try FileIO.readFile(layout.appManifest(name)))
            let filesystem = AppFilesystem(layout: layout, app: app, pod: pod, imageManifest: imageManifest, options: options)
            let limits = try AppLimits(app.app ?? imageManifest.app)
            var appCgroups: [String: String] = [:]
            if let cgroups {
                appCgroups = try cgroups.createApp(pod: options.uuid, app: name, memoryLimit: limits.memory,
                                                             cpuLimitMillis: limits.cpuMillis, cpuShares: limits.cpuShares)
            }
            switch podInit {
            case let podInit?:
                // The apps see their own cgroups and the pod's (v2: the app's, below the pod's).
                let visible = podCgroups.filter { !$0.key.isEmpty }.merging(appCgroups) { $1 }
                try filesystem.prepareIsolated(procfs: { try podInit.procMount() }, copy: index > 0, cgroups: visible, hostname: hostname,
                                               console: relay?.podName)
            case nil:
                try filesystem.prepareFly()
            }
            var spec = try AppSpec(app: app, imageManifest: imageManifest, root: try RootDirectory(filesystem.rootfs), options: options)
            spec.cgroupTasks = Cgroups.tasksFiles(podCgroups.merging(appCgroups) { $1 })
            spec.cgroupDirectory = appCgroups[""]
            if podInit == nil {
                spec.capabilities = nil
                spec.seccomp = nil
                spec.noNewPrivileges = false
            }
            try FileIO.writeFile(layout.enterSpec(name), String(decoding: JSONWriter.compact(spec.json), as: UTF8.self), mode: 0o600)
            var entry = Supervisor.Entry(spec: spec, rootfs: filesystem.rootfs, useChroot: podInit == nil, standardInput: input)
            entry.standardOutput = relay?.stream(1) ?? -1
            entry.standardError = relay?.stream(2) ?? -1
            entry.pidNamespace = pidNamespace
            entry.cgroupDescriptors = try podTasks + Cgroups.tasksFiles(appCgroups).map { try descriptors.open($0, O_WRONLY) }
            if let directory = appCgroups[""] {
                entry.cgroupDirectory = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                if entry.cgroupDirectory < 0 { throw SystemCallError("open", path: directory) }
            }
            result.append(entry)
        }
        return result
    }

    /// The pod's process limit: its manifest's annotation, or the default; one more for the
    /// process that starts each app (or entered command) from outside the pod and ends then.
    private func pidsLimit(_ pod: PodManifest) throws -> Int? {
        let limit = try pod.annotations?[PidsLimit.annotation].map(PidsLimit.parse) ?? PidsLimit.standard
        return limit.map { $0 + 1 }
    }
}
