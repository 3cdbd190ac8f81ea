import Foundation
import TestSupport
import Testing

/// Outcomes of commands run concurrently, gathered from several threads.
final class CommandLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var entries: [(command: String, result: Tool.Result)] = []

    func add(_ command: String, _ result: Tool.Result) {
        lock.lock()
        entries.append((command, result))
        lock.unlock()
    }

    var snapshot: [(command: String, result: Tool.Result)] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }
}

@Suite("rkt store reliability", .serialized)
struct RktStoreReliabilityTests {
    /// `count` small distinct images (`example.com/cN`, some random bytes each).
    static func images(_ scratch: Scratch, count: Int) throws -> [String] {
        try (0..<count).map { index in
            let random = randomData(512 * 1024)
            return try TestImage.build(scratch, "c\(index).aci", manifest: TestImage.manifest("example.com/c\(index)"),
                                       files: ["random": random, "etc/index": Data("\(index)\n".utf8)])
        }
    }

    /// Words that mean the store's database or a lock got in the way.
    static func isLockError(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return ["locked", "busy", "already exists", "cannot open the store", "sqlite error"].contains { lowered.contains($0) }
    }

    /// Runs `waves` of commands (a wave's commands all started at once, the next wave once the
    /// previous one ended) while each shell command of `loops` runs again and again (`$i` is its
    /// iteration) until the last wave has ended. Everything runs under one /bin/sh whose signal mask
    /// is cleared first: a process started from a Dispatch worker thread inherits its mask, and a
    /// shell with SIGCHLD blocked waits forever. Returns each wave's results in order and each
    /// loop's iterations.
    static func storm(waves: [[[String]]], loops: [String] = [], scratch: Scratch, tag: String)
        throws -> (waves: [[Tool.Result]], loops: [[Tool.Result]]) {
        let directory = scratch.path("storm-\(tag)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func quote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        var script = "d=\(quote(directory))\n"
        for (index, loop) in loops.enumerated() {
            script += "( i=0; while [ ! -e \"$d/stop\" ]; do \(loop) > \"$d/loop\(index).$i.out\" 2> \"$d/loop\(index).$i.err\"; "
                + "echo $? > \"$d/loop\(index).$i.rc\"; i=$((i+1)); done ) &\n"
        }
        for (wave, commands) in waves.enumerated() {
            script += "p=\n"
            for (index, command) in commands.enumerated() {
                let name = "$d/wave\(wave).\(index)"
                script += "( \(command.map(quote).joined(separator: " ")) > \"\(name).out\" 2> \"\(name).err\"; echo $? > \"\(name).rc\" ) & p=\"$p $!\"\n"
            }
            script += "wait $p\n"
        }
        script += "touch \"$d/stop\"\nwait\n"
        let unmasked = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv('/bin/sh', ['/bin/sh', '-c', sys.argv[1]])"
        try Tool.execute(Peer.python, ["-c", unmasked, script], in: scratch.url).check("the concurrent commands")
        func result(_ name: String) throws -> Tool.Result? {
            guard let rc = try? String(contentsOfFile: "\(directory)/\(name).rc", encoding: .utf8) else { return nil }
            let out = (try? Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name).out"))) ?? Data()
            return Tool.Result(status: Int32(rc.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1, stdout: String(decoding: out, as: UTF8.self),
                               stderr: (try? String(contentsOfFile: "\(directory)/\(name).err", encoding: .utf8)) ?? "", stdoutBytes: out)
        }
        let waveResults = try waves.enumerated().map { wave, commands in
            try commands.indices.map { index in
                try result("wave\(wave).\(index)") ?? Tool.Result(status: -1, stdout: "", stderr: "no result", stdoutBytes: Data())
            }
        }
        let loopResults = try loops.indices.map { index in
            var iterations: [Tool.Result] = []
            while let next = try result("loop\(index).\(iterations.count)") { iterations.append(next) }
            return iterations
        }
        return (waveResults, loopResults)
    }

    @Test("20 concurrent fetches into a fresh data directory all succeed (first use creates the store once)")
    func concurrentFirstUse() throws {
        let scratch = try Scratch()
        let images = try Self.images(scratch, count: 8)
        var failures: [String] = []
        for round in 0..<15 {
            let home = RktHome(scratch, name: "round\(round)-")
            let commands = (0..<20).map { index in
                [Tool.rkt.path] + home.globals + ["--insecure-options=image", "fetch", "--full", images[index % images.count]]
            }
            let results = try Self.storm(waves: [commands], scratch: scratch, tag: "round\(round)").waves[0]
            for (index, result) in results.enumerated() where result.status != 0 {
                failures.append("round \(round): fetch \(images[index % images.count]): exit \(result.status): \(result.stderr)")
            }
            try home.expectConsistent("round \(round)")
        }
        #expect(failures.isEmpty, "\(failures.count) failed fetches in 15 rounds:\n\(failures.joined(separator: "\n"))")
    }

    @Test("20 concurrent fetches while image rm and image gc --grace-period=0s loop: sound index, rows and blobs match, no lock errors")
    func concurrentFetchRemoveCollect() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let images = try Self.images(scratch, count: 10)
        // The store exists before the storm (its first creation is covered by concurrentFirstUse).
        try home.rkt(["image", "list"]).check("rkt image list")
        let rkt = ([Tool.rkt.path] + home.globals).map { "'\($0)'" }.joined(separator: " ")
        // Three waves of twenty fetches started at once (identical images: index % 10 repeats, and
        // different ones) while rm of two names and gc loop.
        let waves = (0..<3).map { wave in
            (0..<20).map { index in
                [Tool.rkt.path] + home.globals + ["--insecure-options=image", "fetch", "--full", images[(index + wave) % images.count]]
            }
        }
        let loops = ["\(rkt) image rm example.com/c$((i % 10)) example.com/c$(((i + 3) % 10))",
                     "\(rkt) image gc --grace-period=0s"]
        let storm = try Self.storm(waves: waves, loops: loops, scratch: scratch, tag: "storm")
        let log = CommandLog()
        for (wave, results) in storm.waves.enumerated() {
            for (index, result) in results.enumerated() { log.add("fetch \(images[(index + wave) % images.count])", result) }
        }
        for (iteration, result) in storm.loops[0].enumerated() {
            log.add("image rm example.com/c\(iteration % 10) example.com/c\((iteration + 3) % 10)", result)
        }
        for result in storm.loops[1] { log.add("image gc --grace-period=0s", result) }

        let entries = log.snapshot
        let lockErrors = entries.filter { Self.isLockError($0.result.stderr) }
        let lockReport = lockErrors.map { "\($0.command): \($0.result.stderr)" }.joined(separator: "\n")
        #expect(lockErrors.isEmpty, "lock or database errors:\n\(lockReport)")
        // A fetch may only fail because its image was removed under it, and must say so.
        let failedFetches = entries.filter { $0.command.hasPrefix("fetch") && $0.result.status != 0 }
        for failure in failedFetches {
            let text = failure.result.stderr.lowercased()
            #expect(text.contains("removed") || text.contains("no longer") || text.contains("not in the store"),
                    "\(failure.command) failed without saying the image was removed meanwhile: \(failure.result.stderr)")
        }
        // rm may find nothing to remove (the image is gone already); gc must never fail.
        for gc in entries where gc.command.hasPrefix("image gc") {
            #expect(gc.result.status == 0, "\(gc.command): \(gc.result.stderr)")
        }
        for rm in entries where rm.command.hasPrefix("image rm") && rm.result.status != 0 {
            #expect(rm.result.stderr.contains("no image found"), "\(rm.command): \(rm.result.stderr)")
        }
        #expect(entries.filter { $0.command.hasPrefix("fetch") }.count == 60)
        try home.expectConsistent("the concurrent run")
        // Every rendered tree belongs to stored images.
        let stored = Set(try home.indexKeys())
        for tree in home.trees() {
            let keys = (try? String(contentsOfFile: "\(home.data)/cas/tree/\(tree)/keys", encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
            if !keys.allSatisfy(stored.contains) {
                // Trees of removed images are gc's to take: the next gc does.
                try home.rkt(["image", "gc", "--grace-period=0s"]).check("image gc")
                break
            }
        }
        // The store works afterwards: every image can be fetched again and listed.
        let refetch = try home.rkt(["--insecure-options=image", "fetch"] + images)
        #expect(refetch.status == 0, "\(refetch.stderr)")
        #expect(try home.indexKeys().count == images.count)
        try home.expectConsistent("the refetch")
        Swift.print("concurrent fetch/rm/gc: \(entries.count) commands, \(failedFetches.count) failed fetches, \(entries.filter { $0.command.hasPrefix("image rm") && $0.result.status != 0 }.count) rm of absent images")
    }

    @Test("kill -9 in the middle of a download from a slow server: nothing half-stored; the next fetch succeeds and leaves cas/tmp empty")
    func killDuringDownload() throws {
        let fixture = try FetchFixture()
        let image = try fixture.randomImage("big.aci", size: 4_000_000)
        let url = try fixture.server.publish(image, as: "big.aci")
        try fixture.server.setRules(["/big.aci": ["rate": 1_000_000]])
        let background = try BackgroundProcess(Tool.rkt.path, fixture.home.globals + ["--insecure-options=image", "fetch", url],
                                               scratch: fixture.scratch, environment: fixture.environment)
        // Until a part of the body has arrived.
        let arrived = BackgroundProcess.wait(timeout: 30) {
            (try? fixture.home.temporaryFiles())?.contains { name in
                name.hasSuffix(".part") && fileSize("\(fixture.home.data)/cas/tmp/\(name)") > 500_000
            } ?? false
        }
        #expect(arrived, "the download started: \(background.stderr)")
        #expect(background.killHard() == 128 + SIGKILL)
        try fixture.home.expectEmpty("the killed download")
        try fixture.home.expectConsistent("the killed download")

        try fixture.server.setRules([:])
        let result = try fixture.rkt(["--insecure-options=image", "fetch", "--full", url])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try TestImage.expectedID(fixture.scratch, image, compressed: false)) + "\n")
        let leftovers = try fixture.home.temporaryFiles()
        #expect(leftovers.isEmpty, "left in cas/tmp: \(leftovers)")
        try fixture.home.expectConsistent("the fetch after the kill")
        Swift.print("kill -9 during download, then refetch: requests \(fixture.server.requests(for: "/big.aci"))")
    }

