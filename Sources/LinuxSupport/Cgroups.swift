import CLinux
import Glibc

/// The control groups of a pod, on cgroup v1 (the memory, cpu, devices and pids hierarchies) or
/// v2 (the unified hierarchy), detected from `/proc/self/mountinfo`. Every pod gets
/// `<hierarchy>/rkt-suite/<pod uuid>` with its device allow-list and process limit; an app with
/// memory or cpu limits (on v2, every app) gets `…/<pod uuid>/<app>` holding them.
public struct Cgroups: Sendable {
    public enum Version: Sendable { case v1, v2 }

    public let version: Version
    /// v1: controller → hierarchy mount point; v2: "" → the unified mount point.
    public let hierarchies: [String: String]

    public init(version: Version, hierarchies: [String: String]) {
        self.version = version
        self.hierarchies = hierarchies
    }

    /// The v1 controllers stage1 uses.
    static let controllers = ["memory", "cpu", "devices", "pids"]

    /// Detects the layout: v2 when cgroup2 is mounted at /sys/fs/cgroup, else the v1 controllers.
    public static func detect() throws -> Cgroups {
        var v1: [String: String] = [:]
        var unified = false
        // Only the cgroup lines of mountinfo are decoded ("… MOUNTPOINT … - cgroup[2] SOURCE OPTIONS").
        for line in try FileIO.readFile("/proc/self/mountinfo").split(separator: 0x0A) {
            let fields = line.split(separator: 0x20)
            guard fields.count > 4, let separator = fields.firstIndex(where: { $0.elementsEqual([0x2D]) }), separator + 3 < fields.count else { continue }
            let type = fields[separator + 1]
            guard type.elementsEqual("cgroup".utf8) || type.elementsEqual("cgroup2".utf8) else { continue }
            let mountPoint = String(decoding: fields[4], as: UTF8.self)
            if type.elementsEqual("cgroup2".utf8) && mountPoint == "/sys/fs/cgroup" { unified = true }
            if type.elementsEqual("cgroup".utf8) {
                for option in fields[separator + 3].split(separator: 0x2C) {
                    let name = String(decoding: option, as: UTF8.self)
                    if controllers.contains(name) { v1[name] = mountPoint }
                }
            }
        }
        if unified { return Cgroups(version: .v2, hierarchies: ["": "/sys/fs/cgroup"]) }
        guard !v1.isEmpty else { throw LinuxError.noCgroupHierarchy }
        return Cgroups(version: .v1, hierarchies: v1)
    }

    /// Creates the pod's cgroups: the device allow-list (`devices`; nil: every device, as with
    /// `--insecure-options=paths`) and the process limit (`pidsLimit`; nil: none; `warn` hears
    /// when the host has no pids controller to enforce it). Returns them as controller →
    /// directory ("" for the unified hierarchy). Refuses to go on without a devices mechanism,
    /// which would leave the host's devices open to the pod.
    public func createPod(_ pod: String, devices: [DeviceRule]?, pidsLimit: Int?, warn: (String) -> Void) throws -> [String: String] {
        switch version {
        case .v2:
            let root = hierarchies[""]!
            try makeDelegating("\(root)/rkt-suite", controllers: ["memory", "cpu", "pids"])
            let path = "\(root)/rkt-suite/\(pod)"
            try makeDelegating(path, controllers: ["memory", "cpu"])
            if let pidsLimit {
                if FileIO.exists("\(path)/pids.max") {
                    try FileIO.writeFile("\(path)/pids.max", String(pidsLimit))
                } else {
                    warn("warning: the pids controller is not available below \(root): the pod's process limit is not enforced")
                }
            }
            if let devices {
                guard let directory = FileDescriptor(checking: open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) else {
                    throw SystemCallError("open", path: path)
                }
                let rules = devices.map(\.cRule)
                if rkt_attach_device_filter(directory.rawValue, rules, Int32(rules.count)) != 0 {
                    throw LinuxError.deviceProgram(path: path, code: errno)
                }
            }
            return ["": path]
        case .v1:
            var directories: [String: String] = [:]
            if let devices {
                guard let mount = hierarchies["devices"] else {
                    throw LinuxError.noDevicesController
                }
                let path = "\(mount)/rkt-suite/\(pod)"
                try FileIO.makeDirectories(path)
                try FileIO.writeFile("\(path)/devices.deny", "a")
                // One rule per write, through one descriptor.
                let allow = try FileDescriptor.open("\(path)/devices.allow", O_WRONLY)
                for rule in devices { try FileIO.writeAll(allow.rawValue, Array(rule.line.utf8), path: "\(path)/devices.allow") }
                directories["devices"] = path
            }
            if let pidsLimit {
                guard let mount = hierarchies["pids"] else {
                    warn("warning: no cgroup pids controller is mounted: the pod's process limit is not enforced")
                    return directories
                }
                let path = "\(mount)/rkt-suite/\(pod)"
                try FileIO.makeDirectories(path)
                try FileIO.writeFile("\(path)/pids.max", String(pidsLimit))
                directories["pids"] = path
            }
            return directories
        }
    }

