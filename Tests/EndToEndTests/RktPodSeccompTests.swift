import Foundation
import TestSupport
import Testing

/// Issue 15 (items 4 and 7): what the default seccomp filter of an ns pod refuses — the new mount
/// API even with CAP_SYS_ADMIN, user namespaces through clone and clone3, io_uring — and what it
/// must still let an ordinary program do. Each attack also runs once without the filter
/// (`--insecure-options=seccomp`) to show that on this host the filter is what stops it.
@Suite("rkt pods: the default seccomp filter", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodSeccompTests {
    /// appc's default capability set plus CAP_SYS_ADMIN.
    static let defaultCapsWithSysAdmin = "CAP_AUDIT_WRITE,CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_KILL,CAP_MKNOD,CAP_NET_RAW,"
        + "CAP_NET_BIND_SERVICE,CAP_SETUID,CAP_SETGID,CAP_SETPCAP,CAP_SETFCAP,CAP_SYS_CHROOT,CAP_SYS_ADMIN"

    /// The new mount API's calls, as the probe's `mount-api` command names them.
    static let mountAPI = ["open_tree", "open_tree_attr", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr"]

    /// A pod home and a busybox image holding the probe.
    static func probeImage() throws -> (PodHome, String) {
        let home = try PodHome()
        return (home, try home.image(customize: Probe.install))
    }

    /// Expects each probe value of `expected` (name → value) in `output`.
    static func expectProbe(_ expected: KeyValuePairs<String, String>, in output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, value) in expected {
            #expect(Probe.value(name, in: output) == value, "\(name): \(output)", sourceLocation: sourceLocation)
        }
    }

    /// `sh -c SCRIPT` in a pod of an image holding the probe; the app's stdout.
    static func run(_ home: PodHome, _ image: String, _ script: String, flags: [String] = [], insecure: String = "image",
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try home.run([image] + flags + ["--exec=/bin/sh", "--", "-c", script], insecure: insecure, sourceLocation: sourceLocation)
        #expect(result.status == 0, "\(script): \(result.status) \(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    @Test("--caps-retain=…,CAP_SYS_ADMIN: mount_setattr cannot clear read-only on /proc/sys or / (EPERM), so core_pattern stays unwritable")
    func mountSetattrIsRefusedWithSysAdmin() throws {
        let (home, image) = try Self.probeImage()
        let script = """
            /bin/probe mount-setattr /proc/sys | sed s/^/proc-sys-/; /bin/probe open-rw /proc/sys/kernel/core_pattern
            /bin/probe mount-setattr / | sed s/^/root-/
            """
        let flags = ["--caps-retain=\(Self.defaultCapsWithSysAdmin)"]
        let filtered = try Self.run(home, image, script, flags: flags)
        Self.expectProbe(["proc-sys-mount-setattr": "EPERM", "root-mount-setattr": "EPERM", "open-rw": "EROFS"], in: filtered)
        // Without the filter the kernel lets CAP_SYS_ADMIN do it, and core_pattern opens for writing.
        let unfiltered = try Self.run(home, image, script, flags: flags, insecure: "image,seccomp")
        Self.expectProbe(["proc-sys-mount-setattr": "0", "open-rw": "0"], in: unfiltered)
    }

    @Test("--caps-retain=…,CAP_SYS_ADMIN: open_tree_attr cannot clone /proc/sys without read-only to write core_pattern through it (EPERM)")
    func openTreeAttrIsRefusedWithSysAdmin() throws {
        let (home, image) = try Self.probeImage()
        let script = "/bin/probe open-tree-attr /proc/sys kernel/core_pattern"
        let flags = ["--caps-retain=\(Self.defaultCapsWithSysAdmin)"]
        let filtered = try Self.run(home, image, script, flags: flags)
        #expect(Probe.value("open-tree-attr", in: filtered) == "EPERM", "\(filtered)")
        #expect(Probe.value("open-tree-write", in: filtered) == nil, "\(filtered)")

        let unfiltered = try Self.run(home, image, script, flags: flags, insecure: "image,seccomp")
        #expect(Probe.value("open-tree-write", in: unfiltered) == "0", "without the filter the clone is writable: \(unfiltered)")
    }

    @Test("--caps-retain=…,CAP_SYS_ADMIN: every call of the new mount API gets EPERM; without the filter the kernel refuses none with EPERM")
    func newMountAPIIsRefused() throws {
        let (home, image) = try Self.probeImage()
        let flags = ["--caps-retain=\(Self.defaultCapsWithSysAdmin)"]
        let filtered = try Self.run(home, image, "/bin/probe mount-api", flags: flags)
        let unfiltered = try Self.run(home, image, "/bin/probe mount-api", flags: flags, insecure: "image,seccomp")
        for call in Self.mountAPI {
            #expect(Probe.value(call, in: filtered) == "EPERM", "\(call): \(filtered)")
            let kernel = Probe.value(call, in: unfiltered)
            #expect(kernel != nil && kernel != "EPERM", "\(call): the kernel's own answer must not be EPERM: \(unfiltered)")
        }
    }

    @Test("clone(CLONE_NEWUSER) is refused (EPERM) for a root and a non-root app; a non-root app may create one on this host without the filter")
    func cloneNewUserIsRefused() throws {
        let (home, image) = try Self.probeImage()
        let user = ["--user=1000", "--group=1000"]
        Self.expectProbe(["clone-newuser": "EPERM"], in: try Self.run(home, image, "/bin/probe clone-newuser"))
        Self.expectProbe(["clone-newuser": "EPERM"], in: try Self.run(home, image, "/bin/probe clone-newuser", flags: user))
        let unfiltered = try Self.run(home, image, "/bin/probe clone-newuser", flags: user, insecure: "image,seccomp")
        Self.expectProbe(["clone-newuser": "0"], in: unfiltered)
    }

    @Test("clone3 answers ENOSYS, so clone3(CLONE_NEWUSER) cannot go around the check on clone's flags, and threads still start")
    func clone3IsNotImplemented() throws {
        let (home, image) = try Self.probeImage()
        let script = "/bin/probe clone3-newuser; /bin/probe thread"
        for flags in [[], ["--user=1000", "--group=1000"]] {
            Self.expectProbe(["clone3-newuser": "ENOSYS", "thread": "0"], in: try Self.run(home, image, script, flags: flags))
        }
        let unfiltered = try Self.run(home, image, script, flags: ["--user=1000", "--group=1000"], insecure: "image,seccomp")
        Self.expectProbe(["clone3-newuser": "0"], in: unfiltered)
    }

    @Test("io_uring_setup is refused (EPERM)")
    func ioUringIsRefused() throws {
        let (home, image) = try Self.probeImage()
        Self.expectProbe(["io-uring": "EPERM"], in: try Self.run(home, image, "/bin/probe io-uring"))
        Self.expectProbe(["io-uring": "0"], in: try Self.run(home, image, "/bin/probe io-uring", insecure: "image,seccomp"))
    }

    /// The calls the default filter refuses beyond rkt's list, the mount API and io_uring_setup, by
    /// their x86-64 numbers (the test images are amd64).
    static let furtherRefusedCalls = [
        "quotactl_fd": 443, "pidfd_getfd": 438, "process_madvise": 440, "migrate_pages": 256, "set_mempolicy_home_node": 450,
        "fanotify_init": 300, "io_uring_enter": 426, "io_uring_register": 427,
    ]

    @Test("--caps-retain=…,CAP_SYS_ADMIN: quotactl_fd, pidfd_getfd, process_madvise, migrate_pages, set_mempolicy_home_node, fanotify_init and the rest of io_uring get EPERM")
    func furtherCallsAreRefused() throws {
        let (home, image) = try Self.probeImage()
        let script = "/bin/probe calls " + Self.furtherRefusedCalls.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        let output = try Self.run(home, image, script, flags: ["--caps-retain=\(Self.defaultCapsWithSysAdmin)"])
        for call in Self.furtherRefusedCalls.keys {
            #expect(Probe.value(call, in: output) == "EPERM", "\(call): \(output)")
        }
    }

    @Test("under the default filter a shell still forks, pipes, substitutes, sleeps and waits; a program starts threads")
    func ordinaryProgramsRun() throws {
        let (home, image) = try Self.probeImage()
        let script = """
            echo abc | tr b x; echo sub=$(echo inner); (sleep 0.1; echo background) & wait; echo waited=$?; /bin/probe thread
            """
        for flags in [[], ["--user=1000", "--group=1000"]] {
            let output = try Self.run(home, image, script, flags: flags)
            #expect(output == "axc\nsub=inner\nbackground\nwaited=0\nthread=0\n", "\(flags): \(output)")
        }
    }

    @Test("socket(AF_VSOCK) and socket(AF_ALG) are refused (EPERM), also with bits above the int the kernel reads; AF_UNIX, AF_INET and AF_INET6 open")
    func vsockAndAlgSocketsAreRefused() throws {
        let (home, image) = try Self.probeImage()
        let sockets = [("vsock", "40 1"), ("vsock-high", "0x100000028 1"), ("alg", "38 5"), ("unix", "1 1"), ("inet", "2 2"), ("inet6", "10 2")]
        let script = sockets.map { "/bin/probe socket \($0.1) | sed s/^/\($0.0)-/" }.joined(separator: "; ")
        let filtered = try Self.run(home, image, script)
        Self.expectProbe(["vsock-socket": "EPERM", "vsock-high-socket": "EPERM", "alg-socket": "EPERM", "unix-socket": "0",
                     "inet-socket": "0", "inet6-socket": "0"], in: filtered)
        // Without the filter the kernel answers vsock with a socket where the host has a vsock transport
        // (this one does), else EAFNOSUPPORT; never EPERM.
        let unfiltered = try Self.run(home, image, script, insecure: "image,seccomp")
        for name in ["vsock", "vsock-high", "alg"] {
            #expect(Probe.value("\(name)-socket", in: unfiltered).map { $0 != "EPERM" } == true, "\(name): \(unfiltered)")
        }
    }

    @Test("--seccomp mode=remove,errno=EACCES,@rkt/default-blacklist is the default filter with that errno (clone3 stays ENOSYS)")
    func blacklistWildcardIsTheDefault() throws {
        let (home, image) = try Self.probeImage()
        let script = "/bin/probe mount-setattr /proc/sys; /bin/probe clone-newuser; /bin/probe clone3-newuser; /bin/probe io-uring; "
            + "/bin/probe socket 40 1; /bin/probe thread"
        let flags = ["--caps-retain=\(Self.defaultCapsWithSysAdmin)", "--seccomp", "mode=remove,errno=EACCES,@rkt/default-blacklist"]
        let output = try Self.run(home, image, script, flags: flags)
        Self.expectProbe(["mount-setattr": "EACCES", "clone-newuser": "EACCES", "clone3-newuser": "ENOSYS", "io-uring": "EACCES",
                     "socket": "EACCES", "thread": "0"], in: output)
        // A call the set names by itself is refused whatever its arguments, clone3 with the set's errno.
        // glibc falls back to clone on ENOSYS only: with clone3 refused by name, threads fail.
        let named = try Self.run(home, image, script, flags: ["--seccomp", "mode=remove,errno=EACCES,@rkt/default-blacklist,clone3"])
        Self.expectProbe(["clone3-newuser": "EACCES", "thread": "EACCES"], in: named)
    }

    @Test("a retain set allows what it names, as in rkt: io_uring_setup only when named; @rkt/default-whitelist names clone")
    func retainSetAllowsWhatItNames() throws {
        let (home, image) = try Self.probeImage()
        let script = "/bin/probe io-uring; /bin/probe clone-newuser; /bin/probe thread"
        let whitelist = try Self.run(home, image, script, flags: ["--seccomp", "mode=retain,errno=EPERM,@rkt/default-whitelist"])
        Self.expectProbe(["io-uring": "EPERM", "clone-newuser": "0", "thread": "0"], in: whitelist)
        let retained = try Self.run(home, image, script, flags: ["--seccomp", "mode=retain,errno=EPERM,@rkt/default-whitelist,io_uring_setup"])
        Self.expectProbe(["io-uring": "0"], in: retained)
    }
}
