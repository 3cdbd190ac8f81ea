import Foundation
import TestSupport
import Testing

/// Issue 6: the stage1 ABI, through a stage1 written as shell scripts (`--stage1-path`): what stage0
/// hands to the run, enter, stop and gc entrypoints.
@Suite("rkt pods: a shell-script stage1", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodStage1Tests {
    static let run = """
        #!/bin/sh
        read -r children < /proc/$$/task/$$/children
        echo "stub-children:$children"
        echo "stub-args:$*"
        echo "stub-lockfd:$RKT_LOCK_FD"
        echo "stub-lock-target:$(readlink /proc/self/fd/$RKT_LOCK_FD)"
        echo "stub-cwd:$(pwd)"
        if flock -n . true 2>/dev/null; then echo "stub-locked:no"; else echo "stub-locked:yes"; fi
        test -f pod && echo "stub-manifest:$(cat pod)"
        test -f stage1/rootfs/etc/rkt-resolv.conf && echo "stub-resolv:$(cat stage1/rootfs/etc/rkt-resolv.conf)"
        echo "stub-fds:$(ls /proc/self/fd | tr '\\n' ' ')"
        echo $$ > pid
        mkdir -p stage1/rootfs/rkt/status
        echo 42 > stage1/rootfs/rkt/status/busybox
        if [ -n "$STUB_WAIT" ]; then
          echo stub-waiting
          while [ ! -f stop-requested ]; do sleep 0.1; done
          echo stub-stopped
        fi
        echo "success, stub stage1 would at this point switch to stage2"
        exit 42
        """
    static let enter = "#!/bin/sh\necho \"stub-enter:$*\"\necho \"stub-enter-cwd:$(pwd)\"\nexit 5\n"
    static let stop = "#!/bin/sh\necho \"stub-stop:$*\"\necho \"stub-stop-cwd:$(pwd)\"\ntouch stop-requested\n"
    static let gc = "#!/bin/sh\necho \"stub-gc:$* cwd:$(pwd)\"\n"

    /// The stub stage1 image: its entrypoints are the scripts above (interpreted by the host's /bin/sh).
    static func stub(_ home: PodHome, interfaceVersion: String? = "5") throws -> String {
        var annotations = [
            ("coreos.com/rkt/stage1/run", "/run.sh"), ("coreos.com/rkt/stage1/enter", "/enter.sh"),
            ("coreos.com/rkt/stage1/stop", "/stop.sh"), ("coreos.com/rkt/stage1/gc", "/gc.sh"),
        ]
        if let interfaceVersion { annotations.append(("coreos.com/rkt/stage1/interface-version", interfaceVersion)) }
        let manifest = PodTestSupport.manifest("example.com/stub-stage1", app: nil, annotations: annotations)
        return try home.image("stub-stage1-\(interfaceVersion ?? "none").aci", manifest: manifest,
                              files: ["run.sh": run, "enter.sh": enter, "stop.sh": stop, "gc.sh": gc], applets: [])
    }

    static func value(_ key: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(key + ":") }.map { String($0.dropFirst(key.count + 1)) }
    }

    @Test("interface versions: a stage1 without one (1) gets no --hostname, --disable-… or --dns-conf-mode, and rkt warns; version 5 gets --dns-conf-mode and stage0's resolv.conf")
    func interfaceVersions() throws {
        let home = try PodHome()
        let image = try home.image()
        let old = try Self.stub(home, interfaceVersion: nil)
        let result = try home.run(["--stage1-path=\(old)", "--hostname=web", "--dns=192.0.2.53", image], insecure: "image,seccomp")
        #expect(result.status == 42, "\(result.stdout) \(result.stderr)")
        let arguments = Self.value("stub-args", in: result.stdout) ?? ""
        #expect(!arguments.contains("--hostname") && !arguments.contains("--disable-seccomp") && !arguments.contains("--dns-conf-mode"), "\(arguments)")
        for option in ["--hostname", "--disable-seccomp", "--dns-conf-mode"] {
            #expect(result.stderr.contains("warning: \(option) option is not supported by stage1"), "\(result.stderr)")
        }
        let current = try Self.stub(home)
        let newer = try home.run(["--stage1-path=\(current)", "--dns=192.0.2.53", image])
        let newArguments = Self.value("stub-args", in: newer.stdout) ?? ""
        #expect(newArguments.contains("--dns-conf-mode=resolv=stage0,hosts=default"), "\(newArguments)")
        #expect(Self.value("stub-resolv", in: newer.stdout) == "nameserver 192.0.2.53", "\(newer.stdout)")
        #expect(!newer.stderr.contains("warning"), "\(newer.stderr)")
    }

    @Test("run: the script gets --net, --hostname, --local-config and the UUID last, RKT_LOCK_FD (the locked pod directory), the pod directory as cwd with the manifest; rkt exits with its code")
    func runEntrypoint() throws {
        let home = try PodHome()
        let stage1 = try Self.stub(home)
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let result = try home.run(["--stage1-path=\(stage1)", "--uuid-file-save=\(uuidFile)", image])
        #expect(result.status == 42, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("success, stub stage1 would at this point switch to stage2"), "\(result.stdout)")
        let uuid = try #require(home.uuid(uuidFile))
        let podDirectory = "\(home.data)/pods/run/\(uuid)"
        let arguments = (Self.value("stub-args", in: result.stdout) ?? "").split(separator: " ").map(String.init)
        #expect(arguments.last == uuid, "the UUID comes last: \(arguments)")
        #expect(arguments.contains("--net=default"), "\(arguments)")
        #expect(arguments.contains("--local-config=\(home.local)"), "\(arguments)")
        #expect(arguments.contains("--hostname=rkt-\(uuid)"), "\(arguments)")
        #expect(!arguments.contains("--debug") && !arguments.contains("--interactive"), "\(arguments)")
        #expect(Self.value("stub-lockfd", in: result.stdout).flatMap { Int($0) } != nil, "\(result.stdout)")
        #expect(Self.value("stub-children", in: result.stdout) == "", "a foreign stage1 starts with no child of stage0's: \(result.stdout)")
        #expect(Self.value("stub-lock-target", in: result.stdout) == podDirectory, "\(result.stdout)")
        #expect(Self.value("stub-cwd", in: result.stdout) == podDirectory, "\(result.stdout)")
        #expect(Self.value("stub-locked", in: result.stdout) == "yes", "the pod lock must be held while stage1 runs: \(result.stdout)")
        let manifest = Self.value("stub-manifest", in: result.stdout) ?? ""
        #expect(manifest.contains("\"acKind\":\"PodManifest\"") && manifest.contains("example.com/busybox"), "\(result.stdout)")
        // Only stdin, stdout, stderr and the lock are inherited (plus the descriptor ls opens).
        let fds = (Self.value("stub-fds", in: result.stdout) ?? "").split(separator: " ").compactMap { Int($0) }
        #expect(fds.count <= 5, "descriptors leaked into stage1: \(fds)")

        let status = try home.status(uuid)
        #expect(status["state"] == "exited", "\(status)")
        #expect(status["app-busybox"] == "42", "stage1's status file is rkt status's: \(status)")
        #expect(status["pid"] != nil, "\(status)")
    }

    @Test("run: --debug, --hostname and --net=host are passed on; the insecure options become --disable-* flags")
    func runFlags() throws {
        let home = try PodHome()
        let stage1 = try Self.stub(home)
        let image = try home.image()
        let result = try home.rkt(["--debug", "run", "--stage1-path=\(stage1)", "--net=host", "--hostname=stub-host", image],
                                  insecure: "image,capabilities,paths,seccomp")
        #expect(result.status == 42, "\(result.stderr)")
        let arguments = (Self.value("stub-args", in: result.stdout) ?? "").split(separator: " ").map(String.init)
        for expected in ["--debug", "--net=host", "--hostname=stub-host", "--disable-capabilities-restriction", "--disable-paths", "--disable-seccomp"] {
            #expect(arguments.contains(expected), "\(expected) missing: \(arguments)")
        }
    }

    @Test("enter, stop and gc entrypoints: documented arguments, the pod directory as cwd; rkt enter exits with enter's code")
    func otherEntrypoints() throws {
        let home = try PodHome()
        let stage1 = try Self.stub(home)
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--stage1-path=\(stage1)", "--uuid-file-save=\(uuidFile)", image], environment: ["STUB_WAIT": "1"])
        #expect(run.waitForOutput("stub-waiting"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let podDirectory = "\(home.data)/pods/run/\(uuid)"
        let status = try home.status(uuid)
        #expect(status["state"] == "running", "\(status)")
        let pid = try #require(status["pid"])

        let enter = try home.rkt(["enter", uuid, "/bin/echo", "hi"])
        #expect(enter.status == 5, "\(enter.stdout) \(enter.stderr)")
        #expect(Self.value("stub-enter", in: enter.stdout) == "--pid=\(pid) --appname=busybox -- /bin/echo hi", "\(enter.stdout)")
        #expect(Self.value("stub-enter-cwd", in: enter.stdout) == podDirectory, "\(enter.stdout)")

        let stop = try home.rkt(["stop", uuid])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(Self.value("stub-stop", in: stop.stdout) == uuid, "\(stop.stdout)")
        #expect(Self.value("stub-stop-cwd", in: stop.stdout) == podDirectory, "\(stop.stdout)")
        #expect(run.wait(timeout: 30) == 42, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("stub-stopped"))

        let gc = try home.rkt(["gc", "--grace-period=0s"])
        #expect(gc.status == 0, "\(gc.stderr)")
        let gcLine = Self.value("stub-gc", in: gc.stdout) ?? ""
        #expect(gcLine.hasSuffix(" cwd:\(home.data)/pods/exited-garbage/\(uuid)"), "gc runs in the pod directory: \(gc.stdout)")
        #expect(gcLine.split(separator: " ").contains { $0 == uuid }, "gc gets the UUID: \(gc.stdout)")
        #expect(home.podDirectories().isEmpty, "\(home.podDirectories())")
    }

    @Test("a stage1 image without a run entrypoint is refused with a clear error")
    func missingRunEntrypoint() throws {
        let home = try PodHome()
        let manifest = PodTestSupport.manifest("example.com/broken-stage1", app: nil, annotations: [("coreos.com/rkt/stage1/enter", "/enter.sh")])
        let stage1 = try home.image("broken.aci", manifest: manifest, files: ["enter.sh": Self.enter], applets: [])
        let image = try home.image()
        let result = try home.run(["--stage1-path=\(stage1)", image])
        #expect(result.status == 254)
        #expect(result.stderr.contains("coreos.com/rkt/stage1/run"), "\(result.stderr)")
    }

    @Test("stage1.d's default: an unsigned local image is used without --insecure-options, then found in the store by name and version; --stage1-from-dir and --stage1-hash pick it too")
    func configuredStage1() throws {
        let home = try PodHome()
        let stub = try Self.stub(home)
        let images = home.path("stage1-images")
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: stub, toPath: "\(images)/stub.aci")
        for directory in ["paths.d", "stage1.d"] {
            try FileManager.default.createDirectory(atPath: "\(home.system)/\(directory)", withIntermediateDirectories: true)
        }
        try Data(#"{"rktKind":"paths","rktVersion":"v1","stage1-images":"\#(images)"}"#.utf8).write(to: URL(fileURLWithPath: "\(home.system)/paths.d/paths.json"))
        try Data(#"{"rktKind":"stage1","rktVersion":"v1","name":"example.com/stub-stage1","version":"1.0.0","location":"\#(images)/stub.aci"}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(home.system)/stage1.d/stage1.json"))
        let app = try home.fetch(try home.image())

        // No insecure option: the app comes by ID, the stage1 from the installation's directory.
        let first = try home.run([app], insecure: "none")
        #expect(first.status == 42, "\(first.stdout) \(first.stderr)")
        #expect(first.stdout.contains("stub-args:"), "\(first.stdout)")
        // Now it is in the store: found there even when the file is gone.
        try FileManager.default.removeItem(atPath: "\(images)/stub.aci")
        let stored = try home.run([app], insecure: "none")
        #expect(stored.status == 42, "\(stored.stdout) \(stored.stderr)")
        let stubID = try #require(try home.rkt(["image", "list", "--no-legend", "--full", "--fields=id,name"]).stdout
            .split(separator: "\n").first { $0.contains("example.com/stub-stage1") }?.split(separator: "\t").first.map(String.init))
        let byHash = try home.run(["--stage1-hash=\(stubID)", app], insecure: "none")
        #expect(byHash.status == 42, "\(byHash.stdout) \(byHash.stderr)")

        try FileManager.default.copyItem(atPath: stub, toPath: "\(images)/other.aci")
        let fromDirectory = try home.run(["--stage1-from-dir=other.aci", app], insecure: "none")
        #expect(fromDirectory.status == 42, "\(fromDirectory.stdout) \(fromDirectory.stderr)")
        // A stage1.d entry may give only a location.
        try Data(#"{"rktKind":"stage1","rktVersion":"v1","location":"\#(images)/other.aci"}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(home.system)/stage1.d/stage1.json"))
        let locationOnly = try home.run([app], insecure: "none")
        #expect(locationOnly.status == 42, "\(locationOnly.stdout) \(locationOnly.stderr)")
        // An image outside that directory still needs its signature.
        let unsigned = try home.run(["--stage1-path=\(stub)", app], insecure: "none")
        #expect(unsigned.status == 254 && unsigned.stderr.contains("signature"), "\(unsigned.stderr)")
    }

    @Test("a malformed --net and --cpu below 10m are refused before any pod is made")
    func refusedPodFlags() throws {
        let home = try PodHome()
        let image = try home.image()
        let network = try home.run(["--net=default,default", image])
        #expect(network.status == 254 && network.stderr.contains(#"run: --net: found duplicate netname "default""#), "\(network.stderr)")
        let cpu = try home.run([image, "--cpu=0"])
        #expect(cpu.status == 254 && cpu.stderr.contains("cpu limit of 0 too low"), "\(cpu.stderr)")
        let negative = try home.rkt(["prepare", image, "--cpu=-5"])
        #expect(negative.status == 254 && negative.stderr.contains("too low"), "\(negative.stderr)")
        let leftPods = home.podDirectories().values.flatMap { $0 }
        #expect(leftPods.isEmpty, "\(home.podDirectories())")
    }
}
