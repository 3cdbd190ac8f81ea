import Glibc

/// Which v1 cgroups this process is in, to move it into a pod's and back. A process of one thread
/// joins through `tasks`: moving the calling thread alone skips the wait for an RCU grace period
/// (5–25 ms here) that writing a pid to `cgroup.procs` costs.
struct CgroupMembership {
    /// The `tasks` files of the cgroups this process was in.
    private let tasks: [String]

    /// The cgroups this process is in now, in the v1 hierarchies of `cgroups`.
    static func current(in cgroups: Cgroups) throws -> CgroupMembership {
        guard cgroups.version == .v1 else { return CgroupMembership(tasks: []) }
        let text = String(decoding: try FileSystem.read("/proc/self/cgroup"), as: UTF8.self)
        var tasks: [String] = []
        for line in text.split(separator: "\n") {
            // hierarchy-ID:controller-list:path
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            for controller in fields[1].split(separator: ",") {
                guard let mount = cgroups.hierarchies[String(controller)] else { continue }
                tasks.append("\(mount)\(fields[2] == "/" ? "" : fields[2])/tasks")
            }
        }
        return CgroupMembership(tasks: Array(Set(tasks)).sorted())
    }

    /// Joins the cgroups whose `tasks` files these are.
    static func join(_ tasksFiles: [String]) throws {
        for path in tasksFiles {
            let fd = try open(path)
            defer { close(fd) }
            try FileSystem.writeAll(fd, Array("0".utf8), path: path)
        }
    }

    /// Opens a `tasks` file for joining it later (a spawned child writes 0 to it).
    static func open(_ path: String) throws -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
        if fd < 0 { throw Stage1Error("open \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Moves this process back where it was (so the pod's cgroups can be removed).
    func rejoin() {
        try? Self.join(tasks)
    }
}
