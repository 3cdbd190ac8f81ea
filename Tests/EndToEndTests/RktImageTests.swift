import Foundation
import TestSupport
import Testing

/// An rkt home holding one image, `example.com/app/web:1.0.0` (busybox and a text file), fetched
/// from a file with --insecure-options=image.
struct StoredImageFixture {
    let scratch: Scratch
    let home: RktHome
    let image: String
    let id: String

    static let name = "example.com/app/web"

    init() throws {
        scratch = try Scratch()
        home = RktHome(scratch)
        let busybox = try Data(contentsOf: URL(fileURLWithPath: "/bin/busybox"))
        image = try TestImage.build(scratch, "app.aci", manifest: TestImage.manifest(Self.name),
                                    files: ["bin/busybox": busybox, "etc/hello": Data("hello\n".utf8)])
        id = try home.fetchInsecure(image)
    }

    func rkt(_ arguments: [String]) throws -> Tool.Result { try home.rkt(arguments) }

    /// The path of the image's blob.
    var blob: String { "\(home.data)/cas/blob/sha512/\(id.dropFirst(7).prefix(2))/\(id)" }
}

@Suite("rkt image")
struct RktImageTests {
    // MARK: list

    @Test("image list: a table with the ID header; --no-legend; --fields=id gives sha512-<12 hex>, with --full 64 hex; JSON and pretty JSON")
    func list() throws {
        let fixture = try StoredImageFixture()
        let table = try fixture.rkt(["image", "list"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(table.stdout)")
        let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: true).map(String.init) ?? []
        #expect(header == ["ID", "NAME", "SIZE", "IMPORT TIME", "LAST USED"], "\(table.stdout)")
        #expect(lines.last?.hasPrefix(String(fixture.id.prefix(19)) + "\t") == true, "\(table.stdout)")
        #expect(lines.last?.contains("\(StoredImageFixture.name):1.0.0") == true, "\(table.stdout)")

        let bare = try fixture.rkt(["image", "list", "--no-legend"])
        #expect(bare.stdout.split(separator: "\n").count == 1, "\(bare.stdout)")
        #expect(!bare.stdout.contains("ID"), "\(bare.stdout)")

        let ids = try fixture.rkt(["image", "list", "--no-legend", "--fields=id"])
        #expect(ids.stdout == String(fixture.id.prefix(7 + 12)) + "\n", "\(ids.stdout)")
        let fullIDs = try fixture.rkt(["image", "list", "--no-legend", "--fields=id", "--full"])
        #expect(fullIDs.stdout.trimmingCharacters(in: .whitespaces) == fixture.id + "\n", "\(fullIDs.stdout)")
        let idHeader = try fixture.rkt(["image", "list", "--fields=id"])
        #expect(idHeader.stdout.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } == "ID", "\(idHeader.stdout)")

        let json = try fixture.rkt(["image", "list", "--format=json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.hasPrefix("[{"), "\(json.stdout)")
        #expect(!json.stdout.contains("IMPORT TIME"))
        let entries = try #require(try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["id"] as? String == fixture.id)
        #expect(entries.first?["name"] as? String == "\(StoredImageFixture.name):1.0.0")
        let importTime = try #require(entries.first?["import_time"] as? NSNumber).int64Value
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        #expect(abs(now - importTime) < 600 * 1_000_000_000, "nanoseconds since the epoch: \(importTime)")

        let pretty = try fixture.rkt(["image", "list", "--format=json-pretty"])
        #expect(pretty.stdout.contains("\"id\": \""), "\(pretty.stdout)")
        let prettyEntries = try #require(try JSONSerialization.jsonObject(with: pretty.stdoutBytes) as? [[String: Any]])
        #expect(prettyEntries.first?["id"] as? String == fixture.id)

        let badField = try fixture.rkt(["image", "list", "--fields=id,colour"])
        #expect(badField.status == 254)
        #expect(badField.stderr.contains("colour"), "\(badField.stderr)")
    }

    @Test("after global options, an unknown command or image subcommand is what the error names (not the global option)")
    func unknownCommandAfterGlobals() throws {
        let fixture = try StoredImageFixture()
        for arguments in [["nosuch"], ["image", "nosuch"]] {
            let result = try fixture.rkt(arguments)
            #expect(result.status == 254, "\(arguments)")
            #expect(result.stderr.contains("'nosuch'") && !result.stderr.contains("--dir"), "\(arguments): \(result.stderr)")
        }
        #expect(try fixture.rkt(["image", "list", "--no-legend"]).check().stdout.contains(StoredImageFixture.name))
    }

    @Test("image list --sort/--order orders rows; the size is the blob's plus the rendered tree's, and stays so after a re-fetch")
    func listSortAndSize() throws {
        let fixture = try StoredImageFixture()
        let second = try TestImage.build(fixture.scratch, "b.aci", manifest: TestImage.manifest("example.com/aaa"), files: ["etc/x": "x\n"])
        try fixture.home.fetchInsecure(second)
        let ascending = try fixture.rkt(["image", "list", "--no-legend", "--fields=name", "--sort=name"])
        #expect(ascending.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                == ["example.com/aaa:1.0.0", "\(StoredImageFixture.name):1.0.0"], "\(ascending.stdout)")
        let descending = try fixture.rkt(["image", "list", "--no-legend", "--fields=name", "--sort=name", "--order=desc"])
        #expect(descending.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                == ["\(StoredImageFixture.name):1.0.0", "example.com/aaa:1.0.0"], "\(descending.stdout)")

        // The rendered tree holds busybox and "hello\n".
        let contentBytes = fileSize("/bin/busybox") + 6
        let expectedSize = fileSize(fixture.blob) + contentBytes
        func size() throws -> Int64? {
            try fixture.home.listJSON().first { $0["id"] as? String == fixture.id }.flatMap { ($0["size"] as? NSNumber)?.int64Value }
        }
        #expect(try size() == expectedSize)
        let fullRow = try fixture.rkt(["image", "list", "--no-legend", "--full", "--fields=id,size"])
        #expect(fullRow.stdout.contains(String(expectedSize)), "\(fullRow.stdout)")
        // Fetching the same file again does not forget the tree.
        try fixture.home.fetchInsecure(fixture.image)
        #expect(try size() == expectedSize)
    }

    @Test("the store's WAL stays short across processes: after 50 re-fetches (one rkt process and a write each) it holds a few dozen frames")
    func writeAheadLogAcrossProcesses() throws {
        let fixture = try StoredImageFixture()
        for _ in 0..<50 { try fixture.home.fetchInsecure(fixture.image) }
        // Every process that opens the store reads and checksums each frame of the WAL, and SQLite
        // alone never starts the WAL over when each write comes from a new process.
        let wal = try FileManager.default.attributesOfItem(atPath: "\(fixture.home.data)/cas/db/store.sqlite-wal")
        let frames = ((wal[.size] as? Int) ?? 0) / (24 + 4096)
        #expect(frames <= 40, "\(frames) frames")
        #expect(try fixture.rkt(["image", "list", "--no-legend"]).stdout.contains(StoredImageFixture.name))
    }

    @Test("a process reading the store meanwhile keeps the WAL from being truncated but stalls no write; the next write after it has gone truncates it")
    func writeAheadLogWithReader() throws {
        let fixture = try StoredImageFixture()
        let database = "\(fixture.home.data)/cas/db/store.sqlite"
        func frames() throws -> Int {
            ((try FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int) ?? 0) / (24 + 4096)
        }
        // Holds a read transaction until its standard input closes.
        let reader = try SpawnedProcess(Peer.python, ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN")
            db.execute("SELECT count(*) FROM images").fetchall()
            print("reading", flush=True)
            sys.stdin.read()
            db.execute("COMMIT")
            """, database], environment: ProcessInfo.processInfo.environment, standardInput: .pipe)
        #expect(reader.readLine() == "reading")
        // With a busy timeout, each of these would wait for the reader (60 s) before giving up.
        for _ in 0..<30 { try fixture.home.fetchInsecure(fixture.image) }
        #expect(try frames() > 40, "the reader's snapshot keeps the frames")
        close(try #require(reader.standardInput))
        #expect(reader.wait() == 0)
        try fixture.home.fetchInsecure(fixture.image)
        #expect(try frames() <= 40)
    }

    // MARK: rm

    @Test("image rm prints rkt's messages, removes row, blob and tree; a name and an ID of the same image remove it once")
    func remove() throws {
        let fixture = try StoredImageFixture()
        let other = try TestImage.build(fixture.scratch, "b.aci", manifest: TestImage.manifest("example.com/other"))
        let otherID = try fixture.home.fetchInsecure(other)
        #expect(fixture.home.trees().count == 2)

        let result = try fixture.rkt(["image", "rm", fixture.id])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "successfully removed aci for image: \"\(fixture.id)\"\n", "\(result.stdout)")
        #expect(result.stderr.contains("rm: 1 image(s) successfully removed"), "\(result.stderr)")
        #expect(try fixture.home.indexKeys() == [otherID])
        #expect(try fixture.home.blobKeys() == [otherID])
        #expect(fixture.home.trees().count == 1)

        let twice = try fixture.rkt(["image", "rm", "example.com/other", String(otherID.prefix(20))])
        #expect(twice.status == 0, "\(twice.stderr)")
        #expect(twice.stdout == "successfully removed aci for image: \"\(otherID)\"\n", "\(twice.stdout)")
        #expect(twice.stderr.contains("rm: 1 image(s) successfully removed"), "\(twice.stderr)")
        try fixture.home.expectEmpty("removing both images")

        let absent = try fixture.rkt(["image", "rm", fixture.id])
        #expect(absent.stderr.contains(fixture.id), "\(absent.stderr)")
        #expect(!absent.stdout.contains("successfully removed"))
    }

    // MARK: export, extract, render

    @Test("image export writes the uncompressed original byte for byte; an existing file needs --overwrite")
    func export() throws {
        let fixture = try StoredImageFixture()
        let output = fixture.scratch.path("exported.aci")
        let result = try fixture.rkt(["image", "export", fixture.id, output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.scratch.shell("gzip -dc app.aci | cmp - exported.aci").status == 0)

        let again = try fixture.rkt(["image", "export", "\(StoredImageFixture.name):1.0.0", output])
        #expect(again.status == 254)
        #expect(again.stderr.contains("output ACI file exists (try --overwrite)"), "\(again.stderr)")
        try Data("x".utf8).write(to: URL(fileURLWithPath: output))
        let overwritten = try fixture.rkt(["image", "export", "--overwrite", StoredImageFixture.name, output])
        #expect(overwritten.status == 0, "\(overwritten.stderr)")
        #expect(try fixture.scratch.shell("gzip -dc app.aci | cmp - exported.aci").status == 0)
    }

    @Test("image extract --rootfs-only gives byte-identical files; an existing directory needs --overwrite; without --rootfs-only manifest and rootfs/")
    func extract() throws {
        let fixture = try StoredImageFixture()
        let target = fixture.scratch.path("extracted")
        let result = try fixture.rkt(["image", "extract", "--rootfs-only", fixture.id, target])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contentsEqual(atPath: "\(target)/bin/busybox", andPath: "/bin/busybox"))
        #expect(try fixture.scratch.listing("extracted") == ["bin", "etc"])

        let again = try fixture.rkt(["image", "extract", "--rootfs-only", fixture.id, target])
        #expect(again.status == 254)
        #expect(again.stderr.contains("output directory exists (try --overwrite)"), "\(again.stderr)")

        let whole = try fixture.rkt(["image", "extract", "--overwrite", fixture.id, target])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(try fixture.scratch.listing("extracted") == ["manifest", "rootfs"])
        let storedManifest = try fixture.scratch.shell("tar -xzOf app.aci manifest").check().stdoutBytes
        #expect(try fixture.scratch.data("extracted/manifest") == storedManifest)
        #expect(FileManager.default.contentsEqual(atPath: "\(target)/rootfs/bin/busybox", andPath: "/bin/busybox"))

        let root = try fixture.rkt(["image", "extract", "--overwrite", fixture.id, "/"])
        #expect(root.status == 254, "\(root.stderr)")
    }

    @Test("image render applies dependencies (by imageID and by name and labels): files of both, the top image's win")
    func renderWithDependencies() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let base = try TestImage.build(scratch, "base.aci", manifest: TestImage.manifest("example.com/base", version: "1"),
                                       files: ["base-only": "base\n", "shared": "from base\n"])
        let byID = #"{"imageName":"example.com/base","imageID":"\#(try TestImage.fullHash(scratch, base))"}"#
        let byLabels = #"{"imageName":"example.com/base","labels":[{"name":"version","value":"1"}]}"#
        let top = try TestImage.build(scratch, "top.aci", manifest: TestImage.manifest("example.com/top", dependencies: [byID]),
                                      files: ["top-only": "top\n", "shared": "from top\n"])
        let top2 = try TestImage.build(scratch, "top2.aci", manifest: TestImage.manifest("example.com/top2", dependencies: [byLabels]),
                                       files: ["top-only": "top2\n", "shared": "from top2\n"])
        let fetch = try home.rkt(["--insecure-options=image", "fetch", "--full", base, top, top2])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        #expect(fetch.stdout.split(separator: "\n").count == 3, "\(fetch.stdout)")

        for (name, marker) in [("example.com/top", "top"), ("example.com/top2", "top2")] {
            let directory = scratch.path("render-\(marker)")
            let result = try home.rkt(["image", "render", name, directory])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try scratch.listing("render-\(marker)") == ["manifest", "rootfs"])
            #expect(try scratch.listing("render-\(marker)/rootfs") == ["base-only", "shared", "top-only"])
            #expect(try String(contentsOfFile: "\(directory)/rootfs/shared", encoding: .utf8) == "from \(marker)\n")
            #expect(try String(contentsOfFile: "\(directory)/rootfs/base-only", encoding: .utf8) == "base\n")
            #expect(try String(contentsOfFile: "\(directory)/rootfs/top-only", encoding: .utf8) == "\(marker)\n")
            let manifest = try String(contentsOfFile: "\(directory)/manifest", encoding: .utf8)
            #expect(manifest.contains("\"\(name)\""), "\(manifest)")
        }
        // extract (no dependencies) has only the image's own files.
        let extracted = try home.rkt(["image", "extract", "--rootfs-only", "example.com/top", scratch.path("x")])
        #expect(extracted.status == 0, "\(extracted.stderr)")
        #expect(try scratch.listing("x") == ["shared", "top-only"])
        let again = try home.rkt(["image", "render", "example.com/top", scratch.path("render-top")])
        #expect(again.status == 254)
        #expect(again.stderr.contains("output directory exists (try --overwrite)"), "\(again.stderr)")
    }

    @Test("image render keeps only the top image's pathWhitelist (and the directories leading to it), also of its dependencies' files; extract keeps all")
    func renderPathWhitelist() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let base = try TestImage.build(scratch, "base.aci", manifest: TestImage.manifest("example.com/base", version: "1"),
                                       files: ["usr/lib/kept.so": "base lib\n", "usr/lib/dropped.so": "dropped\n"])
        let dependency = #"{"imageName":"example.com/base","labels":[{"name":"version","value":"1"}]}"#
        var manifest = TestImage.manifest("example.com/listed", dependencies: [dependency])
        manifest.removeLast()
        manifest += #","pathWhitelist":["/etc/kept","/bin/tool","/usr/lib/kept.so"]}"#
        let top = try TestImage.build(scratch, "top.aci", manifest: manifest,
                                      files: ["etc/kept": "kept\n", "etc/dropped": "dropped\n", "bin/tool": "tool\n", "dropped-top": "dropped\n"])
        let fetch = try home.rkt(["--insecure-options=image", "fetch", "--full", base, top])
        #expect(fetch.status == 0, "\(fetch.stderr)")

        let render = try home.rkt(["image", "render", "--rootfs-only", "example.com/listed", scratch.path("r")])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(try scratch.listing("r") == ["bin", "etc", "usr"])
        #expect(try scratch.listing("r/etc") == ["kept"])
        #expect(try scratch.listing("r/bin") == ["tool"])
        #expect(try scratch.listing("r/usr/lib") == ["kept.so"])
        #expect(try String(contentsOfFile: scratch.path("r/usr/lib/kept.so"), encoding: .utf8) == "base lib\n")
        #expect(try String(contentsOfFile: scratch.path("r/etc/kept"), encoding: .utf8) == "kept\n")

        let extract = try home.rkt(["image", "extract", "--rootfs-only", "example.com/listed", scratch.path("x")])
        #expect(extract.status == 0, "\(extract.stderr)")
        #expect(try scratch.listing("x") == ["bin", "dropped-top", "etc"])
        #expect(try scratch.listing("x/etc") == ["dropped", "kept"])
    }

    @Test("a dependency that is not in the store and cannot be discovered fails the fetch with a message naming it")
    func missingDependency() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        let dependency = #"{"imageName":"nonexistent.invalid/base","labels":[{"name":"version","value":"1"}]}"#
        let top = try TestImage.build(scratch, "top.aci", manifest: TestImage.manifest("example.com/top", dependencies: [dependency]))
        let result = try home.rkt(["--insecure-options=image", "fetch", top])
        #expect(result.status == 254, "\(result.stderr)")
        #expect(result.stderr.contains("fetch: ") && result.stderr.contains("nonexistent.invalid/base"), "\(result.stderr)")
    }

    // MARK: cat-manifest and ID resolution

    @Test("image cat-manifest --pretty-print=false prints the stored manifest exactly; the default is tab-indented")
    func catManifest() throws {
        let fixture = try StoredImageFixture()
        let stored = try fixture.scratch.shell("tar -xzOf app.aci manifest").check().stdout
        let compact = try fixture.rkt(["image", "cat-manifest", "--pretty-print=false", fixture.id])
        #expect(compact.status == 0, "\(compact.stderr)")
        #expect(compact.stdout == stored + "\n")
        let byName = try fixture.rkt(["image", "cat-manifest", "--pretty-print=false", "\(StoredImageFixture.name):1.0.0"])
        #expect(byName.stdout == compact.stdout)

        let pretty = try fixture.rkt(["image", "cat-manifest", fixture.id])
        #expect(pretty.status == 0)
        #expect(pretty.stdout.contains("\n\t\"name\": \"\(StoredImageFixture.name)\""), "\(pretty.stdout)")
        let a = try JSONSerialization.jsonObject(with: Data(pretty.stdout.utf8)) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? NSDictionary
        #expect(a == b)
    }

    @Test("image ID resolution: too short, none found, ambiguous, not an ID or name")
    func idResolution() throws {
        let scratch = try Scratch()
        let home = RktHome(scratch)
        // Images until two IDs share their first two hex digits (birthday: a few dozen at most).
        var byPrefix: [String: String] = [:]
        var pair: [String] = []
        for index in 0..<200 where pair.isEmpty {
            let image = try TestImage.build(scratch, "i\(index).aci", manifest: TestImage.manifest("example.com/i\(index)"),
                                            files: ["n": "\(index)\n"])
            let id = try TestImage.expectedID(scratch, image)
            let prefix = String(id.dropFirst(7).prefix(2))
            if let earlier = byPrefix[prefix] { pair = [earlier, image] } else { byPrefix[prefix] = image }
        }
        try #require(pair.count == 2)
        let fetched = try home.rkt(["--insecure-options=image", "fetch", "--full"] + pair)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let ids = fetched.stdout.split(separator: "\n").map(String.init)
        let common = String(ids[0].prefix(9))

        let ambiguous = try home.rkt(["image", "cat-manifest", common])
        #expect(ambiguous.status == 254)
        #expect(ambiguous.stderr.contains("ambiguous image ID"), "\(ambiguous.stderr)")
        // One digit past what they share tells them apart.
        let shared = zip(ids[0].dropFirst(9), ids[1].dropFirst(9)).prefix { $0 == $1 }.count
        let unique = String(ids[0].prefix(9 + shared + 1))
        let resolved = try home.rkt(["image", "cat-manifest", "--pretty-print=false", unique])
        #expect(resolved.status == 0, "\(resolved.stderr)")

        let short = try home.rkt(["image", "cat-manifest", "sha512-a"])
        #expect(short.status == 254)
        #expect(short.stderr.contains("image ID too short"), "\(short.stderr)")
        // A prefix no stored ID has.
        let usedFirstDigits = Set(ids.map { $0.dropFirst(7).prefix(1) })
        let digit = try #require("0123456789abcdef".map { String($0) }.first { !usedFirstDigits.contains(Substring($0)) })
        let none = try home.rkt(["image", "cat-manifest", "sha512-\(digit)2341234"])
        #expect(none.status == 254)
        #expect(none.stderr.contains("no image IDs found"), "\(none.stderr)")
        for argument in ["some~random~aci~name", "sha512-not-existed", "example.com/not-stored"] {
            let result = try home.rkt(["image", "cat-manifest", argument])
            #expect(result.status == 254, "\(argument): \(result.stdout)")
            #expect(result.stderr.contains(argument), "\(argument): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    // MARK: verify and gc

    @Test("image verify: a damaged rendered tree is reported and rebuilt; the next verify succeeds")
    func verify() throws {
        let fixture = try StoredImageFixture()
        let ok = try fixture.rkt(["image", "verify", fixture.id])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("successfully verified checksum for image: \"\(fixture.id)\""), "\(ok.stdout)")

        let tree = try #require(fixture.home.trees().first)
        let damaged = "\(fixture.home.data)/cas/tree/\(tree)/rootfs/etc/hello"
        try FileManager.default.removeItem(atPath: damaged)
        let failed = try fixture.rkt(["image", "verify", fixture.id])
        #expect(failed.stdout.contains("tree cache verification failed for image"), "\(failed.stdout)\(failed.stderr)")
        #expect(FileManager.default.fileExists(atPath: damaged), "rebuilt")

        let again = try fixture.rkt(["image", "verify", StoredImageFixture.name])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("successfully verified checksum for image: \"\(StoredImageFixture.name)\""), "\(again.stdout)")
    }

    @Test("image gc keeps images used within the grace period; --grace-period=0s removes them with their trees and blobs")
    func gc() throws {
        let fixture = try StoredImageFixture()
        let kept = try fixture.rkt(["image", "gc"])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(try fixture.home.indexKeys() == [fixture.id])
        #expect(fixture.home.trees().count == 1)

        let result = try fixture.rkt(["image", "gc", "--grace-period=0s"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("successfully removed aci for image: \"\(fixture.id)\""), "\(result.stdout)")
        try fixture.home.expectEmpty("image gc --grace-period=0s")
        let list = try fixture.rkt(["image", "list", "--no-legend"])
        #expect(list.stdout.isEmpty, "\(list.stdout)")
    }
}
