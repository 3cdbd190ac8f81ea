import Glibc

/// The control groups of a pod's apps, on cgroup v1 (memory and cpu hierarchies) or v2 (the
/// unified hierarchy), detected from `/proc/self/mountinfo`. An app with memory or cpu limits
/// gets `<hierarchy>/rkt-suite/<pod uuid>/<app>` holding them.
public struct Cgroups: Sendable {
    public enum Version: Sendable { case v1, v2 }

    public let version: Version
    /// v1: controller → hierarchy mount point; v2: "" → the unified mount point.
    public let hierarchies: [String: String]

    /// Detects the layout: v2 when cgroup2 is mounted at /sys/fs/cgroup, else the v1 controllers.
    public static func detect() throws -> Cgroups {
        let mountinfo = String(decoding: try FileSystem.read("/proc/self/mountinfo"), as: UTF8.self)
        var v1: [String: String] = [:]
        var unified: String?
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let separator = fields.firstIndex(of: "-"), separator + 3 < fields.count else { continue }
            let mountPoint = fields[4]
            let rest = Array(fields[(separator + 1)...])
            if rest[0] == "cgroup2" && mountPoint == "/sys/fs/cgroup" { unified = String(mountPoint) }
            if rest[0] == "cgroup" {
                for option in rest[2].split(separator: ",") where ["memory", "cpu"].contains(String(option)) {
                    v1[String(option)] = String(mountPoint)
                }
            }
        }
        if let unified { return Cgroups(version: .v2, hierarchies: ["": unified]) }
        guard !v1.isEmpty else { throw Stage1Error("no usable cgroup hierarchy (neither cgroup2 at /sys/fs/cgroup nor v1 controllers)") }
        return Cgroups(version: .v1, hierarchies: v1)
    }

    /// Creates the cgroups an app's limits need, with those limits, and returns them as controller
    /// → directory ("" for the unified hierarchy). An app without limits gets none and stays in
    /// its pod's cgroup: joining a cgroup waits for an RCU grace period (6–17 ms on this kernel).
    public func create(pod: String, app: String, memoryLimit: Int64?, cpuLimitMillis: Int64?, cpuShares: Int?) throws -> [String: String] {
        let wantsCPU = cpuLimitMillis != nil || cpuShares != nil
        guard memoryLimit != nil || wantsCPU else { return [:] }
        switch version {
        case .v2:
            let root = hierarchies[""]!
            for level in ["\(root)/rkt-suite", "\(root)/rkt-suite/\(pod)"] {
                try FileSystem.makeDirectories(level)
                // Best effort: a controller the parent does not delegate is not enforced here.
                try? FileSystem.write("\(level)/cgroup.subtree_control", "+memory +cpu")
            }
            let path = "\(root)/rkt-suite/\(pod)/\(app)"
            try FileSystem.makeDirectories(path)
            if let memoryLimit { try FileSystem.write("\(path)/memory.max", String(memoryLimit)) }
            if let cpuLimitMillis { try FileSystem.write("\(path)/cpu.max", "\(cpuLimitMillis * 100) 100000") }
            if let cpuShares { try FileSystem.write("\(path)/cpu.weight", String(1 + ((cpuShares - 2) * 9999) / 262_142)) }
            return ["": path]
        case .v1:
            var directories: [String: String] = [:]
            if let memoryLimit, let mount = hierarchies["memory"] {
                let path = "\(mount)/rkt-suite/\(pod)/\(app)"
                try FileSystem.makeDirectories(path)
                try FileSystem.write("\(path)/memory.limit_in_bytes", String(memoryLimit))
                directories["memory"] = path
            }
            if wantsCPU, let mount = hierarchies["cpu"] {
                let path = "\(mount)/rkt-suite/\(pod)/\(app)"
                try FileSystem.makeDirectories(path)
                if let cpuLimitMillis {
                    try FileSystem.write("\(path)/cpu.cfs_period_us", "100000")
                    try FileSystem.write("\(path)/cpu.cfs_quota_us", String(cpuLimitMillis * 100))
                }
                if let cpuShares { try FileSystem.write("\(path)/cpu.shares", String(cpuShares)) }
                directories["cpu"] = path
            }
            return directories
        }
    }

    /// Removes the pod's cgroups (apps first), once they hold no process.
    public func remove(pod: String) {
        for mount in hierarchies.values {
            let podPath = "\(mount)/rkt-suite/\(pod)"
            if let directory = opendir(podPath) {
                while let item = readdir(directory) {
                    let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                    if item.pointee.d_type == UInt8(DT_DIR) && name != "." && name != ".." { rmdir("\(podPath)/\(name)") }
                }
                closedir(directory)
            }
            rmdir(podPath)
        }
    }
}
