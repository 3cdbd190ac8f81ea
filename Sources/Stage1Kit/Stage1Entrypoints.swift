import CLinux
import Glibc

/// The stage1 entrypoints of the built-in flavors (run, enter, stop, gc) and the pod's init.
/// Stage0 runs them with the pod directory as the working directory.
public enum Stage1Entrypoints {
    /// `run [--debug] --net=… [--interactive] [--hostname=H] … UUID`: starts the pod's init in new
    /// namespaces, records its pid, waits, and returns the pod's exit code.
    public static func run(flavor: Flavor, arguments: [String]) throws -> Int32 {
        let options = try Stage1Options(arguments: arguments)
        let layout = PodLayout(root: try currentDirectory())
        var flags = rkt_clone_newns
        if flavor == .ns {
            flags |= rkt_clone_newpid | rkt_clone_newuts | rkt_clone_newipc
            if !options.hostNetwork { flags |= rkt_clone_newnet }
        }
        let signals = Signals.block()
        // The pod's init is this process forked, not stage1 executed again (~1 ms less per pod).
        // This process holds the pod's lock (RKT_LOCK_FD) while the pod lives; init gets no
        // descriptor of the host's, and dies with this process (a killed `rkt run` ends the pod).
        let pid = try Spawner.forkInit(cloneFlags: flags, parentDeathSignal: SIGKILL)
        if pid == 0 {
            do {
                exit(try initialize(flavor: flavor, options: options, layout: layout))
            } catch {
                logError("\(error)")
                exit(254)
            }
        }
        try FileSystem.write(layout.pid, String(pid))
        var status: Int32 = 0
        var ended = false
        while !ended {
            let signal = Signals.wait(signals, seconds: 1)
            if signal == SIGTERM || signal == SIGINT || signal == SIGHUP { kill(pid, SIGTERM) }
            // Other children are reaped too: stage0 leaves one that frees its memory (AddressSpace).
            var childStatus: Int32 = 0
            while true {
                let done = waitpid(-1, &childStatus, WNOHANG)
                if done == pid { status = childStatus; ended = true }
                if done < 0 && errno != EINTR { ended = true }
                if done <= 0 { break }
            }
        }
        if flavor == .ns && FileSystem.exists(layout.cgroupsMade) { (try? Cgroups.detect())?.remove(pod: options.uuid) }
        return Spawner.exitCode(status)
    }

    /// The pod's process 1 (ns) or the fly app's parent: builds each app's root, starts and supervises the apps.
    static func initialize(flavor: Flavor, options: Stage1Options, layout: PodLayout) throws -> Int32 {
        let pod = try PodManifest.decode(try FileSystem.read(layout.manifest))
        let apps = pod.apps ?? []
        if flavor == .fly && apps.count != 1 { throw Stage1Error("the fly stage1 runs exactly one app (the pod has \(apps.count))") }
        try FileSystem.mount(nil, "/", type: nil, flags: rkt_ms_rec | rkt_ms_private)
        let hostname = options.hostname ?? "rkt-\(options.uuid)"
        if flavor == .ns {
            if !options.hostNetwork && rkt_loopback_up() != 0 { logError("cannot bring the loopback interface up") }
            _ = hostname.withCString { sethostname($0, strlen($0)) }
        }
        // The hierarchies are looked up (in mountinfo) only for an app with limits.
        lazy var cgroups = flavor == .ns ? try? Cgroups.detect() : nil
        try FileSystem.makeDirectories(layout.enterSpecDirectory)
        let input: Int32 = options.interactive ? 0 : open("/dev/null", O_RDONLY | O_CLOEXEC)
        var entries: [Supervisor.Entry] = []
        for app in apps {
            let name = app.name.value
            let imageManifest = try ImageManifest.decode(try FileSystem.read(layout.appManifest(name)))
            let filesystem = AppFilesystem(layout: layout, app: app, pod: pod, imageManifest: imageManifest, options: options)
            let limits = Self.limits(app.app ?? imageManifest.app)
            var cgroupDirectories: [String: String] = [:]
            if limits.memory != nil || limits.cpu != nil || limits.shares != nil, let hierarchies = cgroups {
                try FileSystem.write(layout.cgroupsMade, "")
                cgroupDirectories = try hierarchies.create(pod: options.uuid, app: name, memoryLimit: limits.memory,
                                                           cpuLimitMillis: limits.cpu, cpuShares: limits.shares)
            }
            switch flavor {
            case .ns: try filesystem.prepareIsolated(cgroups: cgroupDirectories, hostname: hostname)
            case .fly: try filesystem.prepareFly()
            }
            var spec = try AppSpec(app: app, imageManifest: imageManifest, rootfs: filesystem.rootfs, options: options)
            spec.cgroupProcs = cgroupDirectories.values.sorted().map { "\($0)/cgroup.procs" }
            if flavor == .fly {
                spec.capabilities = nil
                spec.seccomp = nil
                spec.noNewPrivileges = false
            }
            try FileSystem.write(layout.enterSpec(name), String(decoding: JSONWriter.compact(spec.json), as: UTF8.self), mode: 0o600)
            entries.append(Supervisor.Entry(spec: spec, rootfs: filesystem.rootfs, useChroot: flavor == .fly, standardInput: input))
        }
        guard flavor == .ns else { return Supervisor(entries: entries, layout: layout).run() }
        // The ns init leaves the host's root for the pod directory: an app allowed to look at
        // process 1 (CAP_SYS_PTRACE) finds only the pod there, not the host or its binaries.
        for index in entries.indices {
            entries[index].cgroupDescriptors = try entries[index].spec.cgroupProcs.map { path in
                let fd = open(path, O_WRONLY | O_CLOEXEC)
                if fd < 0 { throw Stage1Error("open \(path): \(String(cString: strerror(errno)))") }
                return fd
            }
        }
        try FileSystem.pivotRoot(into: layout.root)
        let inside = PodLayout(root: "")
        for index in entries.indices { entries[index].rootfs = inside.appRootfs(entries[index].spec.name) }
        return Supervisor(entries: entries, layout: inside).run()
    }

