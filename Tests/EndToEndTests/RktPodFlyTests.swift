import Foundation
import TestSupport
import Testing

/// Issue 6: the fly flavor (`--stage1-name=fly`) — one app, chroot, host network, a private /tmp.
@Suite("rkt pods: fly flavor", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodFlyTests {
    @Test("fly: the app's exit code is rkt's and rkt status's", arguments: [Int32(0), 7])
    func exitCode(code: Int32) throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let result = try home.run(["--stage1-name=fly", "--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo fly-ran; exit \(code)"])
        #expect(result.status == code, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("fly-ran"), "\(result.stdout)")
        let status = try home.status(try #require(home.uuid(uuidFile)))
        #expect(status["state"] == "exited", "\(status)")
        #expect(status["app-busybox"] == "\(code)", "\(status)")
    }

    @Test("fly: the host's network interfaces and hostname; /tmp is a private tmpfs; the root is the image's")
    func hostNetworkAndTmp() throws {
        let home = try PodHome()
        let image = try home.image(files: ["etc/image-marker": "from-the-image\n"])
        // Other tests' pods come and go on the default network meanwhile: their host ends (veth…)
        // are left out of the comparison.
        let interfaces = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | grep -v '^veth' | sort"
        let script = "\(interfaces); echo hostname=$(hostname); grep ' /tmp ' /proc/self/mountinfo | sed 's/.* - //' | cut -d' ' -f1 | sed 's/^/tmp-type=/'; cat /etc/image-marker; touch /tmp/probe; echo tmp-write=$?"
        let result = try home.run(["--stage1-name=fly", image, "--exec=/bin/sh", "--", "-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        let hostInterfaces = try Tool.execute("/bin/sh", ["-c", interfaces]).stdout
        #expect(result.stdout.hasPrefix(hostInterfaces), "fly shares the host's network: \(result.stdout) vs \(hostInterfaces)")
        #expect(result.stdout.contains("hostname=\(PodTestSupport.hostName())\n"), "\(result.stdout)")
        #expect(result.stdout.contains("tmp-type=tmpfs"), "\(result.stdout)")
        #expect(result.stdout.contains("from-the-image"), "\(result.stdout)")
        #expect(result.stdout.contains("tmp-write=0"), "\(result.stdout)")
    }

    @Test("fly: rkt enter runs in the app's root and as the app's user, not in the host's root")
    func enterStaysInTheAppRoot() throws {
        let home = try PodHome()
        let image = try home.image(files: ["etc/image-marker": "from-the-image\n"])
        let hostMarker = home.path("host-marker")
        try "host\n".write(toFile: hostMarker, atomically: true, encoding: .utf8)
        let uuidFile = home.path("uuid")
        let run = try home.start(["--stage1-name=fly", "--uuid-file-save=\(uuidFile)", image, "--user=1000", "--group=1000",
                                  "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let entered = try home.rkt(["enter", uuid, "/bin/sh", "-c", "cat /etc/image-marker; test -e \(hostMarker) && echo host-visible; id -u"],
                                   timeout: 60)
        #expect(entered.status == 0, "\(entered.stderr)")
        #expect(entered.stdout == "from-the-image\n1000\n", "enter must run in the app's root as its user: \(entered.stdout)")
        #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
        #expect(run.wait(timeout: 30) != nil)
        home.expectNoLeftovers("rkt enter of a fly pod")
    }

    @Test("fly runs exactly one app: a pod of two fails clearly")
    func oneAppOnly() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run(["--stage1-name=fly", image, "--name=one", image, "--name=two"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("one app"), "\(result.stderr)")
        #expect(!result.stdout.contains("hello"), "\(result.stdout)")
    }

    @Test("fly: rkt stop reaches the app; stop --force ends a pod ignoring SIGTERM; nothing is left")
    func stop() throws {
        let home = try PodHome()
        let image = try home.image()
        let out = home.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let uuidFile = home.path("uuid")
        let run = try home.start(["--stage1-name=fly", "--uuid-file-save=\(uuidFile)", "--volume=out,kind=host,source=\(out)", image,
                                  "--mount=volume=out,target=/out", "--exec=/bin/sh", "--", "-c",
                                  "trap 'echo got-sigterm > /out/signal; exit 3' TERM; echo app-ready; while true; do sleep 0.2; done"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        #expect(try home.status(uuid)["state"] == "running")
        #expect(try home.rkt(["stop", uuid]).status == 0)
        #expect(run.wait(timeout: 30) == 3, "\(run.stderr)")
        #expect((try? String(contentsOfFile: "\(out)/signal", encoding: .utf8)) == "got-sigterm\n")
        home.expectNoLeftovers("rkt stop (fly)")

        let secondFile = home.path("uuid2")
        let stubborn = try home.start(["--stage1-name=fly", "--uuid-file-save=\(secondFile)", image, "--exec=/bin/sh", "--", "-c",
                                       "trap '' TERM; echo app-ready; while true; do sleep 1; done"])
        #expect(stubborn.waitForOutput("app-ready"), "\(stubborn.stdout) \(stubborn.stderr)")
        let second = try #require(home.uuid(secondFile))
        #expect(try home.rkt(["stop", "--force", second]).status == 0)
        #expect(stubborn.wait(timeout: 8) != nil, "stop --force must end a fly pod at once")
        home.expectNoLeftovers("rkt stop --force (fly)")
    }
}
