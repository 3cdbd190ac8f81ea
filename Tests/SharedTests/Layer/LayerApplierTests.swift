import Foundation
import Glibc
import Shared
import TestSupport
import Testing

/// Applying layer changesets to a root: whiteouts, opaque directories, replacement rules,
/// attributes, and names that try to leave the root.
@Suite("Layer applier")
struct LayerApplierTests {
    /// A root directory `root` (and room around it for sentinels) in a fresh temporary directory.
    final class Fixture {
        let directory: Scratch
        let root: String
        let applier: LayerApplier

        init() throws {
            directory = try Scratch()
            root = "\(directory.path)/root"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            applier = try LayerApplier(root: root)
        }

        /// Applies one layer of `members` (a plain tar written to a file, then read back).
        func apply(_ members: [TestTarMember], name: String = "layer") throws {
            let path = "\(directory.path)/\(UUID().uuidString).tar"
            try Data(try TestTar.bytes(members)).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let fd = open(path, O_RDONLY)
            try applier.apply(try ArchiveReader(fileDescriptor: fd, name: name, ownsDescriptor: true), name: name)
        }

        func read(_ path: String) -> String? { directory.text("root/\(path)") }
        func exists(_ path: String) -> Bool { directory.exists("root/\(path)") }
        func names(_ path: String = "") throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: path.isEmpty ? root : "\(root)/\(path)").sorted()
        }
        func stat(_ path: String) -> stat? {
            var info = Glibc.stat()
            return lstat("\(root)/\(path)", &info) == 0 ? info : nil
        }
    }

    @Test("a file whiteout deletes the file of a lower layer and is itself hidden")
    func fileWhiteout() throws {
        let fixture = try Fixture()
        try fixture.apply([.directory("etc"), .file("etc/gone", "gone"), .file("etc/keep", "keep")])
        try fixture.apply([.whiteout("etc/.wh.gone")])
        #expect(try fixture.names("etc") == ["keep"])
    }

    @Test("a directory whiteout deletes the whole lower tree")
    func directoryWhiteout() throws {
        let fixture = try Fixture()
        try fixture.apply([.directory("d"), .directory("d/sub"), .file("d/sub/x", "x"), .file("top", "t")])
        try fixture.apply([.whiteout(".wh.d")])
        #expect(try fixture.names() == ["top"])
    }

    @Test("a whiteout hides lower layers only: the same layer's file of that name stays")
    func whiteoutSameLayer() throws {
        let fixture = try Fixture()
        try fixture.apply([.file("a", "lower")])
        try fixture.apply([.file("a", "upper"), .whiteout(".wh.a")])
        #expect(fixture.read("a") == "upper")
    }

    @Test("a whiteout of something that does not exist is fine")
    func whiteoutNothing() throws {
        let fixture = try Fixture()
        try fixture.apply([.whiteout(".wh.nothing"), .whiteout("missing/dir/.wh.x")])
        #expect(try fixture.names().allSatisfy { !$0.hasPrefix(".wh.") })
    }

    @Test("a bare .wh. is an error naming the entry")
    func bareWhiteout() throws {
        let fixture = try Fixture()
        let error = thrownError { try fixture.apply([.directory("d"), .whiteout("d/.wh.")]) }
        #expect(error?.contains("\"d/.wh.\"") == true && error?.contains("whiteout without a name") == true, "\(error ?? "applied")")
    }

    @Test("an opaque marker listed first hides the lower children, not the layer's own")
    func opaqueFirst() throws {
        let fixture = try Fixture()
        try fixture.apply([.directory("o"), .file("o/old", "old"), .directory("o/sub"), .file("o/sub/deep", "deep")])
        try fixture.apply([.directory("o"), .whiteout("o/.wh..wh..opq"), .file("o/new", "new")])
        #expect(try fixture.names("o") == ["new"])
    }

    @Test("an opaque marker listed after a sibling (quirk 4) still hides lower children only")
    func opaqueAfterSibling() throws {
        let fixture = try Fixture()
        try fixture.apply([.directory("d"), .file("d/a", "a")])
        try fixture.apply([.directory("d"), .file("d/z", "z"), .whiteout("d/.wh..wh..opq")])
        #expect(try fixture.names("d") == ["z"])
        #expect(fixture.read("d/z") == "z")
    }

    @Test("an opaque marker after the layer's own nested files keeps them, even without entries for their directories")
    func opaqueAfterNested() throws {
        let fixture = try Fixture()
        try fixture.apply([.directory("d"), .directory("d/sub"), .file("d/sub/old", "old"), .file("d/old", "old")])
        try fixture.apply([.directory("d"), .directory("d/kept"), .file("d/kept/new", "new"), .file("d/sub/new", "new"),
                           .whiteout("d/.wh..wh..opq")])
        #expect(try fixture.names("d") == ["kept", "sub"])
        #expect(try fixture.names("d/kept") == ["new"])
        #expect(try fixture.names("d/sub") == ["new"], "the layer's own d/sub/new was removed by its opaque marker")
    }

    @Test("an entry replaces what was there, unless both are directories (then only attributes change)")
    func replacement() throws {
        let fixture = try Fixture()
        try fixture.apply([.directory("d", mode: 0o700), .file("d/inside", "i"), .file("f", "file"), .directory("dir"), .file("dir/x", "x"),
                           .symlink("l", to: "f")])
        try fixture.apply([.directory("d", mode: 0o751), .directory("f"), .file("dir", "now a file"), .file("l", "not a link")])
        #expect(fixture.read("d/inside") == "i", "directory over directory must keep the contents")
        #expect(fixture.stat("d").map { $0.st_mode & 0o7777 } == 0o751)
        #expect(fixture.stat("f").map { $0.st_mode & S_IFMT } == S_IFDIR)
        #expect(fixture.read("dir") == "now a file")
        #expect(fixture.stat("l").map { $0.st_mode & S_IFMT } == S_IFREG && fixture.read("l") == "not a link")
    }

    @Test("modes (setuid, sticky), owners, file times and symlink targets are kept")
    func attributes() throws {
        let fixture = try Fixture()
        try fixture.apply([
            .file("su", "x", mode: 0o4755, uid: 1234, gid: 5678, mtime: 981_173_106),
            .directory("tmp", mode: 0o1777, mtime: 1_000),
            .symlink("link", to: "/proc/self/mounts"),
            .directory("owned", mode: 0o750, uid: 42, gid: 43),
        ])
        let su = try #require(fixture.stat("su"))
        #expect(su.st_mode & 0o7777 == 0o4755)
        if geteuid() == 0 { #expect(su.st_uid == 1234 && su.st_gid == 5678) }
        #expect(su.st_mtim.tv_sec == 981_173_106)
        let tmp = try #require(fixture.stat("tmp"))
        #expect(tmp.st_mode & 0o7777 == 0o1777 && tmp.st_mtim.tv_sec == 1_000)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(fixture.root)/link") == "/proc/self/mounts")
        if geteuid() == 0 { #expect(fixture.stat("owned").map { ($0.st_uid, $0.st_gid) } ?? (0, 0) == (42, 43)) }
    }

    @Test("missing parent directories are created")
    func missingParents() throws {
        let fixture = try Fixture()
        try fixture.apply([.file("a/b/c/file", "deep")])
        #expect(fixture.read("a/b/c/file") == "deep")
    }

    @Test("hard links inside the image work, from an earlier layer too")
    func hardLinks() throws {
        let fixture = try Fixture()
        try fixture.apply([.file("a", "content"), .hardlink("b", to: "a")])
        try fixture.apply([.hardlink("c", to: "/a")])
        let (a, b, c) = (try #require(fixture.stat("a")), try #require(fixture.stat("b")), try #require(fixture.stat("c")))
        #expect(a.st_ino == b.st_ino && b.st_ino == c.st_ino && a.st_nlink == 3)
    }

    @Test("names climbing out with .. are refused, naming the entry", arguments: ["../x", "a/../../x", "..", "./../x"])
    func climbingOut(_ name: String) throws {
        let fixture = try Fixture()
        let error = thrownError { try fixture.apply([.file(name, "pwned")]) }
        #expect(error?.contains("climbs out") == true, "\(name): \(error ?? "applied")")
        #expect(!fixture.directory.exists("x"))
    }

    @Test("names that climb and come back in are cleaned and stay inside")
    func cleanedNames() throws {
        let fixture = try Fixture()
        try fixture.apply([.file("a/../b", "b"), .file("./c", "c"), .file("d//e", "e")])
        #expect(fixture.read("b") == "b" && fixture.read("c") == "c" && fixture.read("d/e") == "e")
        #expect(!fixture.exists("a"))
    }

    @Test("absolute names land inside the root")
    func absoluteNames() throws {
        let fixture = try Fixture()
        let name = "rkt-unit-\(UUID().uuidString.prefix(8))"
        try fixture.apply([.file("/etc/\(name)", "inside"), .file("//\(name)", "top")])
        #expect(fixture.read("etc/\(name)") == "inside" && fixture.read(name) == "top")
        #expect(!FileManager.default.fileExists(atPath: "/etc/\(name)") && !FileManager.default.fileExists(atPath: "/\(name)"))
    }

    @Test("a file through a symlink to an absolute directory outside lands in the root's directory of that name")
    func symlinkToAbsoluteDirectory() throws {
        let fixture = try Fixture()
        try fixture.directory.write("outside/keep", "sentinel")
        let outside = "\(fixture.directory.path)/outside"
        try fixture.apply([.symlink("x", to: outside), .file("x/pwned", "pwned")])
        #expect(!fixture.directory.exists("outside/pwned"), "written outside the root")
        #expect(fixture.read(String(outside.dropFirst()) + "/pwned") == "pwned", "\((try? fixture.names()) ?? [])")
    }

    @Test("a file through a relative symlink climbing out lands in the root")
    func symlinkClimbing() throws {
        let fixture = try Fixture()
        try fixture.apply([.symlink("y", to: "../../../../.."), .file("y/escaped", "pwned")])
        #expect(fixture.read("escaped") == "pwned")
        #expect(!fixture.directory.exists("escaped"))
    }

    @Test("a whiteout through a symlink to a directory outside removes nothing outside")
    func whiteoutThroughSymlink() throws {
        let fixture = try Fixture()
        try fixture.directory.write("outside/victim", "sentinel")
        try fixture.apply([.symlink("x", to: "\(fixture.directory.path)/outside")])
        try fixture.apply([.whiteout("x/.wh.victim")])
        try fixture.apply([.symlink("up", to: "../outside")])
        try fixture.apply([.whiteout("up/.wh.victim")])
        #expect(fixture.directory.text("outside/victim") == "sentinel")
    }

    @Test("an opaque marker through a symlink to a directory outside empties nothing outside")
    func opaqueThroughSymlink() throws {
        let fixture = try Fixture()
        try fixture.directory.write("outside/victim", "sentinel")
        try fixture.apply([.symlink("x", to: "../outside")])
        try fixture.apply([.whiteout("x/.wh..wh..opq")])
        #expect(fixture.directory.text("outside/victim") == "sentinel")
    }

    @Test("a hard link to a path outside the root is refused", arguments: ["../../etc/passwd", "../outside/file"])
    func hardLinkOutside(_ target: String) throws {
        let fixture = try Fixture()
        try fixture.directory.write("outside/file", "sentinel")
        var before = Glibc.stat()
        _ = lstat("/etc/passwd", &before)
        let error = thrownError { try fixture.apply([.hardlink("p", to: target)]) }
        #expect(error?.contains("hard link") == true && error?.contains(target) == true, "\(error ?? "applied")")
        var after = Glibc.stat()
        _ = lstat("/etc/passwd", &after)
        #expect(after.st_nlink == before.st_nlink)
        #expect(!fixture.exists("p"))
    }

    @Test("a hard link through a symlink to a file outside the root links nothing outside")
    func hardLinkThroughSymlink() throws {
        let fixture = try Fixture()
        try fixture.directory.write("outside/file", "sentinel")
        let outside = "\(fixture.directory.path)/outside"
        _ = thrownError { try fixture.apply([.symlink("s", to: outside), .hardlink("p", to: "s/file")]) }
        var info = Glibc.stat()
        #expect(lstat("\(outside)/file", &info) == 0 && info.st_nlink == 1, "the outside file got a new name")
    }

    @Test("device nodes are refused unless allowed")
    func devices() throws {
        let fixture = try Fixture()
        let error = thrownError { try fixture.apply([.device("null", major: 1, minor: 3)]) }
        #expect(error?.contains("\"null\"") == true && error?.contains("device nodes are not allowed") == true, "\(error ?? "applied")")
        #expect(!fixture.exists("null"))
        if geteuid() == 0 {
            fixture.applier.allowDevices = true
            try fixture.apply([.device("null", major: 1, minor: 3)])
            let info = try #require(fixture.stat("null"))
            #expect(info.st_mode & S_IFMT == S_IFCHR && info.st_rdev == (1 << 8 | 3))
        }
    }

    @Test("a .wh. name never reaches the root, whatever the layer")
    func noWhiteoutNames() throws {
        let fixture = try Fixture()
        try fixture.apply([.directory("a"), .whiteout("a/.wh.b"), .whiteout(".wh.c"), .whiteout("a/.wh..wh..opq"), .file("a/f", "f")])
        let all = try FileManager.default.subpathsOfDirectory(atPath: fixture.root)
        #expect(!all.contains { $0.split(separator: "/").contains { $0.hasPrefix(".wh.") } }, "\(all)")
    }
}
