import Foundation
import LinuxSupport
import Testing

@Suite("Linux layer: cgroup layout detection")
struct CgroupsTests {
    /// The cgroup file systems in /proc/self/mounts: (mount point, type, options).
    static let mounts: [(point: String, type: String, options: [String])] = {
        let text = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count > 3, fields[2] == "cgroup" || fields[2] == "cgroup2" else { return nil }
            return (fields[1], fields[2], fields[3].split(separator: ",").map(String.init))
        }
    }()

    @Test("the layout follows the mounts: v2 when cgroup2 is /sys/fs/cgroup, else each v1 controller's hierarchy",
          .enabled(if: !mounts.isEmpty, "no cgroup file system is mounted"))
    func detection() throws {
        let cgroups = try Cgroups.detect()
        if Self.mounts.contains(where: { $0.type == "cgroup2" && $0.point == "/sys/fs/cgroup" }) {
            #expect(cgroups.version == .v2)
            #expect(cgroups.hierarchies == ["": "/sys/fs/cgroup"])
        } else {
            #expect(cgroups.version == .v1)
            var expected: [String: String] = [:]
            for mount in Self.mounts where mount.type == "cgroup" {
                for controller in ["memory", "cpu", "devices", "pids"] where mount.options.contains(controller) {
                    expected[controller] = mount.point
                }
            }
            #expect(cgroups.hierarchies == expected)
        }
    }

    @Test("a hybrid host (v1 controllers, cgroup2 beside them) is run on v1",
          .enabled(if: mounts.contains { $0.type == "cgroup2" && $0.point != "/sys/fs/cgroup" } && mounts.contains { $0.type == "cgroup" },
                   "not a hybrid cgroup host"))
    func hybridIsV1() throws {
        let cgroups = try Cgroups.detect()
        #expect(cgroups.version == .v1)
        #expect(cgroups.hierarchies["devices"] != nil)
        #expect(!cgroups.hierarchies.values.contains { path in Self.mounts.contains { $0.type == "cgroup2" && $0.point == path } })
    }
}
