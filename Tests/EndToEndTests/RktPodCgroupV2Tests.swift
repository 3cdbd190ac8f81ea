import Foundation
import TestSupport
import Testing

/// Pods on cgroup v2, wherever this host mounts cgroup2: on a hybrid host the tests run `rkt run`
/// in a private mount namespace with the unified hierarchy at /sys/fs/cgroup, where stage1 finds a
/// pure v2 layout (its device program, CLONE_INTO_CGROUP, its warnings).
@Suite("rkt pods: cgroup v2", .serialized, .enabled(if: PodTestSupport.isRoot && PodTestSupport.cgroup2Mount != nil, "needs root and cgroup2"))
struct RktPodCgroupV2Tests {
    static var unified: String? { PodTestSupport.cgroup2Mount }

    /// The mount options of the cgroup2 mount, as this (the host's) mount namespace sees them.
    static func unifiedOptions() -> String {
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return mountinfo.split(separator: "\n").first { $0.contains(" - cgroup2 ") }.map { String($0.split(separator: " ")[5]) } ?? ""
    }

    /// `rkt run ARGUMENTS` seeing cgroup2 at /sys/fs/cgroup.
    static func run(_ home: PodHome, _ arguments: [String]) throws -> Tool.Result {
        let unified = try #require(Self.unified)
        let setup = unified == "/sys/fs/cgroup" ? "true" : "mount --bind '\(unified)' /sys/fs/cgroup"
        return try RktPodEscapeTests.runWithMounts(home, setup: setup, arguments)
    }

    @Test("an app runs in rkt-suite/UUID/APP with the pod's device program; the host's hierarchy stays writable; nothing is left")
    func podOnCgroupV2() throws {
        let home = try PodHome()
        let image = try home.image(customize: Probe.install)
        let before = Self.unifiedOptions()
        // On a build that remounts the hierarchy (the bug this guards against), it is put back.
        defer {
            if Self.unifiedOptions() != before, let unified = Self.unified {
                _ = try? Tool.execute("/bin/mount", ["-o", "remount,rw", unified])
            }
        }
        let uuidFile = home.path("uuid")
        let script = "cat /proc/self/cgroup; dd if=/dev/handed bs=8192 count=1 2>/dev/null | wc -c | sed 's/^ */read=/'; /bin/probe open-rw /dev/handed"
        let result = try Self.run(home, ["--uuid-file-save=\(uuidFile)", "--volume", "kmsg,kind=host,source=/dev/kmsg,readOnly=true",
                                         image, "--mount", "volume=kmsg,target=/dev/handed", "--caps-retain=\(RktPodEscapeTests.defaultCapsWithSyslog)",
                                         "--exec=/bin/sh", "--", "-c", script])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        #expect(result.stdout.contains("0::/rkt-suite/\(uuid)/busybox"), "\(result.stdout)")
        #expect(Probe.value("read", in: result.stdout).flatMap { Int($0) }.map { $0 > 0 } == true, "\(result.stdout) \(result.stderr)")
        #expect(Probe.value("open-rw", in: result.stdout) == "EPERM", "a read-only device opened for writing past the device program: \(result.stdout)")
        #expect(Self.unifiedOptions() == before, "the host's cgroup2 mount changed: \(before) → \(Self.unifiedOptions())")
        #expect(!FileManager.default.fileExists(atPath: "\(Self.unified!)/rkt-suite/\(uuid)"), "the pod's cgroup is left")
    }

    @Test("a pids limit cgroup v2 cannot enforce (no pids controller delegated) is said, not silently dropped")
    func missingPidsControllerIsSaid() throws {
        let unified = try #require(Self.unified)
        let controllers = (try? String(contentsOfFile: "\(unified)/cgroup.controllers", encoding: .utf8)) ?? ""
        try #require(!controllers.contains("pids"), "this host delegates pids on cgroup2: nothing to warn about")
        let home = try PodHome()
        let image = try home.image()
        let result = try Self.run(home, [image, "--exec=/bin/true"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("the pod's process limit is not enforced"), "\(result.stderr)")
    }
}
