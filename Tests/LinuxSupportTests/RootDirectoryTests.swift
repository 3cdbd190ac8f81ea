import Foundation
import Glibc
import LinuxSupport
import TestSupport
import Testing

/// The rooted resolver: every path of an image resolved as if its rootfs were `/`.
@Suite("Linux layer: paths resolved inside a root")
struct RootDirectoryTests {
    /// `root/` (an image's rootfs) beside `outside/` (the host, which must stay out of reach).
    final class Tree {
        let scratch: Scratch
        let root: String
        let directory: RootDirectory

        init() throws {
            scratch = try Scratch()
            try scratch.write("root/etc/hosts", "inside\n")
            try scratch.write("outside/etc/hosts", "outside\n")
            root = scratch.path("root")
            for (name, target) in [
                ("absolute", "/etc/hosts"),
                ("climbing", "../../../../../etc/hosts"),
                ("escape", "/../outside/etc/hosts"),
                ("host", scratch.path("outside/etc/hosts")),
                ("loop-a", "loop-b"), ("loop-b", "loop-a"),
                ("proc-root", "/proc/self/root/etc/hosts"),
                ("etc-link", "/etc"),
            ] {
                try FileManager.default.createSymbolicLink(atPath: "\(root)/\(name)", withDestinationPath: target)
            }
            directory = try RootDirectory(root)
        }

        /// The host path `inside` resolved to, or nil.
        func resolved(_ inside: String) throws -> String? {
            try directory.existing(inside).map { try FileIO.link($0) }
        }
    }

    @Test("`..`, absolute symlinks and symlinks that climb resolve inside the root", arguments: [
        "etc/hosts", "/etc/hosts", "../../etc/hosts", "/../../../etc/hosts", "absolute", "climbing", "etc-link/hosts", "etc-link/../etc/hosts",
    ])
    func staysInside(_ inside: String) throws {
        let tree = try Tree()
        #expect(try tree.resolved(inside) == "\(tree.root)/etc/hosts")
        #expect(try tree.directory.readFile(inside, limit: 100) == Array("inside\n".utf8))
    }

    @Test("symlinks naming the host's files, /proc magic links and loops resolve to nothing", arguments: [
        "escape", "host", "proc-root", "loop-a", "loop-a/x",
    ])
    func refused(_ inside: String) throws {
        let tree = try Tree()
        #expect(try tree.resolved(inside) == nil)
        #expect(tree.directory.status(inside) == nil)
        #expect(try tree.directory.readFile(inside, limit: 100) == nil)
        #expect(!RootDirectory.contains(inside, in: tree.root))
    }

    @Test("a FIFO where a file is read is refused without opening it; a file past the limit is refused")
    func readFileKinds() throws {
        let tree = try Tree()
        #expect(mkfifo("\(tree.root)/etc/passwd", 0o644) == 0)
        let fifo = #expect(throws: (any Error).self) { try tree.directory.readFile("/etc/passwd", limit: 100) }
        #expect(described(fifo) == "/etc/passwd in the image is not a regular file")
        let large = #expect(throws: (any Error).self) { try tree.directory.readFile("/etc/hosts", limit: 3) }
        #expect(described(large).contains("/etc/hosts in the image"), "\(described(large))")
    }

    @Test("a file replaced through a symlink that points out of the root replaces the symlink; the host file is untouched")
    func replaceThroughSymlink() throws {
        let tree = try Tree()
        try FileManager.default.createSymbolicLink(atPath: "\(tree.root)/etc/resolv.conf", withDestinationPath: tree.scratch.path("outside/etc/hosts"))
        try tree.directory.replaceFile("/etc/resolv.conf", with: Array("nameserver 10.0.0.1\n".utf8))
        #expect(tree.scratch.text("root/etc/resolv.conf") == "nameserver 10.0.0.1\n")
        #expect(tree.scratch.text("outside/etc/hosts") == "outside\n")
        // Through a symlinked directory, the file lands in the root's /etc.
        try tree.directory.replaceFile("/etc-link/hostname", with: Array("pod\n".utf8))
        #expect(tree.scratch.text("root/etc/hostname") == "pod\n")
        #expect(!tree.scratch.exists("outside/etc/hostname"))
    }

    @Test("a mount target that does not exist is created inside the root; through a symlink to a host path it is refused")
    func targetCreated() throws {
        let tree = try Tree()
        let file = try tree.directory.target("/new/dir/file", file: true)
        #expect(try FileIO.link(file) == "\(tree.root)/new/dir/file")
        var info = stat()
        #expect(stat("\(tree.root)/new/dir/file", &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
        let throughLink = try tree.directory.target("/etc-link/mnt", file: false)
        #expect(try FileIO.link(throughLink) == "\(tree.root)/etc/mnt")
        try FileManager.default.createSymbolicLink(atPath: "\(tree.root)/hostdir", withDestinationPath: tree.scratch.path("outside"))
        let error = #expect(throws: (any Error).self) { try tree.directory.target("/hostdir/mnt", file: false) }
        #expect(described(error) == "cannot create /hostdir/mnt in the app's rootfs: No such file or directory")
        #expect(!tree.scratch.exists("outside/mnt"))
    }
}
