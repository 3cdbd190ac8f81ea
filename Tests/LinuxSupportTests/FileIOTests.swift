import Foundation
import Glibc
import LinuxSupport
import TestSupport
import Testing

@Suite("Linux layer: file I/O")
struct FileIOTests {
    @Test("a file written is read back whole, with the mode asked for; rewriting truncates it")
    func writeAndRead() throws {
        let scratch = try Scratch()
        let path = scratch.path("file")
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 253) }
        try FileIO.writeFile(path, bytes, mode: 0o600)
        #expect(try FileIO.readFile(path) == bytes)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        try FileIO.writeFile(path, "short")
        #expect(try FileIO.readFile(path) == Array("short".utf8))
    }

    @Test("a file larger than the limit is refused, whether its size is known (a file) or not (a pipe)")
    func limits() throws {
        let scratch = try Scratch()
        let path = try scratch.write("big", String(repeating: "x", count: 5000))
        #expect(try FileIO.readFile(path, limit: 5000).count == 5000)
        let file = #expect(throws: (any Error).self) { try FileIO.readFile(path, limit: 4096) }
        #expect(described(file) == "\(path) is larger than 4 KiB, the limit for this kind of file")

        let pipe = try PipePair()
        defer { close(pipe.read) }
        try FileIO.writeAll(pipe.write, Array(repeating: 0x79, count: 5000), path: "pipe")
        close(pipe.write)
        let piped = #expect(throws: (any Error).self) { try FileIO.readAll(pipe.read, path: "the pipe", limit: 4096) }
        #expect(described(piped) == "the pipe is larger than 4 KiB, the limit for this kind of file")
    }

    @Test("missing parents are created; an existing directory is fine; a file in the way is named")
    func makeDirectories() throws {
        let scratch = try Scratch()
        try FileIO.makeDirectories(scratch.path("a/b/c"))
        try FileIO.makeDirectories(scratch.path("a/b/c"))
        #expect(FileIO.isDirectory(scratch.path("a/b/c")))
        try scratch.write("file", "x")
        let error = #expect(throws: (any Error).self) { try FileIO.makeDirectories(scratch.path("file/sub/dir")) }
        #expect(described(error) == "mkdir \(scratch.path("file/sub/dir")): Not a directory")
    }

    @Test("exists sees a dangling symlink; isDirectory follows symlinks; link reads the target")
    func links() throws {
        let scratch = try Scratch()
        try FileManager.default.createSymbolicLink(atPath: scratch.path("dangling"), withDestinationPath: "nowhere")
        try FileManager.default.createSymbolicLink(atPath: scratch.path("dir"), withDestinationPath: "/")
        #expect(FileIO.exists(scratch.path("dangling")))
        #expect(!FileIO.exists(scratch.path("absent")))
        #expect(FileIO.isDirectory(scratch.path("dir")))
        #expect(try FileIO.link(scratch.path("dangling")) == "nowhere")
        let error = #expect(throws: (any Error).self) { try FileIO.link(scratch.path("absent")) }
        #expect(described(error) == "readlink \(scratch.path("absent")): No such file or directory")
    }
}
