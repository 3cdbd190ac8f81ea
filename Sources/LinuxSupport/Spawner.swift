import CLinux
import Glibc

/// Starts processes through the C spawner (clone, then only system calls until execve), so no
/// Swift code runs in a child.
public struct Spawner {
    /// What to start and how to confine it (see `rkt_spawn_spec`).
    public struct Request {
        public var path: String
        public var arguments: [String]
        public var environment: [String]
        public var cloneFlags: UInt = 0
        /// Namespaces to join (not a pid namespace: see `pidNamespace`).
        public var namespaceDescriptors: [Int32] = []
        /// A pid namespace to start the process in: it enters only once it stands in its root.
        public var pidNamespace: Int32 = -1
        /// `tasks` (or `cgroup.procs`) files of cgroup v1 hierarchies to join, opened earlier.
        public var cgroupDescriptors: [Int32] = []
        /// A cgroup2 directory the process is created in (CLONE_INTO_CGROUP), or -1.
        public var cgroupDirectory: Int32 = -1
        public var hostname: String?
        /// A directory to chroot into after joining the namespaces (-1: none).
        public var rootDescriptor: Int32 = -1
        public var newRoot: String?
        public var useChroot = false
        public var workingDirectory: String?
        public var oomScoreAdj: Int?
        public var capabilities: UInt64?
        public var ids: (uid: UInt32, gid: UInt32, groups: [UInt32])?
        public var noNewPrivileges = false
        public var seccomp: [UInt8]?
        public var standardInput: Int32 = -1
        public var standardOutput: Int32 = -1
        public var standardError: Int32 = -1
        /// A terminal that becomes the process's controlling terminal (with `newSession`).
        public var controllingTerminal: Int32 = -1
        public var keepDescriptors: [Int32] = []
        public var newSession = false
        public var parentDeathSignal: Int32 = 0
        public var nondumpable = false

        public init(path: String, arguments: [String], environment: [String]) {
            self.path = path
            self.arguments = arguments
            self.environment = environment
        }
    }

    /// Starts the process; returns its pid (a child of this process).
    public static func spawn(_ request: Request) throws -> pid_t {
        let capacity = Int(RKT_SPAWN_MAX_FDS)
        for (list, name) in [(request.namespaceDescriptors, "namespaces"), (request.cgroupDescriptors, "cgroups"), (request.keepDescriptors, "kept descriptors")]
        where list.count > capacity {
            throw LinuxError.tooManyDescriptors(command: request.arguments.first ?? request.path, kind: name, count: list.count, capacity: capacity)
        }
        var spec = rkt_spawn_spec()
        spec.clone_flags = request.cloneFlags
        store(request.namespaceDescriptors, in: &spec.ns_fds)
        spec.n_ns_fds = Int32(request.namespaceDescriptors.count)
        spec.pid_ns_fd = request.pidNamespace
        store(request.cgroupDescriptors, in: &spec.cgroup_fds)
        spec.n_cgroup_fds = Int32(request.cgroupDescriptors.count)
        spec.cgroup_dir_fd = request.cgroupDirectory
        store(request.keepDescriptors, in: &spec.keep_fds)
        spec.n_keep_fds = Int32(request.keepDescriptors.count)
        spec.root_fd = request.rootDescriptor
        spec.use_chroot = request.useChroot ? 1 : 0
        spec.drop_caps = request.capabilities == nil ? 0 : 1
        spec.caps_keep = request.capabilities ?? 0
        spec.no_new_privs = request.noNewPrivileges ? 1 : 0
        spec.stdin_fd = request.standardInput
        spec.stdout_fd = request.standardOutput
        spec.stderr_fd = request.standardError
        spec.tty_fd = request.controllingTerminal
        spec.new_session = request.newSession ? 1 : 0
        spec.parent_death_signal = request.parentDeathSignal
        spec.nondumpable = request.nondumpable ? 1 : 0
        if let ids = request.ids {
            spec.set_ids = 1
            spec.uid = ids.uid
            spec.gid = ids.gid
        }
        // C copies of everything the child reads, freed once it has exec'd or failed.
        var allocations: [UnsafeMutableRawPointer?] = []
        defer { allocations.forEach { free($0) } }
        func string(_ text: String?) -> UnsafePointer<CChar>? {
            guard let text, let copy = strdup(text) else { return nil }
            allocations.append(copy)
            return UnsafePointer(copy)
        }
        func strings(_ texts: [String]) -> UnsafePointer<UnsafeMutablePointer<CChar>?> {
            let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: texts.count + 1)
            for (index, text) in texts.enumerated() { array[index] = strdup(text) }
            array[texts.count] = nil
            allocations += (0..<texts.count).map { UnsafeMutableRawPointer(array[$0]) }
            allocations.append(UnsafeMutableRawPointer(array))
            return UnsafePointer(array)
        }
        func bytes<T>(_ values: [T]) -> UnsafePointer<T>? {
            guard !values.isEmpty, let memory = malloc(values.count * MemoryLayout<T>.stride) else { return nil }
            allocations.append(memory)
            let typed = memory.bindMemory(to: T.self, capacity: values.count)
            typed.initialize(from: values, count: values.count)
            return UnsafePointer(typed)
        }
        spec.path = string(request.path)
        spec.argv = strings(request.arguments)
        spec.envp = strings(request.environment)
        spec.hostname = string(request.hostname)
        spec.new_root = string(request.newRoot)
        spec.workdir = string(request.workingDirectory)
        spec.oom_score_adj = string(request.oomScoreAdj.map(String.init))
        let groups = request.ids?.groups ?? []
        spec.n_groups = Int32(groups.count)
        spec.groups = bytes(groups)
        if let filter = request.seccomp {
            spec.seccomp_filter = UnsafeRawPointer(bytes(filter))
            spec.seccomp_length = UInt16(filter.count / 8)
        }
        var error = [CChar](repeating: 0, count: 512)
        let pid = rkt_spawn(&spec, &error, error.count)
        guard pid > 0 else {
            throw LinuxError.spawn(command: request.arguments.first ?? request.path, reason: String(buffer: error))
        }
        return pid
    }

    /// Starts `request` and waits for it: its exit code.
    public static func run(_ request: Request) throws -> Int32 {
        let pid = try spawn(request)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return exitCode(status)
    }

    /// The exit code of a wait status: the code, or 128 + the signal.
    public static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    private static func store<Tuple>(_ descriptors: [Int32], in tuple: inout Tuple) {
        withUnsafeMutableBytes(of: &tuple) { raw in
            for (index, fd) in descriptors.enumerated() { raw.storeBytes(of: fd, toByteOffset: index * 4, as: Int32.self) }
        }
    }
}