    /// The cgroup limits an app's isolators ask for.
    static func limits(_ app: App?) -> (memory: Int64?, cpu: Int64?, shares: Int?) {
        var limits: (memory: Int64?, cpu: Int64?, shares: Int?) = (nil, nil, nil)
        for isolator in app?.isolators ?? [] {
            switch (isolator.kind, isolator.value) {
            case (.memory?, .resource(let value)?): limits.memory = value.limit?.value
            case (.cpu?, .resource(let value)?): limits.cpu = value.limit?.milliValue
            case (_, .cpuShares(let shares)?): limits.shares = shares
            default: break
            }
        }
        return limits
    }

    /// `enter --pid=PID --appname=NAME [--] CMD [ARGS…]`: runs CMD in the app's namespaces, cgroups,
    /// capability set, no_new_privs and seccomp filter; returns its exit code.
    public static func enter(arguments: [String]) throws -> Int32 {
        var podPID: pid_t?
        var appName: String?
        var command: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--pid=") {
                podPID = pid_t(argument.dropFirst("--pid=".count))
            } else if argument.hasPrefix("--appname=") {
                appName = String(argument.dropFirst("--appname=".count))
            } else if argument == "--" {
                command = Array(arguments[(index + 1)...])
                break
            } else if !argument.hasPrefix("-") {
                command = Array(arguments[index...])
                break
            }
            index += 1
        }
        guard let podPID, let appName, !command.isEmpty else { throw Stage1Error("usage: enter --pid=PID --appname=NAME -- CMD [ARGS…]") }
        let layout = PodLayout(root: try currentDirectory())
        let spec = try AppSpec(json: try JSONParser.parse(try FileSystem.read(layout.enterSpec(appName))))
        let innerPID = String(decoding: try FileSystem.read("\(layout.enterSpecDirectory)/\(appName).pid"), as: UTF8.self)
        guard let appPID = try hostPID(of: innerPID, under: podPID) else {
            throw Stage1Error("app \(appName) is not running in pod process \(podPID)")
        }
        var descriptors: [Int32] = []
        defer { descriptors.forEach { close($0) } }
        for namespace in ["ipc", "uts", "net", "pid", "mnt"] {
            let fd = open("/proc/\(appPID)/ns/\(namespace)", O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw Stage1Error("open /proc/\(appPID)/ns/\(namespace): \(String(cString: strerror(errno)))") }
            descriptors.append(fd)
        }
        // The app's root, opened from here: joining the mount namespace is not enough for an app
        // that was only chrooted (fly), whose namespaces are the host's.
        let root = open("/proc/\(appPID)/root", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if root < 0 { throw Stage1Error("open /proc/\(appPID)/root: \(String(cString: strerror(errno)))") }
        defer { close(root) }
        var request = spec.request(command, newRoot: nil)
        request.rootDescriptor = root
        request.namespaceDescriptors = descriptors
        request.joinsPIDNamespace = true
        request.nondumpable = true
        let child = try Spawner.spawn(request)
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        return Spawner.exitCode(status)
    }

    /// The host pid of the process that is `inner` in the pod's pid namespace (a descendant of `podPID`).
    static func hostPID(of inner: String, under podPID: pid_t) throws -> pid_t? {
        var queue = [podPID]
        while let pid = queue.popLast() {
            let status = String(decoding: (try? FileSystem.read("/proc/\(pid)/status")) ?? [], as: UTF8.self)
            if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }),
               line.split(whereSeparator: { $0 == "\t" || $0 == " " }).last.map(String.init) == inner.trimmed(), pid != podPID {
                return pid
            }
            let children = String(decoding: (try? FileSystem.read("/proc/\(pid)/task/\(pid)/children")) ?? [], as: UTF8.self)
            queue += children.split(separator: " ").compactMap { pid_t($0) }
        }
        return nil
    }

    /// `stop [--force] UUID`: asks the pod's process 1 to stop (SIGTERM), or kills it.
    public static func stop(arguments: [String]) throws -> Int32 {
        let layout = PodLayout(root: try currentDirectory())
        guard let pid = pid_t(String(decoding: try FileSystem.read(layout.pid), as: UTF8.self).trimmed()) else {
            throw Stage1Error("no pid recorded for the pod")
        }
        if kill(pid, arguments.contains("--force") ? SIGKILL : SIGTERM) != 0 && errno != ESRCH {
            throw Stage1Error("kill \(pid): \(String(cString: strerror(errno)))")
        }
        return 0
    }

    /// `gc [--debug] … UUID`: removes what the pod left outside its directory (its cgroups).
    public static func collect(arguments: [String]) throws -> Int32 {
        guard let uuid = arguments.last(where: { !$0.hasPrefix("-") }) else { throw Stage1Error("no pod UUID given") }
        (try? Cgroups.detect())?.remove(pod: uuid)
        return 0
    }

    static func currentDirectory() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { throw Stage1Error("getcwd: \(String(cString: strerror(errno)))") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    func trimmed() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
