import CLinux
import Glibc

/// Starts processes through the C spawner (fork or clone, then only system calls until execve),
/// so no Swift code runs in a forked child, the pod's init aside (`forkInit`: forked from
/// stage1's `run`, which has one thread).
public struct Spawner {
    /// What to start and how to confine it (see `rkt_spawn_spec`).
    public struct Request {
        public var path: String
        public var arguments: [String]
        public var environment: [String]
        public var cloneFlags: UInt = 0
        public var namespaceDescriptors: [Int32] = []
        public var joinsPIDNamespace = false
        /// `cgroup.procs` files to join, by path or as descriptors opened earlier.
        public var cgroupProcs: [String] = []
        public var cgroupDescriptors: [Int32] = []
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

    /// Starts the process; returns its pid.
    public static func spawn(_ request: Request) throws -> pid_t {
        let cgroupFDs = try request.cgroupProcs.map { path -> Int32 in
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { throw Stage1Error("open \(path): \(String(cString: strerror(errno)))") }
            return fd
        }
        defer { cgroupFDs.forEach { close($0) } }
        var spec = rkt_spawn_spec()
        spec.clone_flags = request.cloneFlags
        withUnsafeMutableBytes(of: &spec.ns_fds) { raw in
            for (index, fd) in request.namespaceDescriptors.prefix(8).enumerated() { raw.storeBytes(of: fd, toByteOffset: index * 4, as: Int32.self) }
        }
        spec.n_ns_fds = Int32(min(request.namespaceDescriptors.count, 8))
        spec.joins_pid_namespace = request.joinsPIDNamespace ? 1 : 0
        withUnsafeMutableBytes(of: &spec.cgroup_fds) { raw in
            for (index, fd) in (cgroupFDs + request.cgroupDescriptors).prefix(8).enumerated() {
                raw.storeBytes(of: fd, toByteOffset: index * 4, as: Int32.self)
            }
        }
        spec.n_cgroup_fds = Int32(min(cgroupFDs.count + request.cgroupDescriptors.count, 8))
        withUnsafeMutableBytes(of: &spec.keep_fds) { raw in
            for (index, fd) in request.keepDescriptors.prefix(4).enumerated() { raw.storeBytes(of: fd, toByteOffset: index * 4, as: Int32.self) }
        }
        spec.n_keep_fds = Int32(min(request.keepDescriptors.count, 4))
        spec.root_fd = request.rootDescriptor
        spec.use_chroot = request.useChroot ? 1 : 0
        spec.drop_caps = request.capabilities == nil ? 0 : 1
        spec.caps_keep = request.capabilities ?? 0
        spec.no_new_privs = request.noNewPrivileges ? 1 : 0
        spec.stdin_fd = request.standardInput
        spec.stdout_fd = -1
        spec.stderr_fd = -1
        spec.new_session = request.newSession ? 1 : 0
        spec.parent_death_signal = request.parentDeathSignal
        spec.nondumpable = request.nondumpable ? 1 : 0
        let groups = request.ids?.groups ?? []
        if let ids = request.ids {
            spec.set_ids = 1
            spec.uid = ids.uid
            spec.gid = ids.gid
        }
        var error = [CChar](repeating: 0, count: 512)
        let argv = request.arguments.map { strdup($0) } + [nil]
        let envp = request.environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let pid: pid_t = request.path.withCString { path in
            withOptionalCString(request.hostname) { hostname in
                withOptionalCString(request.newRoot) { newRoot in
                    withOptionalCString(request.workingDirectory) { workdir in
                        withOptionalCString(request.oomScoreAdj.map(String.init)) { oom in
                            groups.withUnsafeBufferPointer { groupsPointer in
                                (request.seccomp ?? []).withUnsafeBytes { filter in
                                    argv.withUnsafeBufferPointer { argvPointer in
                                        envp.withUnsafeBufferPointer { envpPointer in
                                            spec.path = path
                                            spec.argv = argvPointer.baseAddress.map { UnsafePointer($0) }
                                            spec.envp = envpPointer.baseAddress.map { UnsafePointer($0) }
                                            spec.hostname = hostname
                                            spec.new_root = newRoot
                                            spec.workdir = workdir
                                            spec.oom_score_adj = oom
                                            spec.n_groups = Int32(groups.count)
                                            spec.groups = groupsPointer.baseAddress
                                            if request.seccomp != nil {
                                                spec.seccomp_filter = filter.baseAddress
                                                spec.seccomp_length = UInt16(filter.count / 8)
                                            }
                                            return rkt_spawn(&spec, &error, error.count)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard pid > 0 else {
            throw Stage1Error("cannot start \(request.arguments.first ?? request.path): \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        return pid
    }

    /// Forks the pod's init (`rkt_fork_init`): returns 0 in the child, which goes on in new
    /// namespaces (`cloneFlags`) with no descriptor above 2, and the child's pid in this process.
    /// Throws when this process has more than one thread.
    public static func forkInit(cloneFlags: UInt, parentDeathSignal: Int32) throws -> pid_t {
        var error = [CChar](repeating: 0, count: 512)
        let pid = rkt_fork_init(cloneFlags, parentDeathSignal, &error, error.count)
        guard pid >= 0 else {
            throw Stage1Error("cannot start the pod's init: \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        return pid
    }

    /// The exit code of a wait status: the code, or 128 + the signal.
    public static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}

private func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let text else { return body(nil) }
    return text.withCString(body)
}
