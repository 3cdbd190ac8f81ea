import Foundation
import TestSupport
import Testing

/// Issue 6: isolators — memory and cpu (cgroups), capabilities, seccomp, no_new_privs, oom score.
@Suite("rkt pods: isolators", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodIsolatorTests {
    static let memoryLimit = "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max"

    static func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    // MARK: memory and cpu

    @Test("--memory=50M is the app's cgroup limit, visible from inside")
    func memoryLimitVisible() throws {
        let home = try PodHome()
        let image = try home.image()
        let limited = try home.run([image, "--memory=50M", "--exec=/bin/sh", "--", "-c", Self.memoryLimit])
        #expect(limited.status == 0, "\(limited.stderr)")
        // 50M is 50 000 000 bytes (M = 10^6, Mi = 2^20), which the kernel rounds down to whole pages.
        let expected = ["50000000", String(50_000_000 / 4096 * 4096)]
        #expect(expected.contains(Self.lastLine(limited.stdout)), "\(limited.stdout) \(limited.stderr)")
        let unlimited = try home.run([image, "--exec=/bin/sh", "--", "-c", Self.memoryLimit])
        // Without limits the app gets no cgroup of its own: no limit file shows (cat fails).
        #expect(Self.lastLine(unlimited.stdout).isEmpty, "\(unlimited.stdout)")
        let binary = try home.run([image, "--memory=64Mi", "--exec=/bin/sh", "--", "-c", Self.memoryLimit])
        #expect(Self.lastLine(binary.stdout) == "67108864", "\(binary.stdout) \(binary.stderr)")
    }

    @Test("--memory=50M is enforced: a process growing to ~200 MB is killed (OOM), while without the limit it completes")
    func memoryLimitEnforced() throws {
        let home = try PodHome()
        let image = try home.image()
        // busybox tail keeps the whole "line" (no newline in /dev/zero) in memory.
        let grow = "head -c 200000000 /dev/zero | tail >/dev/null; echo tail-status=$?"
        let limited = try home.run([image, "--memory=50M", "--exec=/bin/sh", "--", "-c", grow])
        let limitedStatus = limited.stdout.split(separator: "\n").first { $0.hasPrefix("tail-status=") }.map(String.init)
        #expect(limitedStatus == "tail-status=137", "the allocating process must be OOM-killed (SIGKILL): stdout \(limited.stdout) stderr \(limited.stderr) rkt \(limited.status)")
        let unlimited = try home.run([image, "--exec=/bin/sh", "--", "-c", grow])
        #expect(unlimited.stdout.contains("tail-status=0"), "without a limit the same command completes: \(unlimited.stdout) \(unlimited.stderr)")
    }

    @Test("--memory=30M is enforced for tmpfs pages too: dd of 60 MB into /dev/shm (64 MiB) does not get 60 MB")
    func memoryLimitEnforcedOnShm() throws {
        let home = try PodHome()
        let image = try home.image()
        let fill = "dd if=/dev/zero of=/dev/shm/x bs=1M count=60 2>/dev/null; echo dd-status=$?; echo size=$(wc -c < /dev/shm/x)"
        let limited = try home.run([image, "--memory=30M", "--exec=/bin/sh", "--", "-c", fill])
        let output = limited.stdout
        let completed = output.contains("dd-status=0") && output.contains("size=62914560")
        #expect(!completed, "60 MB written under a 30 MB limit: stdout \(output) stderr \(limited.stderr) rkt \(limited.status)")
        let unlimited = try home.run([image, "--exec=/bin/sh", "--", "-c", fill])
        #expect(unlimited.stdout.contains("size=62914560"), "\(unlimited.stdout) \(unlimited.stderr)")
    }

    @Test("--cpu=500m and --cpu-shares=512 set the cgroup's cfs quota (50000 of 100000 µs) and shares")
    func cpuLimits() throws {
        let home = try PodHome()
        let image = try home.image()
        let show = """
            if [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then \
            echo quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) period=$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us) shares=$(cat /sys/fs/cgroup/cpu/cpu.shares); \
            else echo max=$(cat /sys/fs/cgroup/cpu.max) weight=$(cat /sys/fs/cgroup/cpu.weight); fi
            """
        let limited = try home.run([image, "--cpu=500m", "--cpu-shares=512", "--exec=/bin/sh", "--", "-c", show])
        #expect(limited.status == 0, "\(limited.stderr)")
        if limited.stdout.contains("quota=") {
            #expect(limited.stdout.contains("quota=50000 period=100000 shares=512"), "\(limited.stdout)")
        } else {
            #expect(limited.stdout.contains("max=50000 100000"), "\(limited.stdout)")
        }
        let unlimited = try home.run([image, "--exec=/bin/sh", "--", "-c", show])
        #expect(!unlimited.stdout.contains("quota=50000") && !unlimited.stdout.contains("max=50000"), "\(unlimited.stdout)")
    }

    // MARK: capabilities

    static let capabilities = "grep -E '^Cap(Prm|Eff|Bnd):' /proc/self/status"

    @Test("the default capability set is appc's 14 capabilities (0xa80425fb) — effective, permitted and bounding")
    func defaultCapabilities() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run([image, "--exec=/bin/sh", "--", "-c", Self.capabilities])
        #expect(result.status == 0, "\(result.stderr)")
        let fields = PodTestSupport.statusFields(result.stdout)
        #expect(fields["CapEff"] == "00000000a80425fb", "\(result.stdout)")
        #expect(fields["CapPrm"] == "00000000a80425fb", "\(result.stdout)")
        #expect(fields["CapBnd"] == "00000000a80425fb", "\(result.stdout)")
    }

    @Test("a non-root app has no effective capability and the same restricted bounding set")
    func nonRootCapabilities() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run([image, "--user=1000", "--group=1000", "--exec=/bin/sh", "--", "-c", Self.capabilities])
        #expect(result.status == 0, "\(result.stderr)")
        let fields = PodTestSupport.statusFields(result.stdout)
        #expect(fields["CapEff"] == "0000000000000000", "\(result.stdout)")
        #expect(fields["CapBnd"] == "00000000a80425fb", "\(result.stdout)")
    }

    @Test("--caps-retain=CAP_NET_BIND_SERVICE leaves only that capability")
    func retainCapabilities() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run([image, "--caps-retain=CAP_NET_BIND_SERVICE", "--exec=/bin/sh", "--", "-c", Self.capabilities])
        #expect(result.status == 0, "\(result.stderr)")
        let fields = PodTestSupport.statusFields(result.stdout)
        #expect(fields["CapEff"] == "0000000000000400", "\(result.stdout)")
        #expect(fields["CapBnd"] == "0000000000000400", "\(result.stdout)")
    }

    @Test("--caps-remove=CAP_CHOWN makes chown fail (it works by default)")
    func removeCapability() throws {
        let home = try PodHome()
        let image = try home.image()
        let script = "touch /tmp/f && chown 1:1 /tmp/f; echo chown-status=$?; " + Self.capabilities
        let removed = try home.run([image, "--caps-remove=CAP_CHOWN", "--exec=/bin/sh", "--", "-c", script])
        #expect(removed.stdout.contains("chown-status=1"), "\(removed.stdout) \(removed.stderr)")
        #expect(removed.stderr.contains("Operation not permitted"), "\(removed.stderr)")
        #expect(PodTestSupport.statusFields(removed.stdout)["CapEff"] == "00000000a80425fa", "\(removed.stdout)")
        let allowed = try home.run([image, "--exec=/bin/sh", "--", "-c", script])
        #expect(allowed.stdout.contains("chown-status=0"), "\(allowed.stdout) \(allowed.stderr)")
    }

    @Test("--caps-retain and --caps-remove on one app are refused (rkt's stage1 refuses both isolators); nothing runs")
    func retainAndRemoveConflict() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run([image, "--caps-retain=CAP_CHOWN", "--caps-remove=CAP_KILL", "--exec=/bin/echo", "--", "app-ran"])
        #expect(result.status == 254, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("cannot have both --caps-retain and --caps-remove"), "\(result.stderr)")
        #expect(!result.stdout.contains("app-ran"), "\(result.stdout)")
    }

    @Test("--insecure-options=capabilities leaves the app the host's full set")
    func capabilitiesDisabled() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run([image, "--exec=/bin/sh", "--", "-c", Self.capabilities], insecure: "image,capabilities")
        #expect(result.status == 0, "\(result.stderr)")
        let fields = PodTestSupport.statusFields(result.stdout)
        #expect(fields["CapEff"] == PodTestSupport.hostCapabilities(), "\(result.stdout)")
        #expect(fields["CapEff"] != "00000000a80425fb")
    }

    // MARK: seccomp and no_new_privs

    static let mountAttempt = "mkdir -p /mnt; mount -t tmpfs x /mnt; echo mount-status=$?; unshare -m true; echo unshare-status=$?"

    @Test("seccomp: NoNewPrivs 1 and Seccomp 2 by default; the default filter refuses mount and unshare with EPERM even with every capability")
    func defaultSeccomp() throws {
        let home = try PodHome()
        let image = try home.image()
        let status = try home.run([image, "--exec=/bin/grep", "--", "-E", "^(NoNewPrivs|Seccomp):", "/proc/self/status"])
        let fields = PodTestSupport.statusFields(status.stdout)
        #expect(fields["NoNewPrivs"] == "1", "\(status.stdout) \(status.stderr)")
        #expect(fields["Seccomp"] == "2", "\(status.stdout) \(status.stderr)")

        let confined = try home.run([image, "--exec=/bin/sh", "--", "-c", Self.mountAttempt])
        #expect(confined.stdout.contains("mount-status=") && !confined.stdout.contains("mount-status=0"), "\(confined.stdout)")
        #expect(!confined.stdout.contains("unshare-status=0"), "\(confined.stdout)")
        #expect(confined.stderr.contains("Operation not permitted"), "\(confined.stderr)")

        // With every capability, only the seccomp filter stands between the app and mount/unshare.
        let filtered = try home.run([image, "--exec=/bin/sh", "--", "-c", Self.mountAttempt], insecure: "image,capabilities")
        #expect(!filtered.stdout.contains("mount-status=0"), "the default filter must refuse mount: \(filtered.stdout)")
        #expect(!filtered.stdout.contains("unshare-status=0"), "the default filter must refuse unshare: \(filtered.stdout)")
        #expect(filtered.stderr.contains("Operation not permitted"), "EPERM: \(filtered.stderr)")

        let unfiltered = try home.run([image, "--exec=/bin/sh", "--", "-c", Self.mountAttempt], insecure: "image,capabilities,seccomp")
        #expect(unfiltered.stdout.contains("mount-status=0"), "\(unfiltered.stdout) \(unfiltered.stderr)")
        #expect(unfiltered.stdout.contains("unshare-status=0"), "\(unfiltered.stdout) \(unfiltered.stderr)")
        let off = try home.run([image, "--exec=/bin/grep", "--", "^Seccomp:", "/proc/self/status"], insecure: "image,seccomp")
        #expect(PodTestSupport.statusFields(off.stdout)["Seccomp"] == "0", "\(off.stdout)")
    }

    @Test("--seccomp mode=remove,errno=ENOSYS,uname makes uname fail (busybox then prints an empty name); the errno is the one given; without one the app is killed")
    func customSeccomp() throws {
        let home = try PodHome()
        let image = try home.image()
        // busybox uname ignores uname(2)'s result: a refused call shows as an empty line instead of "Linux".
        let script = "echo uname=$(uname); mkdir /tmp/x; echo mkdir-status=$?"
        let removed = try home.run([image, "--seccomp", "mode=remove,errno=ENOSYS,uname,mkdir,mkdirat", "--exec=/bin/sh", "--", "-c", script])
        #expect(removed.stdout.contains("uname=\n"), "uname must fail: \(removed.stdout) \(removed.stderr)")
        #expect(removed.stdout.contains("mkdir-status=1"), "\(removed.stdout)")
        #expect(removed.stderr.contains("Function not implemented"), "errno=ENOSYS: \(removed.stderr)")
        // Without an errno, a refused call kills the app (SIGSYS), as rkt documents.
        let killed = try home.run([image, "--seccomp", "mode=remove,mkdir,mkdirat", "--exec=/bin/mkdir", "--", "/tmp/x"])
        #expect(killed.status == 128 + SIGSYS, "\(killed.status) \(killed.stdout) \(killed.stderr)")
        let allowed = try home.run([image, "--exec=/bin/sh", "--", "-c", script])
        #expect(allowed.stdout.contains("uname=Linux") && allowed.stdout.contains("mkdir-status=0"), "\(allowed.stdout) \(allowed.stderr)")
        let bad = try home.rkt(["run", image, "--seccomp", "uname"])
        #expect(bad.status == 254, "a --seccomp without mode must be refused: \(bad.stderr)")
    }

    @Test("--seccomp wildcards: a retain set of @rkt/default-whitelist or @docker/default-whitelist runs a shell; unknown names and wildcards are refused")
    func seccompWildcards() throws {
        let home = try PodHome()
        let image = try home.image()
        for wildcard in ["@rkt/default-whitelist", "@docker/default-whitelist"] {
            let result = try home.run([image, "--seccomp", "mode=retain,errno=ENOSYS,\(wildcard)", "--exec=/bin/sh", "--", "-c",
                                       "echo ok; mount -t tmpfs x /tmp; echo mount-status=$?"])
            #expect(result.status == 0, "\(wildcard): \(result.status) \(result.stderr)")
            #expect(result.stdout.hasPrefix("ok\nmount-status=") && !result.stdout.contains("mount-status=0"), "\(wildcard): \(result.stdout)")
            #expect(result.stderr.contains("Function not implemented"), "\(wildcard): mount is outside the list: \(result.stderr)")
        }
        // Without an errno too: the filter is loaded last before the app's exec, which a retain set always allows.
        let killing = try home.run([image, "--seccomp", "mode=retain,@rkt/default-whitelist", "--exec=/bin/sh", "--", "-c", "echo ok"])
        #expect(killing.status == 0 && killing.stdout == "ok\n", "\(killing.status) \(killing.stdout) \(killing.stderr)")
        let tiny = try home.run([image, "--seccomp", "mode=retain,write", "--exec=/bin/true"])
        #expect(tiny.status == 128 + SIGSYS, "the app starts, then dies at its first call outside the set: \(tiny.status) \(tiny.stderr)")
        for (set, message) in [("mode=remove,nosuchcall", "unknown system call \"nosuchcall\""),
                               ("mode=retain,@rkt/no-such-group", "unknown seccomp wildcard \"@rkt/no-such-group\"")] {
            let result = try home.run([image, "--seccomp", set, "--exec=/bin/echo", "--", "app-ran"])
            #expect(result.status == 254, "\(set): \(result.status)")
            #expect(result.stderr.contains(message), "\(set): \(result.stderr)")
            #expect(!result.stdout.contains("app-ran"), "\(set): \(result.stdout)")
        }
    }

    // MARK: oom score

    @Test("--oom-score-adj=N is the app's /proc/self/oom_score_adj; the image's os/linux/oom-score-adj isolator too, and the flag overrides it")
    func oomScoreAdjust() throws {
        let home = try PodHome()
        let image = try home.image()
        let flag = try home.run([image, "--oom-score-adj=500", "--exec=/bin/cat", "--", "/proc/self/oom_score_adj"])
        #expect(flag.status == 0, "\(flag.stderr)")
        #expect(flag.stdout == "500\n", "\(flag.stdout)")

        let isolated = try home.image("oom.aci", manifest: PodTestSupport.manifest(app: #"""
            {"exec":["/bin/cat","/proc/self/oom_score_adj"],"user":"0","group":"0",
             "isolators":[{"name":"os/linux/oom-score-adj","value":250}]}
            """#))
        let fromImage = try home.run([isolated])
        #expect(fromImage.stdout == "250\n", "\(fromImage.stdout) \(fromImage.stderr)")
        // Raised, not lowered: lowering needs CAP_SYS_RESOURCE, which a test host may not have.
        let overridden = try home.run([isolated, "--oom-score-adj=800"])
        #expect(overridden.stdout == "800\n", "\(overridden.stdout) \(overridden.stderr)")

        let bad = try home.rkt(["run", image, "--oom-score-adj=high"])
        #expect(bad.status == 254, "\(bad.stderr)")
    }
}