    /// Creates the cgroups an app's limits need, with those limits, and returns them as controller
    /// → directory ("" for the unified hierarchy). On v1 an app without limits gets none and
    /// stays in its pod's cgroups; on v2 every app gets one (a cgroup with controllers enabled
    /// for its children holds no process itself).
    public func createApp(pod: String, app: String, memoryLimit: Int64?, cpuLimitMillis: Int64?, cpuShares: Int?) throws -> [String: String] {
        let wantsCPU = cpuLimitMillis != nil || cpuShares != nil
        switch version {
        case .v2:
            let path = "\(hierarchies[""]!)/rkt-suite/\(pod)/\(app)"
            try FileIO.makeDirectories(path)
            func limit(_ file: String, _ value: String, _ controller: String) throws {
                guard FileIO.exists("\(path)/\(file)") else {
                    throw LinuxError.controllerUnavailable(controller: controller, path: path)
                }
                try FileIO.writeFile("\(path)/\(file)", value)
            }
            if let memoryLimit { try limit("memory.max", String(memoryLimit), "memory") }
            if let cpuLimitMillis { try limit("cpu.max", "\(cpuLimitMillis * 100) 100000", "cpu") }
            if let cpuShares { try limit("cpu.weight", String(1 + ((cpuShares - 2) * 9999) / 262_142), "cpu") }
            return ["": path]
        case .v1:
            var directories: [String: String] = [:]
            if let memoryLimit, let mount = hierarchies["memory"] {
                let path = "\(mount)/rkt-suite/\(pod)/\(app)"
                try FileIO.makeDirectories(path)
                try FileIO.writeFile("\(path)/memory.limit_in_bytes", String(memoryLimit))
                directories["memory"] = path
            }
            if wantsCPU, let mount = hierarchies["cpu"] {
                let path = "\(mount)/rkt-suite/\(pod)/\(app)"
                try FileIO.makeDirectories(path)
                if let cpuLimitMillis {
                    try FileIO.writeFile("\(path)/cpu.cfs_period_us", "100000")
                    try FileIO.writeFile("\(path)/cpu.cfs_quota_us", String(cpuLimitMillis * 100))
                }
                if let cpuShares { try FileIO.writeFile("\(path)/cpu.shares", String(cpuShares)) }
                directories["cpu"] = path
            }
            return directories
        }
    }

    /// The files a process writes "0" to for joining `directories` (v1 `tasks`: a process of one
    /// thread moved alone skips the wait for an RCU grace period, 5–25 ms here, that writing
    /// `cgroup.procs` costs).
    public static func tasksFiles(_ directories: [String: String]) -> [String] {
        directories.filter { !$0.key.isEmpty }.values.sorted().map { "\($0)/tasks" }
    }

    /// Removes the pod's cgroups (apps first), once they hold no process.
    public func remove(pod: String) {
        for mount in Set(hierarchies.values) {
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

    /// `mkdir -p`, then (best effort) the controllers its children may use, one by one (a write of
    /// several fails whole when one is missing): a controller the parent does not delegate cannot
    /// be enabled, and what needs it says so.
    private func makeDelegating(_ path: String, controllers: [String]) throws {
        try FileIO.makeDirectories(path)
        for controller in controllers { try? FileIO.writeFile("\(path)/cgroup.subtree_control", "+\(controller)") }
    }
}
