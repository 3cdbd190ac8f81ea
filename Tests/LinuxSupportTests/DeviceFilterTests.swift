import Foundation
import LinuxSupport
import TestSupport
import Testing

/// The cgroup v2 half of a pod's device allow-list (a cgroup device program), tried wherever this
/// host mounts cgroup2: on a hybrid host, programs on the unified hierarchy apply as on a v2 one.
@Suite("stage1 device allow-list on cgroup v2")
struct DeviceFilterTests {
    /// The mount point of the cgroup2 hierarchy, if any.
    static let unified: String? = {
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return mountinfo.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard let separator = fields.firstIndex(of: "-"), separator + 1 < fields.count, fields[separator + 1] == "cgroup2" else { return nil }
            return String(fields[4])
        }.first
    }()

    /// `sh -c script` started in `cgroup` (a cgroup2 directory): its standard output.
    static func run(_ script: String, in cgroup: String) throws -> String {
        let directory = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(directory) }
        return try SpawnerTests.run(script) { request in
            request.cgroupDirectory = directory
            request.standardError = request.standardOutput
        }.output
    }

    @Test("the pod's device program lets the default set open and refuses the rest (/dev/kmsg); mknod stays allowed",
          .enabled(if: geteuid() == 0 && unified != nil, "needs root and a cgroup2 hierarchy"))
    func defaultSetOnly() throws {
        let cgroups = Cgroups(version: .v2, hierarchies: ["": try #require(Self.unified)])
        let pod = "device-filter-test-\(getpid())"
        defer { cgroups.remove(pod: pod) }
        _ = try cgroups.createPod(pod, devices: DeviceRule.defaults, pidsLimit: nil, warn: { _ in })
        let app = try #require(try cgroups.createApp(pod: pod, app: "probe", memoryLimit: nil, cpuLimitMillis: nil, cpuShares: nil)[""])
        let scratch = try Scratch()
        let script = """
            (exec 3</dev/null) && echo null=open; (exec 3</dev/kmsg) 2>/dev/null && echo kmsg=open
            mknod \(scratch.path("kmsg")) c 1 11 && echo mknod=done
            """
        let output = try Self.run(script, in: app)
        #expect(output.contains("null=open"), "\(output)")
        #expect(!output.contains("kmsg=open"), "a device outside the allow-list opened: \(output)")
        #expect(output.contains("mknod=done"), "\(output)")
        // Without the program, the same process opens it: the program is what refuses.
        let unfiltered = "\(Self.unified!)/device-filter-control-\(getpid())"
        try FileManager.default.createDirectory(atPath: unfiltered, withIntermediateDirectories: true)
        defer { rmdir(unfiltered) }
        #expect(try Self.run(script, in: unfiltered).contains("kmsg=open"))
    }

    @Test("a device handed over read-only opens for reading, not for writing",
          .enabled(if: geteuid() == 0 && unified != nil, "needs root and a cgroup2 hierarchy"))
    func readOnlyDevice() throws {
        let cgroups = Cgroups(version: .v2, hierarchies: ["": try #require(Self.unified)])
        let pod = "device-filter-read-only-\(getpid())"
        defer { cgroups.remove(pod: pod) }
        var kmsg = stat()
        #expect(stat("/dev/kmsg", &kmsg) == 0)
        let handed = try #require(DeviceRule(node: kmsg, readOnly: true))
        _ = try cgroups.createPod(pod, devices: DeviceRule.defaults + [handed], pidsLimit: nil, warn: { _ in })
        let app = try #require(try cgroups.createApp(pod: pod, app: "probe", memoryLimit: nil, cpuLimitMillis: nil, cpuShares: nil)[""])
        let output = try Self.run("(exec 3</dev/kmsg) && echo read=open; (exec 3<>/dev/kmsg) 2>/dev/null && echo write=open", in: app)
        #expect(output.contains("read=open"), "\(output)")
        #expect(!output.contains("write=open"), "\(output)")
    }
}
