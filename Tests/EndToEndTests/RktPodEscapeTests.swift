import Foundation
import TestSupport
import Testing

/// Issue 15: the ways out of an ns pod that a probe found, each tried as an app (or a command
/// entered into the pod) would try it. Every test failed on the build before the fix.
@Suite("rkt pods: escapes a hostile app tries", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodEscapeTests {
    /// appc's default capability set plus CAP_SYS_PTRACE.
    static let defaultCapsWithPtrace = RktPodConfinementTests.defaultCapsWithPtrace

    /// A pod home and a busybox image holding the probe.
    static func probeImage(files: [String: String] = [:]) throws -> (PodHome, String) {
        let home = try PodHome()
        return (home, try home.image(files: files, customize: Probe.install))
    }

    /// `rkt run` of `arguments` from a private mount namespace in which `setup` (shell) ran first:
    /// mounts the test needs under a host path, seen by the pod and gone with the run.
    static func runWithMounts(_ home: PodHome, setup: String, _ arguments: [String], insecure: String = "image") throws -> Tool.Result {
        let command = ([Tool.rkt.path] + home.globals + ["--insecure-options=\(insecure)", "run"] + arguments)
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let result = try Tool.execute("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", "\(setup) && exec \(command)"],
                                      in: home.scratch.url)
        home.expectNoLeftovers("rkt run in a private mount namespace")
        return result
    }

    // MARK: 1. devices through a host volume

    /// appc's default capability set plus CAP_SYSLOG (which reading the kernel log needs).
    static let defaultCapsWithSyslog = defaultCapsWithPtrace.replacingOccurrences(of: "CAP_SYS_PTRACE", with: "CAP_SYSLOG")

    @Test("a device node made on a writable host volume opens nothing: mknod of /dev/kmsg's numbers succeeds (CAP_MKNOD), opening it fails")
    func deviceNodeOnHostVolume() throws {
        let (home, image) = try Self.probeImage()
        let volume = home.path("volume")
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        let result = try home.run(["--volume", "v,kind=host,source=\(volume)", image, "--mount", "volume=v,target=/v",
                                   "--caps-retain=\(Self.defaultCapsWithSyslog)", "--exec=/bin/probe", "--", "mknod-open", "/v/kmsg", "1", "11"])
        #expect(Probe.value("mknod", in: result.stdout) == "0", "\(result.stdout) \(result.stderr)")
        let opened = Probe.value("open-node", in: result.stdout)
        #expect(opened == "EACCES" || opened == "EPERM", "a host device opened through a host volume: \(result.stdout) \(result.stderr)")
    }

    @Test("the device cgroup refuses what no rule allows: /dev/kmsg handed over read-only (rkt) reads but does not open for writing")
    func deviceCgroupEnforcesReadOnlyDevice() throws {
        let (home, image) = try Self.probeImage()
        // The first record of the kernel log is there to read (a read takes a whole record; reading
        // needs CAP_SYSLOG); opening for writing writes nothing.
        let script = "dd if=/dev/handed bs=8192 count=1 2>/dev/null | wc -c | sed 's/^ */read=/'; /bin/probe open-rw /dev/handed"
        let result = try home.run(["--volume", "kmsg,kind=host,source=/dev/kmsg,readOnly=true", image, "--mount", "volume=kmsg,target=/dev/handed",
                                   "--caps-retain=\(Self.defaultCapsWithSyslog)", "--exec=/bin/sh", "--", "-c", script])
        #expect(Probe.value("read", in: result.stdout).flatMap { Int($0) }.map { $0 > 0 } == true, "\(result.stdout) \(result.stderr)")
        #expect(Probe.value("open-rw", in: result.stdout) == "EPERM", "the host's kernel log opened for writing past the device cgroup: \(result.stdout)")
    }

    @Test("--insecure-options=paths lifts the device protection, as in rkt: a node made on a host volume opens")
    func insecurePathsAllowsDevices() throws {
        let (home, image) = try Self.probeImage()
        let volume = home.path("volume")
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        let result = try home.run(["--volume", "v,kind=host,source=\(volume)", image, "--mount", "volume=v,target=/v",
                                   "--exec=/bin/probe", "--", "mknod-open", "/v/null", "1", "3"], insecure: "image,paths")
        #expect(Probe.value("open-node", in: result.stdout) == "0", "\(result.stdout) \(result.stderr)")
    }

    @Test("the host's device nodes bound into the pod cannot be changed from it: chmod, chown and touch of /dev/null and /proc/kcore fail")
    func hostDeviceNodesUnchangeable() throws {
        let (home, image) = try Self.probeImage()
        var before = stat()
        var urandom = stat()
        #expect(stat("/dev/null", &before) == 0 && stat("/dev/urandom", &urandom) == 0)
        // On a build that lets the attack through, the host's nodes are put back as they were.
        defer {
            chmod("/dev/null", before.st_mode & 0o7777)
            chown("/dev/urandom", urandom.st_uid, urandom.st_gid)
        }
        let script = "chmod 600 /dev/null; echo chmod=$?; chown 1234 /dev/urandom; echo chown=$?; chmod 600 /proc/kcore; echo mask-chmod=$?; echo x > /dev/null; echo write=$?"
        let result = try home.run([image, "--exec=/bin/sh", "--", "-c", script])
        for name in ["chmod", "chown", "mask-chmod"] {
            #expect(RktPodConfinementTests.value(name, in: result.stdout).map { $0 != "0" } == true, "\(name): \(result.stdout) \(result.stderr)")
        }
        #expect(RktPodConfinementTests.value("write", in: result.stdout) == "0", "\(result.stdout)")
        var after = stat()
        #expect(stat("/dev/null", &after) == 0)
        #expect(after.st_mode == before.st_mode && after.st_uid == before.st_uid, "the host's /dev/null changed")
    }

    // MARK: 2. rkt enter on a terminal

    @Test("rkt enter on a terminal: TIOCSTI from the entered command reaches its own terminal, not the user's shell")
    func enterDoesNotHandOverTheTerminal() throws {
        let (home, image) = try Self.probeImage()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let enter = ([Tool.rkt.path] + home.globals + ["enter", uuid, "/bin/probe", "tiocsti", "0", "INJECTED"])
            .map { "'\($0)'" }.joined(separator: " ")
        // The user's shell reads a line after rkt enter: what an entered command pushed there would be it.
        let script = "\(enter); echo enter-status=$?; echo enter-done; read line; echo \"host-read:[$line]\""
        let session = try home.scratch.onTerminal(["/bin/sh", "-c", script], prompt: "enter-done", answers: [""])
        #expect(session.stdout.contains("enter-status=0"), "\(session.stdout)")
        #expect(session.stdout.contains("host-read:[]"), "the entered command pushed input into the user's terminal: \(session.stdout)")
        #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
        #expect(run.wait(timeout: 30) != nil)
    }

    @Test("rkt enter on a terminal returns when its command ends, though a process it left in the pod floods the terminal")
    func enterReturnsDespiteFlood() throws {
        let (home, image) = try Self.probeImage()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let enter = ([Tool.rkt.path] + home.globals + ["enter", uuid, "/bin/sh", "-c", "(while :; do echo flood; done) & sleep 1; exit 0"])
            .map { "'\($0)'" }.joined(separator: " ")
        let session = try home.scratch.onTerminal(["/bin/sh", "-c", "\(enter); echo enter-status=$?"], prompt: "never-shown", answers: [])
        #expect(session.stdout.contains("enter-status=0"), "rkt enter did not return: \(session.stdout.suffix(300))")
        #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
        #expect(run.wait(timeout: 30) != nil)
    }

    @Test("rkt enter without a terminal: the command leads a session of its own, without a controlling terminal")
    func enterNewSession() throws {
        let (home, image) = try Self.probeImage()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        // Fields 1 (pid), 6 (session) and 7 (controlling terminal) of the shell's stat.
        let entered = try home.rkt(["enter", uuid, "/bin/sh", "-c", "cut -d' ' -f1,6,7 /proc/$$/stat"], timeout: 60)
        let fields = entered.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(fields.count == 3 && fields[0] == fields[1] && fields[2] == "0", "\(entered.stdout) \(entered.stderr)")
        #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
        #expect(run.wait(timeout: 30) != nil)
    }

    @Test("rkt run on a terminal: an app with CAP_SYS_ADMIN cannot push input into the user's shell (TIOCSTI on its standard output)")
    func runDoesNotHandOverTheTerminal() throws {
        let (home, image) = try Self.probeImage()
        let caps = RktPodSeccompTests.defaultCapsWithSysAdmin
        let run = ([Tool.rkt.path] + home.globals + ["--insecure-options=image", "run", image, "--caps-retain=\(caps)",
                                                       "--exec=/bin/probe", "--", "tiocsti", "1", "INJECTED"])
            .map { "'\($0)'" }.joined(separator: " ")
        let script = "\(run); echo run-status=$?; echo run-done; read line; echo \"host-read:[$line]\""
        let session = try home.scratch.onTerminal(["/bin/sh", "-c", script], prompt: "run-done", answers: [""])
        #expect(session.stdout.contains("run-status=0"), "\(session.stdout)")
        #expect(session.stdout.contains("host-read:[]"), "an app pushed input into the user's terminal: \(session.stdout)")
        home.expectNoLeftovers("rkt run on a terminal")
    }

    @Test("rkt enter killed while its command runs: the command dies with it, nothing is left in the pod")
    func enterKilledLeavesNothing() throws {
        let (home, image) = try Self.probeImage()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let enter = try home.background(["enter", uuid, "/bin/sh", "-c", "echo entered; exec sleep 77"])
        #expect(enter.waitForOutput("entered"), "\(enter.stdout) \(enter.stderr)")
        kill(enter.pid, SIGKILL)
        _ = enter.wait(timeout: 30)
        let gone = PodTestSupport.waitUntil(10) {
            !PodTestSupport.pids().contains { (try? String(contentsOfFile: "/proc/\($0)/cmdline", encoding: .utf8))?.hasPrefix("sleep\u{0}77") == true }
        }
        #expect(gone, "the entered command outlived rkt enter")
        #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
        #expect(run.wait(timeout: 30) != nil)
    }

    @Test("a process of the pod that keeps the one rkt enter starts stopped (SIGSTOP) does not hang rkt enter: caught before its exec, the start fails, saying so")
    func enterStoppedDoesNotHang() throws {
        let (home, image) = try Self.probeImage()
        let uuidFile = home.path("uuid")
        // The app stops the next process of the pod for 5 seconds, again and again. Whether that
        // is before the entered command's exec or after depends on scheduling: rkt enter must not
        // hang either way, and must say so when its start was stopped.
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c",
                                  "echo app-ready; while :; do /bin/probe catch-and-hold 5; done"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        for attempt in 1...5 {
            #expect(PodTestSupport.waitUntil(30) { run.stdout.components(separatedBy: "catch-ready=").count > attempt }, "\(run.stdout)")
            // The entered command lives a second: one that exits at once can be gone before the
            // app's probe gets to stop it, and the probe would wait for that pid forever.
            let entered = try home.rkt(["enter", uuid, "/bin/sleep", "1"], timeout: 60)
            #expect(PodTestSupport.waitUntil(30) { run.stdout.components(separatedBy: "held=").count > attempt }, "\(run.stdout)")
            let held = run.stdout.components(separatedBy: "held=")
            guard held.count > attempt, held[attempt].hasPrefix(held[attempt].prefix { $0 != " " } + " before-exec") else { continue }
            #expect(entered.status != 0, "\(entered.stdout) \(entered.stderr)")
            #expect(entered.stderr.contains("stopped by another process before it started"), "\(entered.stderr)")
            break
        }
        #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
        #expect(run.wait(timeout: 30) != nil)
    }

    // MARK: 3. CAP_SYS_PTRACE and the pod's process 1

    @Test("--caps-retain=…,CAP_SYS_PTRACE: process 1 holds no capability, no root, no descriptor, no environment; the pod's stage1 files are out of reach")
    func processOneHoldsNothing() throws {
        let (home, image) = try Self.probeImage()
        let script = """
            grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/1/status
            echo root=$(ls -A /proc/1/root | wc -l) cwd=$(ls -A /proc/1/cwd | wc -l) fds=$(ls -A /proc/1/fd | wc -l)
            echo environ=$(tr -d '\\0' < /proc/1/environ | wc -c)
            ls /proc/1/root/stage1/rootfs 2>/dev/null | sed 's/^/reached: /'
            echo fly > /proc/1/root/stage1/rootfs/flavor 2>/dev/null; echo flavor-write=$?
            echo '#!/bin/sh' > /proc/1/root/stage1/rootfs/stop 2>/dev/null; echo stop-write=$?
            chmod 6777 /proc/1/exe 2>/dev/null; echo exe-chmod=$?
            """
        let result = try home.run([image, "--caps-retain=\(Self.defaultCapsWithPtrace)", "--exec=/bin/sh", "--", "-c", script])
        let fields = PodTestSupport.statusFields(result.stdout)
        #expect(fields["CapEff"] == "0000000000000000" && fields["CapBnd"] == "0000000000000000", "\(result.stdout) \(result.stderr)")
        #expect(fields["NoNewPrivs"] == "1" && fields["Seccomp"] == "2", "\(result.stdout)")
        #expect(result.stdout.contains("root=0 cwd=0 fds=0"), "\(result.stdout)")
        #expect(result.stdout.contains("environ=0"), "\(result.stdout)")
        #expect(!result.stdout.contains("reached: "), "the pod's stage1 files through /proc/1/root: \(result.stdout)")
        #expect(RktPodConfinementTests.value("flavor-write", in: result.stdout) != "0", "\(result.stdout)")
        #expect(RktPodConfinementTests.value("stop-write", in: result.stdout) != "0", "\(result.stdout)")
        #expect(RktPodConfinementTests.value("exe-chmod", in: result.stdout) != "0", "the stored stage1 binary changed through /proc/1/exe: \(result.stdout)")
        // The next pod still runs with the ns flavor's isolation.
        let next = try home.run([image, "--exec=/bin/hostname"])
        #expect(next.stdout.hasPrefix("rkt-"), "\(next.stdout) \(next.stderr)")
    }

    @Test("--caps-retain=…,CAP_SYS_PTRACE,CAP_SYS_ADMIN: no file process 1 maps (its executable, libraries) opens for writing through /proc/1/map_files")
    func processOneMapsNothingWritable() throws {
        let (home, image) = try Self.probeImage()
        let caps = Self.defaultCapsWithPtrace + ",CAP_SYS_ADMIN"
        let script = "for file in /proc/1/map_files/*; do /bin/probe open-rw $file; done; echo listed=$(ls /proc/1/map_files | wc -l)"
        let result = try home.run([image, "--caps-retain=\(caps)", "--exec=/bin/sh", "--", "-c", script])
        #expect(Probe.value("listed", in: result.stdout).flatMap { Int($0) }.map { $0 > 0 } == true, "\(result.stdout) \(result.stderr)")
        let opened = result.stdout.split(separator: "\n").filter { $0 == "open-rw=0" }
        #expect(opened.isEmpty, "a file process 1 maps opened for writing: \(result.stdout)")
    }

    @Test("--caps-retain=…,CAP_SYS_PTRACE: a process stage1 starts in the pod (rkt enter's command), stopped at its first instant, already holds only the app's capabilities, no_new_privs and seccomp, and none of the caller's environment")
    func startedProcessesAreConfinedFromTheirStart() throws {
        let (home, image) = try Self.probeImage()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--caps-retain=\(Self.defaultCapsWithPtrace)",
                                  "--exec=/bin/sh", "--", "-c", "echo app-ready; exec /bin/probe catch-next 3"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        for attempt in 1...3 {
            #expect(PodTestSupport.waitUntil(30) { run.stdout.components(separatedBy: "catch-ready=").count > attempt }, "\(run.stdout)")
            // As in enterStoppedDoesNotHang: a command that exits at once may be gone before the probe looks.
            _ = try home.rkt(["enter", uuid, "/bin/sleep", "1"], environment: ["RKT_E2E_SECRET": "hunter2-\(attempt)"], timeout: 60)
        }
        #expect(PodTestSupport.waitUntil(30) { run.stdout.components(separatedBy: "caught=").count > 3 }, "\(run.stdout)")
        let caught = run.stdout.components(separatedBy: "caught=").dropFirst()
        for block in caught {
            let fields = PodTestSupport.statusFields(block.replacingOccurrences(of: "caught-status: ", with: ""))
            #expect(fields["CapEff"] == "00000000a80c25fb" && fields["NoNewPrivs"] == "1" && fields["Seccomp"] == "2",
                    "a process in the pod before its confinement: \(block)")
            #expect(!block.contains("hunter2"), "the caller's environment in a process of the pod: \(block)")
        }
        #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
        #expect(run.wait(timeout: 30) != nil)
    }

    @Test("the pod's process 1 shows no host path: its command line, mount table and environment are the pod's own")
    func processOneShowsNoHostPath() throws {
        let (home, image) = try Self.probeImage()
        let script = "tr '\\0' ' ' < /proc/1/cmdline; echo; cat /proc/1/mountinfo 2>&1; tr '\\0' '\\n' < /proc/1/environ 2>&1; true"
        for caps in [nil, Self.defaultCapsWithPtrace] {
            let result = try home.run([image] + (caps.map { ["--caps-retain=\($0)"] } ?? []) + ["--exec=/bin/sh", "--", "-c", script])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stdout.contains(home.root), "host paths in /proc/1 (caps \(caps ?? "default")): \(result.stdout)")
            #expect(!result.stdout.contains("PATH="), "the caller's environment in /proc/1/environ: \(result.stdout)")
        }
    }

    // MARK: 5. read-only below the top mount

    @Test("a readOnly=true host volume is read-only below its top mount too: a submount under it is not writable")
    func readOnlyVolumeIsRecursive() throws {
        let (home, image) = try Self.probeImage()
        let volume = home.path("volume")
        try FileManager.default.createDirectory(atPath: "\(volume)/sub", withIntermediateDirectories: true)
        let result = try Self.runWithMounts(home, setup: "mount -t tmpfs probe '\(volume)/sub'",
                                            ["--volume", "v,kind=host,source=\(volume),readOnly=true", image, "--mount", "volume=v,target=/v",
                                             "--exec=/bin/sh", "--", "-c", "touch /v/top; echo top=$?; touch /v/sub/x; echo sub=$?"])
        #expect(RktPodConfinementTests.value("top", in: result.stdout).map { $0 != "0" } == true, "\(result.stdout) \(result.stderr)")
        #expect(RktPodConfinementTests.value("sub", in: result.stdout).map { $0 != "0" } == true, "a submount of a read-only volume is writable: \(result.stdout)")
    }

    @Test("--net=host: every mount below the host's /sys is read-only in the app, even with every capability")
    func hostSysSubmountsReadOnly() throws {
        let (home, image) = try Self.probeImage()
        let script = "grep ' /sys' /proc/self/mountinfo | cut -d' ' -f5,6 | grep -v ' ro' | sed 's/^/rw: /'; touch /sys/kernel/debug/x; echo debug-write=$?"
        let result = try Self.runWithMounts(home, setup: "mount -t tmpfs probe /sys/kernel/debug",
                                            ["--net=host", image, "--exec=/bin/sh", "--", "-c", script], insecure: "image,capabilities")
        #expect(!result.stdout.contains("rw: "), "writable mounts below /sys: \(result.stdout) \(result.stderr)")
        #expect(RktPodConfinementTests.value("debug-write", in: result.stdout).map { $0 != "0" } == true, "\(result.stdout)")
    }

    @Test("/proc and /sys: what runc masks is masked (kmsg, acpi, scsi, firmware…), with every capability")
    func runcMasks() throws {
        let (home, image) = try Self.probeImage()
        let candidates = ["/proc/kmsg", "/proc/acpi", "/proc/scsi", "/proc/asound", "/sys/firmware", "/sys/devices/virtual/powercap"]
        let present = candidates.filter { FileManager.default.fileExists(atPath: $0) }
        // A masked directory is empty; a masked file is /dev/null (1:3), read or not.
        let script = present.map { "if [ -d \($0) ]; then echo \($0)=$(ls -A \($0) | wc -l); else echo \($0)=$(stat -c %t:%T \($0)); fi" }
            .joined(separator: "; ")
        let result = try home.run([image, "--exec=/bin/sh", "--", "-c", script], insecure: "image,capabilities")
        for path in present {
            let value = RktPodConfinementTests.value(path, in: result.stdout)
            #expect(value == "0" || value == "1:3", "\(path) is not masked: \(result.stdout) \(result.stderr)")
        }
    }

    // MARK: 6. the image's user database

    @Test("users and groups are looked up inside the image: /etc/passwd linked to a host file is not read, a FIFO /etc/group is refused, --user=/path stays in the image")
    func userDatabaseStaysInTheImage() throws {
        let hostPasswd = "/tmp/rkt-e2e-host-passwd-\(getpid())"
        try "intruder:x:4242:4242::/:/bin/sh\n".write(toFile: hostPasswd, atomically: true, encoding: .utf8)
        defer { unlink(hostPasswd) }
        let (home, image) = try Self.probeImage(files: ["etc/passwd": "->\(hostPasswd)", "link": "->/tmp"])
        let byName = try home.run([image, "--user=intruder", "--exec=/bin/id", "--", "-u"], timeout: 60)
        #expect(byName.status != 0 && !byName.stdout.contains("4242"), "the uid came from a host file: \(byName.stdout) \(byName.stderr)")
        #expect(byName.stderr.contains("user \"intruder\" not found in the image's /etc/passwd"), "\(byName.stderr)")

        let hostFile = "/tmp/rkt-e2e-host-owned-\(getpid())"
        try "x".write(toFile: hostFile, atomically: true, encoding: .utf8)
        chown(hostFile, 4343, 4343)
        defer { unlink(hostFile) }
        let byPath = try home.run([image, "--user=/link/\((hostFile as NSString).lastPathComponent)", "--exec=/bin/id", "--", "-u"], timeout: 60)
        #expect(byPath.status != 0 && !byPath.stdout.contains("4343"), "--user=/path read a host file's owner: \(byPath.stdout) \(byPath.stderr)")

        let fifoImage = try home.image("fifo.aci", customize: { rootfs in
            #expect(mkfifo("\(rootfs)/etc/group", 0o644) == 0)
        })
        let fifo = try home.run([fifoImage, "--group=staff", "--exec=/bin/true"], timeout: 60)
        #expect(fifo.status != 0 && fifo.stderr.contains("/etc/group in the image is not a regular file"), "\(fifo.status) \(fifo.stderr)")
    }

    // MARK: stopping

    @Test("when an app fails, a sibling that ignores SIGTERM is killed 10 seconds later, and the pod's code is the failure's")
    func failureStopsStubbornSibling() throws {
        let home = try PodHome()
        let image = try home.image()
        let start = Date()
        let result = try home.run([image, "--name=failing", "--exec=/bin/sh", "--", "-c", "sleep 1; exit 3", "---",
                                   image, "--name=stubborn", "--exec=/bin/sh", "--", "-c", "trap '' TERM; sleep 300", "---"], timeout: 120)
        #expect(result.status == 3, "\(result.status) \(result.stderr)")
        #expect(Date().timeIntervalSince(start) < 60, "the stubborn app was not killed")
    }

    // MARK: 7. default limits

    @Test("every pod has a process limit: 4096 by default (one more for the process starting each app), --pids-limit sets it and is enforced")
    func pidsLimit() throws {
        let (home, image) = try Self.probeImage()
        let standard = try home.run([image, "--exec=/bin/cat", "--", "/sys/fs/cgroup/pids/pids.max"])
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/pids") {
            #expect(standard.stdout == "4097\n", "\(standard.stdout) \(standard.stderr)")
        }
        let fork = "i=0; while [ $i -lt 40 ]; do sleep 5 & i=$((i + 1)); done; echo done"
        let limited = try home.run(["--pids-limit=20", image, "--exec=/bin/sh", "--", "-c", fork])
        #expect(limited.stderr.contains("can't fork") || limited.stderr.contains("Resource temporarily unavailable"),
                "40 processes started under --pids-limit=20: \(limited.stdout) \(limited.stderr)")
    }

    @Test("/dev/shm is a 64 MiB tmpfs")
    func sizedShm() throws {
        let (home, image) = try Self.probeImage()
        let result = try home.run([image, "--exec=/bin/df", "--", "-k", "/dev/shm"])
        #expect(result.stdout.contains(" 65536 "), "\(result.stdout) \(result.stderr)")
    }
}