    @Test("kill -9 while a big local image is imported or rendered: no blob without its row, no partial tree left after the next fetch and gc")
    func killDuringImportAndRender() throws {
        let scratch = try Scratch()
        // About 120 MB of random data in four files, uncompressed.
        try scratch.shell("mkdir -p big/rootfs && for i in 1 2 3 4; do head -c 30000000 /dev/urandom > big/rootfs/r$i; done").check()
        try scratch.write("big/manifest", TestImage.manifest("example.com/big"))
        try Tool.actool.run(["build", "--no-compression", scratch.path("big"), scratch.path("big.aci")]).check("actool build")
        let expected = try TestImage.expectedID(scratch, scratch.path("big.aci"), compressed: false)

        // 1. Killed while the image is being read (before anything can be committed).
        let importing = RktHome(scratch, name: "import-")
        try importing.rkt(["image", "list"]).check()
        let first = try BackgroundProcess(Tool.rkt.path, importing.globals + ["--insecure-options=image", "fetch", scratch.path("big.aci")],
                                          scratch: scratch)
        Thread.sleep(forTimeInterval: 0.15)
        first.killHard()
        try importing.expectConsistent("a kill during import")

        // 2. Killed while the fetched image is rendered into the tree store.
        let rendering = RktHome(scratch, name: "render-")
        try rendering.rkt(["image", "list"]).check()
        let second = try BackgroundProcess(Tool.rkt.path, rendering.globals + ["--insecure-options=image", "fetch", scratch.path("big.aci")],
                                           scratch: scratch)
        let treeDirectory = "\(rendering.data)/cas/tree"
        let renderStarted = BackgroundProcess.wait(timeout: 60) {
            ((try? FileManager.default.contentsOfDirectory(atPath: treeDirectory)) ?? []).contains { !$0.hasPrefix("deps-") }
        }
        second.killHard()
        try rendering.expectConsistent("a kill during render")
        #expect(renderStarted, "the render was caught in progress")

        for home in [importing, rendering] {
            let again = try home.rkt(["--insecure-options=image", "fetch", "--full", scratch.path("big.aci")])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout == expected + "\n")
            #expect(try home.indexKeys() == [expected])
            #expect(try home.blobKeys() == [expected])
            let temporary = try home.temporaryFiles()
            #expect(temporary.isEmpty, "\(temporary)")
            try home.rkt(["image", "gc"]).check("image gc")
            let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: "\(home.data)/cas/tree")) ?? []).filter { !$0.hasPrefix("deps-") }
            #expect(leftovers.isEmpty, "partial trees left in cas/tree after a new fetch and gc: \(leftovers)")
            #expect(home.trees().count == 1)
            let verify = try home.rkt(["image", "verify", expected])
            #expect(verify.stdout.contains("successfully verified checksum"), "\(verify.stdout)\(verify.stderr)")
        }
    }
}
