import Foundation
import Glibc
import Shared
import TestSupport
import Testing

@Suite("archive: reading and writing tars")
struct ArchiveReaderWriterTests {
    static let members: [TestTarMember] = [
        .directory("rootfs", mode: 0o755),
        .file("rootfs/hello", "hello\n", mode: 0o640, uid: 1234, gid: 5678, mtime: 1_600_000_000),
        .symlink("rootfs/link", to: "/etc/hello"),
        .hardlink("rootfs/again", to: "rootfs/hello"),
        .device("rootfs/null", major: 1, minor: 3),
        .file("manifest", String(repeating: "x", count: 200_000)),
    ]

    /// Every member of the archive at `path` with its data.
    static func read(_ path: String, name: String = "test.tar", expected: ExpectedContent? = nil) throws -> [TestTarMember] {
        let reader = try ArchiveReader(fileDescriptor: try FileIO.open(path, O_RDONLY), name: name, expected: expected, ownsDescriptor: true)
        var result: [TestTarMember] = []
        while let entry = try reader.next() {
            result.append(TestTarMember(entry: entry, content: try reader.readAll(limit: 1 << 20)))
        }
        try reader.finish()
        return result
    }

    @Test("members written in each compression read back the same: type, mode, owner, time, link, data",
          arguments: Compression.allCases)
    func roundTrip(_ compression: Compression) throws {
        let scratch = try Scratch()
        let path = try scratch.write("test.tar", Data(try TestTar.bytes(Self.members, compression: compression)))
        let read = try Self.read(path)
        #expect(read.map { ArchivePath.clean($0.entry.path) } == Self.members.map(\.entry.path), "directories come back as `rootfs/`")
        for (got, wrote) in zip(read, Self.members) {
            #expect(got.entry.type == wrote.entry.type, "\(wrote.entry.path)")
            #expect(got.entry.permissions == wrote.entry.permissions, "\(wrote.entry.path)")
            #expect(got.entry.uid == wrote.entry.uid && got.entry.gid == wrote.entry.gid, "\(wrote.entry.path)")
            #expect(got.entry.modificationTime == wrote.entry.modificationTime, "\(wrote.entry.path)")
            #expect(got.entry.linkTarget == wrote.entry.linkTarget, "\(wrote.entry.path)")
            #expect(got.content == wrote.content, "\(wrote.entry.path)")
        }
        #expect(read[4].entry.deviceMajor == 1 && read[4].entry.deviceMinor == 3)
    }

    @Test("the compression is told from the first bytes", arguments: Compression.allCases)
    func sniffing(_ compression: Compression) throws {
        let bytes = try TestTar.bytes(Self.members, compression: compression)
        let sniffed = Compression.sniff(bytes.prefix(Compression.sniffLength))
        #expect(sniffed == .compressed(compression) || (compression == .none && sniffed == .tar), "\(sniffed)")
    }

    @Test("a tar cut short inside a member's data fails, naming the archive")
    func truncated() throws {
        let scratch = try Scratch()
        let bytes = try TestTar.bytes(Self.members)
        let path = try scratch.write("cut.tar", Data(bytes[..<(bytes.count - 100_000)]))
        let error = #expect(throws: (any Error).self) { try Self.read(path, name: "cut.tar") }
        #expect(described(error).hasPrefix("cut.tar: "), "\(described(error))")
        #expect(described(error).lowercased().contains("truncated"), "\(described(error))")
    }

    @Test("a gzip stream cut short fails, naming the archive")
    func truncatedGzip() throws {
        let scratch = try Scratch()
        let bytes = try TestTar.bytes(Self.members, compression: .gzip)
        let path = try scratch.write("cut.tgz", Data(bytes[..<(bytes.count / 2)]))
        let error = #expect(throws: (any Error).self) { try Self.read(path, name: "cut.tgz") }
        #expect(described(error).hasPrefix("cut.tgz: "), "\(described(error))")
    }

    @Test("bytes that are no archive are refused")
    func notAnArchive() throws {
        let scratch = try Scratch()
        let path = try scratch.write("text", String(repeating: "not a tar\n", count: 100))
        let error = #expect(throws: (any Error).self) { try Self.read(path, name: "text") }
        #expect(described(error).hasPrefix("text: "), "\(described(error))")
    }

    @Test("a member larger than the caller's limit is refused")
    func memberLimit() throws {
        let scratch = try Scratch()
        let path = try scratch.write("test.tar", Data(try TestTar.bytes([.file("big", String(repeating: "y", count: 5000))])))
        let reader = try ArchiveReader(fileDescriptor: try FileIO.open(path, O_RDONLY), name: "test.tar", ownsDescriptor: true)
        _ = try reader.next()
        let error = #expect(throws: (any Error).self) { try reader.readAll(limit: 4096) }
        #expect(described(error) == "test.tar: member larger than 4096 bytes")
    }

    @Test("with an expected size and digest, matching content reads; other content is refused")
    func expectedContent() throws {
        let scratch = try Scratch()
        let bytes = try TestTar.bytes(Self.members)
        let path = try scratch.write("test.tar", Data(bytes))
        let digest = ContentHasher.hex(.sha256, of: bytes)
        let right = ExpectedContent(size: Int64(bytes.count), algorithm: .sha256, hex: digest, name: "layer")
        #expect(try Self.read(path, expected: right).count == Self.members.count)

        let longer = ExpectedContent(size: Int64(bytes.count + 512), algorithm: .sha256, hex: digest, name: "layer")
        let short = #expect(throws: (any Error).self) { try Self.read(path, expected: longer) }
        #expect(described(short).contains("\(bytes.count) bytes, but its descriptor says \(bytes.count + 512) (truncated?)"), "\(described(short))")

        let other = ExpectedContent(size: Int64(bytes.count), algorithm: .sha256, hex: String(repeating: "0", count: 64), name: "layer")
        let mismatch = #expect(throws: (any Error).self) { try Self.read(path, expected: other) }
        #expect(described(mismatch).contains("layer"), "\(described(mismatch))")
        #expect(described(mismatch).contains(digest), "\(described(mismatch))")
    }
}
