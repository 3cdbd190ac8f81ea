import Foundation
import Glibc
import Stage1Kit
import TestSupport
import Testing

@Suite("stage1: an image's users and groups")
struct UserDatabaseTests {
    /// An image root with `passwd` and `group` as its /etc files.
    static func root(_ scratch: Scratch, passwd: String, group: String) throws -> RootDirectory {
        try scratch.write("rootfs/etc/passwd", passwd)
        try scratch.write("rootfs/etc/group", group)
        return try RootDirectory(scratch.path("rootfs"))
    }

    @Test("names resolve through the image's files, numbers stand for themselves, comments are skipped")
    func resolution() throws {
        let scratch = try Scratch()
        let database = try UserDatabase(root: try Self.root(scratch, passwd: "# users\nroot:x:0:0::/root:/bin/sh\nweb:x:33:34::/srv:/bin/false\n",
                                                            group: "root:x:0:\nwww:x:34:web\n"))
        #expect(try database.uid("web") == 33)
        #expect(try database.uid("1000") == 1000)
        #expect(try database.gid("www") == 34)
        #expect(try database.gid("5") == 5)
        let user = #expect(throws: (any Error).self) { try database.uid("# users") }
        #expect(described(user) == ##"user "# users" not found in the image's /etc/passwd"##)
        let group = #expect(throws: (any Error).self) { try database.gid("staff") }
        #expect(described(group) == #"group "staff" not found in the image's /etc/group"#)
    }

    @Test("an /etc/passwd that is a symlink to a host file is read inside the image, not on the host")
    func symlinkStaysInImage() throws {
        let scratch = try Scratch()
        let host = try scratch.write("host/passwd", "intruder:x:4242:4242::/:/bin/sh\n")
        try scratch.write("rootfs/etc/group", "")
        try FileManager.default.createSymbolicLink(atPath: scratch.path("rootfs/etc/passwd"), withDestinationPath: host)
        let database = try UserDatabase(root: try RootDirectory(scratch.path("rootfs")))
        #expect(throws: (any Error).self) { try database.uid("intruder") }
    }

    @Test("an /etc/passwd that is a FIFO is refused, not read (which would hang)")
    func fifoRefused() throws {
        let scratch = try Scratch()
        try scratch.write("rootfs/etc/group", "")
        #expect(mkfifo(scratch.path("rootfs/etc/passwd"), 0o644) == 0)
        let error = #expect(throws: (any Error).self) { try UserDatabase(root: try RootDirectory(scratch.path("rootfs"))) }
        #expect(described(error) == "/etc/passwd in the image is not a regular file")
    }
}
