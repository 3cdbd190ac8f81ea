import Foundation
import TestSupport
import Testing

/// Issue 6: a pod's life — prepare, run, run-prepared, stop, status, list, rm, gc — and the flags
/// that shape it (--uuid-file-save, --pod-manifest, --readonly-rootfs, --no-overlay).
@Suite("rkt pods: lifecycle", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodLifecycleTests {
    static let unknownUUID = "0f746094-3438-42bc-ab37-3cf85132e1c4"

    func listJSON(_ home: PodHome) throws -> [[String: Any]] {
        let result = try home.rkt(["list", "--format=json"]).check("rkt list --format=json")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutBytes) as? [[String: Any]], "\(result.stdout)")
    }

    // MARK: stop, status, list

    @Test("rkt stop: SIGTERM reaches the app, which exits with its own code; status and list follow the pod (table and JSON)")
    func stopStatusList() throws {
        let home = try PodHome()
        let image = try home.image()
        let out = home.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", "--volume=out,kind=host,source=\(out)", image, "--mount=volume=out,target=/out",
                                  "--exec=/bin/sh", "--", "-c", "trap 'echo got-sigterm > /out/signal; exit 3' TERM; echo app-ready; while true; do sleep 0.2; done"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        #expect(uuid.count == 36)

        let running = try home.status(uuid)
        #expect(running["state"] == "running", "\(running)")
        #expect(running["exited"] == "false", "\(running)")
        #expect(running["pid"].flatMap { Int32($0) }.map { kill($0, 0) == 0 } == true, "pid= must name a live process: \(running)")
        #expect(running["app-busybox"] == nil, "\(running)")

        let table = try home.rkt(["list", "--no-legend"])
        let row = table.stdout.split(separator: "\n").map { $0.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } }
            .first { $0.first == String(uuid.prefix(8)) }
        #expect(row.map { Array($0.prefix(4)) } == [String(uuid.prefix(8)), "busybox", "example.com/busybox", "running"], "\(table.stdout)")
        let full = try home.rkt(["list", "--full", "--no-legend"])
        #expect(full.stdout.contains(uuid), "\(full.stdout)")
        #expect(full.stdout.range(of: #"sha512-[0-9a-f]{12}\t"#, options: .regularExpression) != nil, "\(full.stdout)")
        let header = try home.rkt(["list"])
        #expect(header.stdout.hasPrefix("UUID"), "\(header.stdout)")
        let json = try listJSON(home).first { $0["name"] as? String == uuid }
        #expect(json?["state"] as? String == "running", "\(String(describing: json))")
        #expect(json?["app_names"] as? [String] == ["busybox"], "\(String(describing: json))")

        let stop = try home.rkt(["stop", uuid])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(stop.stdout == "\"\(uuid)\"\n", "\(stop.stdout)")
        #expect(run.wait(timeout: 30) == 3, "rkt run exits with the app's code: \(run.stdout) \(run.stderr)")
        home.expectNoLeftovers("rkt stop")
        #expect((try? String(contentsOfFile: "\(out)/signal", encoding: .utf8)) == "got-sigterm\n", "SIGTERM must reach the app")

        let exited = try home.status(uuid)
        #expect(exited["state"] == "exited" && exited["exited"] == "true", "\(exited)")
        #expect(exited["app-busybox"] == "3", "\(exited)")
        let exitedJSON = try listJSON(home).first { $0["name"] as? String == uuid }
        #expect(exitedJSON?["state"] as? String == "exited", "\(String(describing: exitedJSON))")
        let apps = exitedJSON?["apps"] as? [[String: Any]]
        #expect((apps?.first?["exit_code"] as? NSNumber)?.intValue == 3, "\(String(describing: exitedJSON))")
        let pretty = try home.rkt(["list", "--format=json-pretty"])
        #expect(pretty.stdout.contains("\"name\": \"\(uuid)\""), "\(pretty.stdout)")

        let again = try home.rkt(["stop", uuid])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("is already stopped"), "\(again.stderr)")
    }

    @Test("rkt stop --force kills a pod whose app ignores SIGTERM, at once")
    func stopForce() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "trap '' TERM; echo app-ready; while true; do sleep 1; done"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let started = Date()
        let stop = try home.rkt(["stop", "--force", uuid])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(stop.stdout == "\"\(uuid)\"\n", "\(stop.stdout)")
        let code = run.wait(timeout: 30)
        #expect(code != nil && code != 0, "\(String(describing: code))")
        #expect(Date().timeIntervalSince(started) < 8, "--force must not wait for the 10 s grace period")
        home.expectNoLeftovers("rkt stop --force")
        #expect(try home.status(uuid)["state"] == "exited")
    }

    /// Starts a pod whose app sleeps 2 s and exits 4, runs `rkt status WAIT-FLAGS UUID` while it
    /// runs, and checks that status waited for the end and printed the exited pod.
    func expectStatusWaits(_ flags: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; sleep 2; exit 4"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)", sourceLocation: sourceLocation)
        let uuid = try #require(home.uuid(uuidFile), sourceLocation: sourceLocation)
        #expect(try home.status(uuid)["state"] == "running", sourceLocation: sourceLocation)

        let started = Date()
        let waited = try home.rkt(["status"] + flags + [uuid], timeout: 60)
        #expect(waited.status == 0, "\(waited.stderr)", sourceLocation: sourceLocation)
        #expect(Date().timeIntervalSince(started) > 1, "status \(flags) must wait for the app's 2 s sleep: \(waited.stdout)", sourceLocation: sourceLocation)
        let status = PodTestSupport.keyValues(waited.stdout)
        #expect(status["state"] == "exited", "\(waited.stdout)", sourceLocation: sourceLocation)
        #expect(status["exited"] == "true", "\(waited.stdout)", sourceLocation: sourceLocation)
        #expect(status["app-busybox"] == "4", "\(waited.stdout)", sourceLocation: sourceLocation)
        #expect(run.wait(timeout: 30) == 4, sourceLocation: sourceLocation)
        home.expectNoLeftovers("rkt status \(flags)", sourceLocation: sourceLocation)
    }

    @Test("rkt status --wait UUID (a bare --wait, as rkt documents it) waits until the pod has exited, then prints the exited state and the app's code")
    func statusWait() throws {
        try expectStatusWaits(["--wait"])
    }

    @Test("rkt status --wait=true waits until the pod has exited; --wait=2s returns after its limit with the pod still running")
    func statusWaitValues() throws {
        try expectStatusWaits(["--wait=true"])

        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; sleep 30"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let started = Date()
        let limited = try home.rkt(["status", "--wait=2s", uuid], timeout: 30)
        #expect(limited.status == 0, "\(limited.stderr)")
        // The limit is counted in whole seconds of the clock: 2 s means at least 1.
        #expect(Date().timeIntervalSince(started) > 1, "\(limited.stdout)")
        #expect(PodTestSupport.keyValues(limited.stdout)["state"] == "running", "\(limited.stdout)")
        #expect(try home.rkt(["stop", "--force", uuid]).status == 0)
        _ = run.wait(timeout: 30)
        home.expectNoLeftovers("rkt stop --force")
    }

    @Test("rkt stop of a prepared pod fails (254, failed to stop 1 pod(s)); of an unknown UUID too")
    func stopNotRunning() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuid = try home.rkt(["prepare", "--quiet", image]).check("prepare").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let stop = try home.rkt(["stop", uuid])
        #expect(stop.status == 254)
        #expect(stop.stderr.contains("failed to stop 1 pod(s)"), "\(stop.stderr)")
        let unknown = try home.rkt(["stop", Self.unknownUUID])
        #expect(unknown.status == 254)
        #expect(unknown.stderr.contains("no matches found for"), "\(unknown.stderr)")
    }

    // MARK: rm and gc

    @Test("rkt rm removes an exited and a prepared pod; refuses a running one; unknown and empty UUIDs fail")
    func remove() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        try home.run(["--uuid-file-save=\(uuidFile)", image]).check("run")
        let exited = try #require(home.uuid(uuidFile))
        let prepared = try home.rkt(["prepare", image]).check("prepare").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(home.podDirectories()["run"] == [exited] && home.podDirectories()["prepared"] == [prepared], "\(home.podDirectories())")

        let removed = try home.rkt(["rm", exited, prepared])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout == "\"\(exited)\"\n\"\(prepared)\"\n", "\(removed.stdout)")
        #expect(home.podDirectories().isEmpty, "\(home.podDirectories())")

        let unknown = try home.rkt(["rm", Self.unknownUUID])
        #expect(unknown.status == 254)
        #expect(unknown.stderr.contains("no matches found for \"\(Self.unknownUUID)\""), "\(unknown.stderr)")
        let empty = try home.rkt(["rm", ""])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("UUID cannot be empty"), "\(empty.stderr)")

        let runFile = home.path("uuid2")
        let run = try home.start(["--uuid-file-save=\(runFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let running = try #require(home.uuid(runFile))
        let refused = try home.rkt(["rm", running])
        #expect(refused.status == 254)
        #expect(refused.stderr.contains("failed to remove one or more pods"), "\(refused.stderr)")
        #expect(try home.status(running)["state"] == "running")
        try home.rkt(["stop", "--force", running]).check("stop")
        #expect(run.wait(timeout: 30) != nil)
        home.expectNoLeftovers("rkt stop --force")
    }

    @Test("rkt gc: --mark-only --expire-prepared=0s --grace-period=0s marks exited and prepared pods; gc then empties pods/")
    func garbageCollect() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        try home.run(["--uuid-file-save=\(uuidFile)", image]).check("run")
        let exited = try #require(home.uuid(uuidFile))
        let prepared = try home.rkt(["prepare", "--quiet", image]).check("prepare").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Duplicate app names: the prepare fails (and may leave an aborted prepare for gc).
        let duplicate = try home.rkt(["prepare", image, image])
        #expect(duplicate.status == 254)

        let keep = try home.rkt(["gc"])
        #expect(keep.status == 0, "\(keep.stderr)")
        #expect(keep.stdout.contains("moving pod \"\(exited)\" to garbage"), "\(keep.stdout)")
        #expect(keep.stdout.contains("pod \"\(exited)\" not removed: still within grace period (30m0s)"), "rkt's Go duration: \(keep.stdout)")
        #expect(home.podDirectories()["exited-garbage"] == [exited], "\(home.podDirectories())")
        #expect(home.podDirectories()["prepared"] == [prepared], "a fresh prepared pod is kept: \(home.podDirectories())")

        let mark = try home.rkt(["gc", "--mark-only", "--expire-prepared=0s", "--grace-period=0s"])
        #expect(mark.status == 0, "\(mark.stderr)")
        #expect(mark.stdout.contains("moving pod \"\(prepared)\" to garbage"), "\(mark.stdout)")
        #expect(!mark.stdout.contains("Garbage collecting"), "--mark-only must not remove: \(mark.stdout)")
        let marked = home.podDirectories()
        #expect(marked["exited-garbage"] == [exited] && marked["garbage"]?.contains(prepared) == true, "\(marked)")

        let sweep = try home.rkt(["gc", "--grace-period=0s"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.contains("Garbage collecting pod \"\(exited)\""), "\(sweep.stdout)")
        #expect(sweep.stdout.contains("Garbage collecting pod \"\(prepared)\""), "\(sweep.stdout)")
        #expect(home.podDirectories().isEmpty, "gc must empty pods/: \(home.podDirectories())")
        home.expectNoLeftovers("rkt gc")
    }

    // MARK: prepare and run-prepared

    @Test("prepare prints one UUID; status says prepared; run-prepared runs it with the app's exit code; only once")
    func prepareAndRunPrepared() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let prepare = try home.rkt(["prepare", "--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo prepared-ran; exit 4"])
        #expect(prepare.status == 0, "\(prepare.stderr)")
        let lines = prepare.stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.count == 36, "\(prepare.stdout)")
        let uuid = String(lines.first ?? "")
        #expect(home.uuid(uuidFile) == uuid)
        #expect(try home.status(uuid)["state"] == "prepared")
        let manifest = try home.rkt(["cat-manifest", "--pretty-print=false", uuid])
        #expect(manifest.stdout.contains("example.com/busybox") && manifest.stdout.contains("prepared-ran"), "\(manifest.stdout)")

        let run = try home.rkt(["run-prepared", uuid])
        home.expectNoLeftovers("rkt run-prepared")
        #expect(run.status == 4, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("prepared-ran"), "\(run.stdout)")
        let status = try home.status(uuid)
        #expect(status["state"] == "exited" && status["app-busybox"] == "4", "\(status)")
        let twice = try home.rkt(["run-prepared", uuid])
        #expect(twice.status == 254)
        #expect(twice.stderr.contains("is not prepared"), "\(twice.stderr)")
    }

    @Test("run-prepared still runs after rkt image rm of the app's and the stage1's images; list still shows the pod")
    func runPreparedAfterImageRemoval() throws {
        let home = try PodHome()
        let image = try home.image()
        let id = try home.fetch(image)
        let uuid = try home.rkt(["prepare", "--quiet", id, "--exec=/bin/sh", "--", "-c", "echo still-runs"]).check("prepare")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Every image goes: the app's and the stage1's.
        let ids = try home.rkt(["image", "list", "--no-legend", "--fields=id", "--full"]).check("image list").stdout
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(ids.contains(id) && ids.count == 2, "the app's and the stage1's image: \(ids)")
        let removed = try home.rkt(["image", "rm"] + ids)
        #expect(removed.status == 0, "\(removed.stderr)")
        let images = try home.rkt(["image", "list", "--no-legend"])
        #expect(images.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(images.stdout)")
        let run = try home.rkt(["run-prepared", uuid])
        home.expectNoLeftovers("rkt run-prepared")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("still-runs"), "\(run.stdout)")
        let list = try home.rkt(["list", "--no-legend"])
        #expect(list.stdout.contains(String(uuid.prefix(8))) && list.stdout.contains("example.com/busybox"), "\(list.stdout)")
    }

    @Test("image gc keeps the image of a running pod (as rkt did) and removes it once the pod has exited")
    func imageGCKeepsRunningPodsImages() throws {
        let home = try PodHome()
        let id = try home.fetch(try home.image())
        let run = try home.start([id, "--exec=/bin/sh", "--", "-c", "echo app-ready; while true; do sleep 0.2; done"])
        #expect(run.waitForOutput("app-ready"), "\(run.stdout) \(run.stderr)")
        let whileRunning = try home.rkt(["image", "gc", "--grace-period=0s"])
        #expect(whileRunning.status == 0, "\(whileRunning.stderr)")
        let kept = try home.rkt(["image", "list", "--no-legend", "--fields=id", "--full"]).check("image list").stdout
        #expect(kept.contains(id), "the running pod's image was collected: \(whileRunning.stdout)")

        let uuid = try #require(try home.rkt(["list", "--no-legend", "--full"]).stdout.split(separator: "\t").first.map(String.init))
        try home.rkt(["stop", "--force", uuid]).check("stop")
        _ = run.wait(timeout: 30)
        let afterwards = try home.rkt(["image", "gc", "--grace-period=0s"])
        #expect(afterwards.stdout.contains("successfully removed aci for image: \"\(id)\""), "\(afterwards.stdout)")
    }

    // MARK: flags

    @Test("--pod-manifest: runs the manifest's apps; conflicts with images, --inherit-env, --set-env, --volume, --mount; needs an app")
    func podManifest() throws {
        let home = try PodHome()
        let image = try home.image()
        let id = try home.fetch(image)
        let manifest = try home.scratch.write("pod.json", #"""
            {"acVersion":"0.8.11","acKind":"PodManifest","apps":[{"name":"from-manifest",
             "image":{"name":"example.com/busybox","id":"\#(id)"},
             "app":{"exec":["/bin/sh","-c","echo pod-manifest-ran; exit 6"],"user":"0","group":"0"}}]}
            """#)
        let run = try home.run(["--pod-manifest=\(manifest)"])
        #expect(run.status == 6, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("pod-manifest-ran"), "\(run.stdout)")

        for extra in [["--inherit-env"], ["--set-env=A=B"], ["--volume=v,kind=empty"], ["--mount=volume=v,target=/v"], [image]] {
            let conflict = try home.rkt(["run", "--pod-manifest=\(manifest)"] + extra)
            #expect(conflict.status == 254, "\(extra)")
            #expect(conflict.stderr.contains("conflicting flags set with --pod-manifest (see --help)"), "\(extra): \(conflict.stderr)")
            let prepared = try home.rkt(["prepare", "--pod-manifest=\(manifest)"] + extra)
            #expect(prepared.stderr.contains("conflicting flags set with --pod-manifest"), "prepare \(extra): \(prepared.stderr)")
        }
        let empty = try home.scratch.write("empty.json", #"{"acVersion":"0.8.11","acKind":"PodManifest","apps":[]}"#)
        let none = try home.rkt(["run", "--pod-manifest=\(empty)"])
        #expect(none.status == 254)
        #expect(none.stderr.contains("pod must contain at least one application"), "\(none.stderr)")
    }

    @Test("two apps with the same name are refused (multiple apps with name …); --name makes them distinct")
    func duplicateAppNames() throws {
        let home = try PodHome()
        let image = try home.image()
        let duplicate = try home.rkt(["run", image, image])
        #expect(duplicate.status == 254)
        #expect(duplicate.stderr.contains("multiple apps with name busybox"), "\(duplicate.stderr)")
        #expect(home.podDirectories()["run"] == nil)
        let named = try home.run([image, "--name=one", image, "--name=two"])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout.components(separatedBy: "hello").count == 3, "both apps print hello: \(named.stdout)")
    }

    @Test("an image without an app section needs --exec")
    func imageWithoutApp() throws {
        let home = try PodHome()
        let image = try home.image("noapp.aci", manifest: PodTestSupport.manifest("example.com/noapp", app: nil))
        let refused = try home.rkt(["run", image])
        #expect(refused.status == 254)
        #expect(refused.stderr.contains("has no app section and --exec argument is not provided"), "\(refused.stderr)")
        let run = try home.run([image, "--exec=/bin/echo", "--", "exec-given"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "exec-given\n", "\(run.stdout)")
    }

    @Test("an image without an os label is refused: exit 254, a message naming the missing os label, no pod runs")
    func imageWithoutOSLabel() throws {
        let home = try PodHome()
        let manifest = #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/noos","labels":[{"name":"version","value":"1.0.0"},{"name":"arch","value":"amd64"}],"app":{"exec":["/bin/sh","-c","echo app-ran"],"user":"0","group":"0"}}"#
        let image = try home.image("noos.aci", manifest: manifest)
        let result = try home.rkt(["run", image])
        #expect(result.status == 254, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("missing os label"), "\(result.stderr)")
        #expect(!result.stdout.contains("app-ran"), "\(result.stdout)")
        #expect(home.podDirectories()["run"] == nil, "no pod may run: \(home.podDirectories())")
    }

    @Test("--readonly-rootfs: writes to the root fail, a volume stays writable; without it the root is writable")
    func readOnlyRootfs() throws {
        let home = try PodHome()
        let image = try home.image()
        let script = "touch /etc/new-file; echo root-write=$?; touch /scratch/new-file; echo volume-write=$?"
        let readOnly = try home.run(["--volume=scratch,kind=empty", image, "--readonly-rootfs", "--mount=volume=scratch,target=/scratch",
                                     "--exec=/bin/sh", "--", "-c", script])
        #expect(readOnly.stdout.contains("root-write=1"), "\(readOnly.stdout) \(readOnly.stderr)")
        #expect(readOnly.stderr.contains("Read-only file system"), "\(readOnly.stderr)")
        #expect(readOnly.stdout.contains("volume-write=0"), "\(readOnly.stdout) \(readOnly.stderr)")
        let writable = try home.run(["--volume=scratch,kind=empty", image, "--mount=volume=scratch,target=/scratch", "--exec=/bin/sh", "--", "-c", script])
        #expect(writable.stdout.contains("root-write=0"), "\(writable.stdout) \(writable.stderr)")
    }

    @Test("overlay and --no-overlay: the app can write its root; the write reaches neither the stored image nor the next pod")
    func overlayAndCopy() throws {
        let home = try PodHome()
        let image = try home.image()
        let script = "echo written > /bin/new-file && cat /bin/new-file; grep ' / ' /proc/self/mountinfo | sed 's/.* - //' | cut -d' ' -f1 | sed 's/^/rootfs-type=/'"
        let overlay = try home.run([image, "--exec=/bin/sh", "--", "-c", script])
        #expect(overlay.status == 0, "\(overlay.stderr)")
        #expect(overlay.stdout.contains("written"), "\(overlay.stdout)")
        #expect(overlay.stdout.contains("rootfs-type=overlay"), "\(overlay.stdout)")
        let copy = try home.run(["--no-overlay", image, "--exec=/bin/sh", "--", "-c", script])
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout.contains("written"), "\(copy.stdout)")
        #expect(!copy.stdout.contains("rootfs-type=overlay"), "--no-overlay must not mount an overlay: \(copy.stdout)")
        let trees = try FileManager.default.subpathsOfDirectory(atPath: "\(home.data)/cas/tree")
        #expect(!trees.contains { $0.hasSuffix("/bin/new-file") }, "a pod's write reached the tree store")
        let next = try home.run([image, "--exec=/bin/sh", "--", "-c", "test -e /bin/new-file; echo exists=$?"])
        #expect(next.stdout.contains("exists=1"), "every pod starts from a clean copy of the image: \(next.stdout)")
        #expect(home.podDirectories()["run"]?.count == 3, "one pod per run: \(home.podDirectories())")
    }

    @Test("rkt rm and rkt gc never follow the symlinks an app leaves in its root or in an empty volume")
    func removalDoesNotFollowAppLinks() throws {
        let home = try PodHome()
        let image = try home.image()
        let victim = home.path("victim")
        try home.scratch.write("victim/keep", "keep\n")
        let plant = "ln -s \(victim) /link-dir; ln -s \(victim)/keep /link-file; ln -s \(victim) /shared/link-dir; mkdir -p /deep/er && ln -s / /deep/er/root"
        for remover in ["rm", "gc"] {
            let uuidFile = home.path("uuid-\(remover)")
            let result = try home.run(["--uuid-file-save=\(uuidFile)", "--volume=shared,kind=empty", image, "--mount=volume=shared,target=/shared",
                                       "--exec=/bin/sh", "--", "-c", plant])
            #expect(result.status == 0, "\(result.stderr)")
            let uuid = try #require(home.uuid(uuidFile))
            let removal = remover == "rm" ? try home.rkt(["rm", uuid]) : try home.rkt(["gc", "--grace-period=0s"])
            #expect(removal.status == 0, "\(removal.stderr)")
            #expect(home.podDirectories().isEmpty, "\(home.podDirectories())")
            #expect((try? String(contentsOfFile: "\(victim)/keep", encoding: .utf8)) == "keep\n", "rkt \(remover) followed a link out of the pod")
        }
    }
}
