import Foundation
import TestSupport
import Testing

/// Issue 6: what an ns pod's app (and a command entered into it) must not see or do.
@Suite("rkt pods: confinement (ns flavor)", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodConfinementTests {
    /// appc's default capability set plus CAP_SYS_PTRACE.
    static let defaultCapsWithPtrace = "CAP_AUDIT_WRITE,CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_KILL,CAP_MKNOD,CAP_NET_RAW,"
        + "CAP_NET_BIND_SERVICE,CAP_SETUID,CAP_SETGID,CAP_SETPCAP,CAP_SETFCAP,CAP_SYS_CHROOT,CAP_SYS_PTRACE"

    /// A root-writable sysfs attribute of the host, probed (opened for appending, nothing written) from inside.
    static var writableSysfsFile: String {
        let candidates: [String] = ["/sys/kernel/mm/ksm/run", "/sys/kernel/mm/transparent_hugepage/enabled", "/sys/kernel/profiling", "/sys/power/state"]
        return candidates.first { path in access(path, W_OK) == 0 } ?? "/sys/kernel/uevent_helper"
    }

    static func value(_ key: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    // MARK: rkt enter

    @Test("rkt enter: same capabilities, NoNewPrivs 1, Seccomp 2 and cgroups as the app; the app's files and hostname; mount fails")
    func enterIsConfinedLikeTheApp() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let probe = #"grep -E "Cap|NoNewPrivs|Seccomp" /proc/self/status; cat /proc/self/cgroup"#
        // A memory limit gives the app cgroups of its own (an app without limits gets none).
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--memory=64M", "--exec=/bin/sh", "--", "-c",
                                  "\(probe); echo app-file > /tmp/marker; echo app-ready; exec sleep 300"])
        #expect(run.waitForOutput("app-ready"), "stdout: \(run.stdout) stderr: \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let appOutput = String(run.stdout.components(separatedBy: "app-ready\n")[0])
        let appFields = PodTestSupport.statusFields(appOutput)
        #expect(appFields["CapEff"] == "00000000a80425fb", "\(appOutput)")

        let entered = try home.rkt(["enter", uuid, "/bin/sh", "-c", probe], timeout: 60)
        #expect(entered.status == 0, "\(entered.stderr)")
        #expect(entered.stdout == appOutput, "enter:\n\(entered.stdout)\napp:\n\(appOutput)")
        let fields = PodTestSupport.statusFields(entered.stdout)
        #expect(fields["NoNewPrivs"] == "1", "\(entered.stdout)")
        #expect(fields["Seccomp"] == "2", "\(entered.stdout)")
        #expect(fields["CapEff"] == "00000000a80425fb" && fields["CapBnd"] == "00000000a80425fb", "\(entered.stdout)")
        #expect(entered.stdout.contains("/rkt-suite/\(uuid)/busybox"), "enter must join the app's cgroups: \(entered.stdout)")

        let view = try home.rkt(["enter", uuid, "/bin/sh", "-c", "cat /tmp/marker; hostname; echo pid1=$(tr '\\0' ' ' < /proc/1/cmdline)"], timeout: 60)
        #expect(view.stdout.contains("app-file"), "enter must see the app's root: \(view.stdout) \(view.stderr)")
        #expect(view.stdout.contains("rkt-\(uuid)"), "\(view.stdout)")

        let mount = try home.rkt(["enter", uuid, "/bin/sh", "-c",
                                  "mkdir -p /mnt; mount -t tmpfs x /mnt; echo mount-status=$?; unshare -m true; echo unshare-status=$?; cat /proc/1/exe >/dev/null; echo exe-status=$?"],
                                 timeout: 60)
        #expect(!mount.stdout.contains("mount-status=0"), "an entered command must not mount: \(mount.stdout)")
        #expect(!mount.stdout.contains("unshare-status=0"), "\(mount.stdout)")
        #expect(!mount.stdout.contains("exe-status=0"), "\(mount.stdout)")
        #expect(mount.stdout.contains("mount-status="), "\(mount.stdout) \(mount.stderr)")

        let stop = try home.rkt(["stop", uuid])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(run.wait(timeout: 30) != nil, "rkt run must end after rkt stop")
        home.expectNoLeftovers("rkt stop of an entered pod")
        let late = try home.rkt(["enter", uuid, "/bin/true"])
        #expect(late.status == 254)
        #expect(late.stderr.contains("isn't currently running"), "\(late.stderr)")
    }

    @Test("rkt enter without a command runs /bin/bash as rkt did, or /bin/sh in an image without bash, and says which")
    func enterDefaultShell() throws {
        let home = try PodHome()
        let plain = try home.image()
        let withBash = try home.image("bash.aci", files: ["bin/bash": "#!/bin/sh\necho fake-bash\n"])
        for (image, shell, output) in [(plain, "/bin/sh", "in-shell\n"), (withBash, "/bin/bash", "fake-bash\n")] {
            let uuidFile = home.path("uuid-\(shell.count)")
            let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
            #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
            let uuid = try #require(home.uuid(uuidFile))
            let entered = try home.rkt(["enter", uuid], stdin: Data("echo in-shell\n".utf8), timeout: 60)
            #expect(entered.stderr.contains("no command specified, assuming \"\(shell)\""), "\(entered.stderr)")
            #expect(entered.stdout == output, "\(shell): \(entered.stdout) \(entered.stderr)")
            #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
            #expect(run.wait(timeout: 30) != nil)
        }
        home.expectNoLeftovers("rkt enter without a command")
    }

    @Test("rkt enter in a pod of two apps needs --app; with it, it enters that app")
    func enterChoosesApp() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)",
                                  image, "--name=one", "--exec=/bin/sh", "--", "-c", "echo one > /tmp/who; echo one-ready; exec sleep 300", "---",
                                  image, "--name=two", "--exec=/bin/sh", "--", "-c", "echo two > /tmp/who; echo two-ready; exec sleep 300", "---"])
        #expect(run.waitForOutput("one-ready") && run.waitForOutput("two-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let ambiguous = try home.rkt(["enter", uuid, "/bin/true"], timeout: 60)
        #expect(ambiguous.status == 254)
        #expect(ambiguous.stderr.contains("rkt enter --app="), "\(ambiguous.stderr)")
        let two = try home.rkt(["enter", "--app=two", uuid, "/bin/cat", "/tmp/who"], timeout: 60)
        #expect(two.stdout == "two\n", "\(two.stdout) \(two.stderr)")
        #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
        #expect(run.wait(timeout: 30) != nil)
        home.expectNoLeftovers("rkt stop --force")
    }

    // MARK: isolation

    @Test("mount table: the app sees only its root, /proc, /sys and /dev mounts — no host mount")
    func noHostMounts() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run([image, "--exec=/bin/cat", "--", "/proc/self/mountinfo"])
        #expect(result.status == 0, "\(result.stderr)")
        let mountPoints = result.stdout.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count > 4 ? String(fields[4]) : nil
        }
        #expect(!mountPoints.isEmpty)
        let foreign = mountPoints.filter { !($0 == "/" || $0.hasPrefix("/proc") || $0.hasPrefix("/sys") || $0.hasPrefix("/dev")) }
        #expect(foreign.isEmpty, "host mounts visible in the pod: \(foreign)\n\(result.stdout)")
    }

    @Test("mount table: no host path (data directory, pod directory) is disclosed to the app")
    func noHostPathsInMountTable() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run([image, "--exec=/bin/cat", "--", "/proc/self/mountinfo"])
        #expect(result.status == 0, "\(result.stderr)")
        let leaking = result.stdout.split(separator: "\n").filter { $0.contains(home.root) }
        #expect(leaking.isEmpty, "mountinfo lines naming host paths: \(leaking)")
    }

    @Test("/proc: kcore, keys, timer_list and sched_debug are masked; /proc/sys and /sys are read-only even with every capability")
    func procAndSysProtected() throws {
        let home = try PodHome()
        let image = try home.image()
        let masked = ["kcore", "keys", "timer_list", "sched_debug"].filter { FileManager.default.fileExists(atPath: "/proc/\($0)") }
        #expect(!masked.isEmpty, "none of the files to mask exists on this host")
        let sysfsFile = Self.writableSysfsFile
        let script = masked.map { "ls -l /proc/\($0)" }.joined(separator: "; ") + """
            ; grep -E ' /proc/sys | /sys ' /proc/self/mountinfo | cut -d' ' -f5,6 | sed 's/^/mount: /'\
            ; printf '' >> /proc/sys/kernel/domainname; echo procsys-open=$?\
            ; printf '' >> \(sysfsFile); echo sysfs-open=$?\
            ; mkdir /sys/fs/cgroup/memory/probe; echo cgroup-mkdir=$?
            """
        for (insecure, label) in [("image", "default"), ("image,capabilities", "every capability")] {
            let result = try home.run([image, "--exec=/bin/sh", "--", "-c", script], insecure: insecure)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            for name in masked {
                let line = lines.first { $0.hasSuffix("/proc/\(name)") } ?? "missing"
                #expect(line.hasPrefix("c"), "/proc/\(name) must be masked (a /dev/null bind) [\(label)]: \(line)")
            }
            let mounts = lines.filter { $0.hasPrefix("mount: ") }
            #expect(mounts.contains { $0.hasPrefix("mount: /proc/sys ro") }, "[\(label)] \(mounts)")
            #expect(mounts.contains { $0.hasPrefix("mount: /sys ro") }, "[\(label)] \(mounts)")
            #expect(Self.value("procsys-open", in: result.stdout).map { $0 != "0" } == true, "/proc/sys writable [\(label)]: \(result.stdout)")
            #expect(Self.value("sysfs-open", in: result.stdout).map { $0 != "0" } == true, "\(sysfsFile) writable [\(label)]: \(result.stdout)")
            #expect(Self.value("cgroup-mkdir", in: result.stdout).map { $0 != "0" } == true, "cgroup fs writable [\(label)]: \(result.stdout)")
            if label == "every capability" {
                #expect(result.stderr.contains("Read-only file system"), "\(result.stderr)")
            }
        }
    }

    @Test("with --net=host, /sys (the host's) is still read-only in the app, even with every capability")
    func hostNetworkSysReadOnly() throws {
        let home = try PodHome()
        let image = try home.image()
        let sysfsFile = Self.writableSysfsFile
        let script = """
            printf '' >> \(sysfsFile); echo sysfs-open=$?; mkdir /sys/fs/cgroup/memory/probe; echo cgroup-mkdir=$?; \
            grep ' /sys' /proc/self/mountinfo | cut -d' ' -f5,6 | grep -v ' ro' | sed 's/^/rw: /'
            """
        let result = try home.run(["--net=host", image, "--exec=/bin/sh", "--", "-c", script], insecure: "image,capabilities")
        #expect(Self.value("sysfs-open", in: result.stdout).map { $0 != "0" } == true, "\(sysfsFile) writable: \(result.stdout) \(result.stderr)")
        #expect(Self.value("cgroup-mkdir", in: result.stdout).map { $0 != "0" } == true, "\(result.stdout)")
    }

    @Test("hostname: rkt-UUID by default, --hostname sets it; the host's is unchanged")
    func hostname() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let standard = try home.run(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/hostname"])
        let uuid = try #require(home.uuid(uuidFile))
        #expect(standard.stdout == "rkt-\(uuid)\n", "\(standard.stdout) \(standard.stderr)")
        let custom = try home.run(["--hostname=custom-pod", image, "--exec=/bin/hostname"])
        #expect(custom.stdout == "custom-pod\n", "\(custom.stdout) \(custom.stderr)")
        #expect(PodTestSupport.hostName() != "custom-pod")
    }

    @Test("network: --net=none gives the pod its own namespace with only lo, the default network adds eth0; --net=host shares the host's")
    func networkNamespace() throws {
        let home = try PodHome()
        let image = try home.image()
        let interfaces = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort"
        let none = try home.run(["--net=none", image, "--exec=/bin/sh", "--", "-c", interfaces])
        #expect(none.stdout == "lo\n", "\(none.stdout) \(none.stderr)")
        let own = try home.run([image, "--exec=/bin/sh", "--", "-c", interfaces])
        #expect(own.stdout == "eth0\nlo\n", "\(own.stdout) \(own.stderr)")
        // Pods of other tests come and go on the default network meanwhile: their host ends (veth…)
        // are left out of the comparison.
        let steady = interfaces + " | grep -v '^veth'"
        let host = try home.run(["--net=host", image, "--exec=/bin/sh", "--", "-c", steady])
        let hostInterfaces = try Tool.execute("/bin/sh", ["-c", steady]).stdout
        #expect(host.stdout == hostInterfaces, "\(host.stdout) vs \(hostInterfaces)")
    }

    @Test("pid 1 of the pod is not the app, and its /proc entries (exe, root, cwd, fd) cannot be read or written from inside")
    func podInitUnreachable() throws {
        let home = try PodHome()
        let image = try home.image()
        let script = """
            echo self=$$; echo pid1=$(tr '\\0' ' ' < /proc/1/cmdline); \
            cat /proc/1/exe > /dev/null; echo exe-read=$?; \
            printf '' >> /proc/1/exe; echo exe-open-write=$?; \
            ls /proc/1/root/ > /dev/null; echo root-list=$?; \
            ls /proc/1/cwd/ > /dev/null; echo cwd-list=$?; \
            echo fd-links=$(for f in /proc/1/fd/*; do readlink $f; done 2>/dev/null | wc -l); \
            cat /proc/1/fd/0 > /dev/null; echo fd-open=$?; \
            cat /proc/1/environ > /dev/null; echo environ-read=$?
            """
        let result = try home.run([image, "--exec=/bin/sh", "--", "-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        let output = result.stdout
        #expect(Self.value("self", in: output) != "1", "\(output)")
        #expect(Self.value("pid1", in: output).map { !$0.isEmpty && !$0.hasPrefix("/bin/sh") } == true, "\(output)")
        #expect(Self.value("fd-links", in: output) == "0", "the pod's init's descriptors (pod directory, app roots) are reachable: \(output)")
        for key in ["exe-read", "exe-open-write", "root-list", "cwd-list", "fd-open", "environ-read"] {
            #expect(Self.value(key, in: output).map { $0 != "0" } == true, "\(key) succeeded from inside the pod: \(output) \(result.stderr)")
        }
    }

    @Test("even with CAP_SYS_PTRACE retained, the pod's pid 1 does not lead to the host's root (host files, the rkt and stage1 binaries)")
    func podInitRootIsNotTheHost() throws {
        let home = try PodHome()
        let image = try home.image()
        let marker = try home.scratch.write("host-marker", "host-secret\n", mode: 0o644)
        let stage1 = (Tool.rkt.path as NSString).deletingLastPathComponent + "/stage1"
        let script = """
            cat /proc/1/root\(marker) 2>/dev/null; echo marker-read=$?; \
            printf '' >> /proc/1/root\(marker) 2>/dev/null; echo marker-open-write=$?; \
            printf '' >> /proc/1/root\(Tool.rkt.path) 2>/dev/null; echo rkt-open-write=$?; \
            printf '' >> /proc/1/root\(stage1) 2>/dev/null; echo stage1-open-write=$?; \
            ls /proc/1/root/ | tr '\\n' ' '; echo
            """
        let result = try home.run([image, "--caps-retain=\(Self.defaultCapsWithPtrace)", "--exec=/bin/sh", "--", "-c", script])
        let output = result.stdout
        #expect(!output.contains("host-secret"), "the app read a host file through /proc/1/root: \(output)")
        for key in ["marker-read", "marker-open-write", "rkt-open-write", "stage1-open-write"] {
            #expect(Self.value(key, in: output).map { $0 != "0" } == true,
                    "\(key): the app reached the host through /proc/1/root (pid 1 runs in the host's root): \(output)")
        }
        #expect((try? String(contentsOfFile: marker, encoding: .utf8)) == "host-secret\n")
    }

    /// The first block device of /proc/partitions: major, minor, name.
    static var hostBlockDevice: (major: String, minor: String, name: String)? {
        let partitions = (try? String(contentsOfFile: "/proc/partitions", encoding: .utf8)) ?? ""
        guard let fields = partitions.split(separator: "\n").dropFirst().map({ $0.split(separator: " ").map(String.init) }).first(where: { $0.count == 4 })
        else { return nil }
        return (fields[0], fields[1], fields[3])
    }

    /// Whether root on this host can open its block devices at all (some sandboxes refuse even that).
    static var hostCanOpenBlockDevices: Bool {
        guard let device = hostBlockDevice else { return false }
        let fd = open("/dev/\(device.name)", O_RDONLY | O_CLOEXEC)
        if fd >= 0 { close(fd) }
        return fd >= 0
    }

    @Test("devices: the app cannot create and read a host block device node (CAP_MKNOD is in the default set)",
          .enabled(if: RktPodConfinementTests.hostCanOpenBlockDevices, "this host refuses root itself access to its block devices (a sandbox): nothing to prove"))
    func noHostBlockDevices() throws {
        let home = try PodHome()
        let image = try home.image()
        let device = try #require(Self.hostBlockDevice)
        let fields = [device.major, device.minor, "", device.name]
        let script = "mknod /tmp/disk b \(fields[0]) \(fields[1]); echo mknod=$?; echo bytes=$(head -c 512 /tmp/disk | wc -c)"
        let result = try home.run([image, "--exec=/bin/sh", "--", "-c", script])
        #expect(Self.value("bytes", in: result.stdout) == "0",
                "the app read the host's block device \(fields[3]) (\(fields[0]):\(fields[1])): \(result.stdout) \(result.stderr)")
    }

    @Test("devices: a node the app makes (in its root, /dev or an empty volume) or the image brings cannot be opened; /dev's devices work")
    func deviceNodesDead() throws {
        let home = try PodHome()
        let image = try home.image("devices.aci") { rootfs in
            #expect(mknod("\(rootfs)/image-zero", S_IFCHR | 0o666, dev_t(1 << 8 | 5)) == 0) // 1:5, zero
        }
        let probe = { (path: String) in "echo \(path)=$(head -c 1 \(path) | wc -c);" }
        let script = "mknod /tmp/zero c 1 5; mknod /dev/made-zero c 1 5; mknod /scratch/zero c 1 5; "
            + probe("/tmp/zero") + probe("/dev/made-zero") + probe("/scratch/zero") + probe("/image-zero") + probe("/dev/zero")
            + "echo x > /dev/null && echo null-writable"
        let result = try home.run(["--volume=scratch,kind=empty", image, "--mount=volume=scratch,target=/scratch", "--exec=/bin/sh", "--", "-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        for path in ["/tmp/zero", "/dev/made-zero", "/scratch/zero", "/image-zero"] {
            #expect(Self.value(path, in: result.stdout) == "0", "\(path) could be read: \(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains("\(path): Permission denied"), "\(path) must exist and be refused: \(result.stderr)")
        }
        #expect(Self.value("/dev/zero", in: result.stdout) == "1", "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("null-writable"), "\(result.stdout) \(result.stderr)")
    }

    @Test("/dev holds only the ACE's devices (null, zero, full, random, urandom, tty, console, pts, shm, ptmx and the fd links)")
    func devContents() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run([image, "--exec=/bin/ls", "--", "/dev"])
        #expect(result.status == 0, "\(result.stderr)")
        let devices = Set(result.stdout.split(separator: "\n").map(String.init))
        let allowed: Set<String> = ["null", "zero", "full", "random", "urandom", "tty", "console", "pts", "shm", "ptmx", "fd", "stdin", "stdout", "stderr"]
        #expect(devices.isSubset(of: allowed), "/dev also holds \(devices.subtracting(allowed).sorted())")
        #expect(devices.isSuperset(of: ["null", "zero", "full", "random", "urandom", "tty", "console", "pts", "shm", "ptmx"]),
                "/dev lacks \(Set(["null", "zero", "full", "random", "urandom", "tty", "console", "pts", "shm", "ptmx"]).subtracting(devices).sorted())")
    }

    @Test("an image whose /proc, /sys, /dev, /tmp and /etc are symlinks to host paths: stage1 mounts and writes nothing on the host (ns and fly)",
          arguments: ["ns", "fly"])
    func hostileImageSymlinks(flavor: String) throws {
        let home = try PodHome()
        var files: [String: String] = [:]
        for name in ["proc", "sys", "dev", "tmp", "etc"] { files[name] = "->\(home.root)/victim/\(name)" }
        let image = try home.image(files: files)
        try FileManager.default.createDirectory(atPath: home.path("victim"), withIntermediateDirectories: true)
        let result = try home.run(["--stage1-name=\(flavor)", image, "--exec=/bin/true"])
        let created = try FileManager.default.subpathsOfDirectory(atPath: home.path("victim"))
        #expect(created.isEmpty, "stage1 followed the image's symlinks onto the host and created \(created) (rkt exit \(result.status): \(result.stderr))")
    }

    @Test("a setuid-root program in the image gives a non-root app no privilege (no_new_privs)")
    func setuidInImage() throws {
        let home = try PodHome()
        let image = try home.image { rootfs in
            // busybox runs as the multi-call binary when its name starts with "busybox". Owner first: chown clears S_ISUID.
            try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: "\(rootfs)/bin/busybox-suid")
            #expect(chown("\(rootfs)/bin/busybox-suid", 0, 0) == 0)
            #expect(chmod("\(rootfs)/bin/busybox-suid", 0o4755) == 0)
        }
        let result = try home.run([image, "--user=1000", "--group=1000", "--exec=/bin/sh", "--", "-c",
                                   "ls -l /bin/busybox-suid; echo euid=$(/bin/busybox-suid id -u)"])
        #expect(result.stdout.contains("-rwsr-xr-x"), "the image keeps the setuid bit: \(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("euid=1000"), "a setuid-root program made the app root: \(result.stdout) \(result.stderr)")
    }
}
