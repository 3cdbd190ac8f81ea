import Foundation
import TestSupport
import Testing

/// Issue 6: nothing outlives a pod — no mount in the host's table, no process working or rooted in
/// the pod's directories, no cgroup — whichever way the pod ends.
@Suite("rkt pods: nothing left behind", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodLeftoverTests {
    /// Runs `body`, then compares the host's mount lines mentioning the scratch directory and the
    /// processes and cgroups of its pods with what there was before.
    func expectUnchanged(_ home: PodHome, _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws {
        let before = home.leftovers()
        try body()
        var after = home.leftovers()
        PodTestSupport.waitUntil(3) {
            after = home.leftovers()
            return after == before
        }
        #expect(after == before, "\(what): before \(before), after \(after)", sourceLocation: sourceLocation)
    }

    @Test("after a pod that succeeds, one whose app fails, one whose exec is missing and one whose setup fails (missing volume source)")
    func endedPods() throws {
        let home = try PodHome()
        let image = try home.image()
        #expect(home.leftovers().isEmpty, "\(home.leftovers())")
        try expectUnchanged(home, "a successful pod") {
            let result = try home.run([image])
            #expect(result.status == 0, "\(result.stderr)")
        }
        try expectUnchanged(home, "an app exiting 3 next to a sleeping one") {
            let result = try home.run([image, "--name=fails", "--exec=/bin/sh", "--", "-c", "exit 3", "---",
                                       image, "--name=sleeps", "--exec=/bin/sleep", "--", "30", "---"])
            #expect(result.status == 3)
        }
        try expectUnchanged(home, "an app whose executable does not exist") {
            let result = try home.run([image, "--exec=/no/such/program"])
            #expect(result.status != 0)
        }
        try expectUnchanged(home, "a pod whose setup fails") {
            let result = try home.run(["--volume=v,kind=host,source=\(home.path("missing"))", image, "--mount=volume=v,target=/v"])
            #expect(result.status != 0)
        }
        try expectUnchanged(home, "a pod with an empty and a host volume") {
            let source = home.path("source")
            try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
            let result = try home.run(["--volume=e,kind=empty", "--volume=h,kind=host,source=\(source)", image,
                                       "--mount=volume=e,target=/e", "--mount=volume=h,target=/h", "--exec=/bin/true"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        try expectUnchanged(home, "a fly pod") {
            let result = try home.run(["--stage1-name=fly", image])
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    @Test("after rkt stop and rkt stop --force of a running pod")
    func stoppedPods() throws {
        let home = try PodHome()
        let image = try home.image()
        for force in [false, true] {
            try expectUnchanged(home, force ? "rkt stop --force" : "rkt stop") {
                let uuidFile = home.path("uuid-\(force)")
                let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
                #expect(run.waitForOutput("app-ready"), "\(run.stderr)")
                let uuid = try #require(home.uuid(uuidFile))
                try home.rkt(["stop"] + (force ? ["--force"] : []) + [uuid]).check("stop")
                #expect(run.wait(timeout: 30) != nil)
            }
        }
    }

    @Test("killing rkt run (SIGKILL to the stage1 run process) does not leave the pod's processes running")
    func killedRun() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let run = try home.start(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
        #expect(run.waitForOutput("app-ready"), "\(run.stderr)")
        kill(run.pid, SIGKILL)
        _ = run.wait(timeout: 10)
        var left = home.processes()
        PodTestSupport.waitUntil(5) {
            left = home.processes()
            return left.isEmpty
        }
        #expect(left.isEmpty, "processes still running after the stage1 run process was killed: \(left.map(\.description))")
        // What the killed stage1 could not tear down (its network) goes with rkt gc.
        let uuid = try #require(home.uuid(uuidFile))
        let gc = try home.rkt(["--debug", "gc", "--grace-period=0s"])
        #expect(gc.status == 0, "\(gc.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/run/netns/rkt-\(uuid)"), "the pod's network namespace after rkt gc: \(gc.stderr)")
    }

    @Test("while a pod of one app runs, its stage1 run process has two children, the pod's init and the app's: the process stage0 leaves to free its memory has been reaped")
    func noStrayChildren() throws {
        let home = try PodHome()
        let image = try home.image()
        let run = try home.start([image, "--exec=/bin/sh", "--", "-c", "echo app-ready; exec sleep 300"])
        #expect(run.waitForOutput("app-ready"), "\(run.stderr)")
        var children: [String] = []
        PodTestSupport.waitUntil(3) {
            children = Self.children(of: run.pid)
            return children.count == 2
        }
        #expect(children.count == 2 && !children.contains { $0.hasSuffix(" Z") }, "children of stage1 run: \(children)")
        kill(run.pid, SIGTERM)
        #expect(run.wait(timeout: 30) != nil)
    }

    /// "pid state" of each child of `parent` (zombies included), from /proc.
    static func children(of parent: pid_t) -> [String] {
        let list = (try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)) ?? ""
        return list.split(separator: " ").map { pid in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let state = stat.split(separator: ")").last?.split(separator: " ").first ?? "?"
            return "\(pid) \(state)"
        }
    }
}
