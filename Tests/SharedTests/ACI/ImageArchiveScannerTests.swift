import Foundation
import Glibc
import Shared
import TestSupport
import Testing

@Suite("ACI: what an image archive may hold")
struct ImageArchiveScannerTests {
    static let manifest = TestTarMember.file("manifest", TestImage.manifest())
    static let rootfs = TestTarMember.directory("rootfs")

    /// Scans a tar of `members`: the manifest's bytes and the names visited, or the error's text.
    static func scan(_ members: [TestTarMember]) throws -> Result<(manifest: [UInt8], names: [String]), any Error> {
        let scratch = try Scratch()
        let path = try scratch.write("image.aci", Data(try TestTar.bytes(members)))
        let reader = try ArchiveReader(fileDescriptor: try FileIO.open(path, O_RDONLY), name: "image.aci", ownsDescriptor: true)
        var names: [String] = []
        return Result {
            let scanned = try ImageArchiveScanner.scan(reader) { member in
                switch member {
                case .manifest: names.append("manifest")
                case .other(let entry): names.append(ArchivePath.clean(entry.path))
                }
            }
            return (scanned.bytes, names)
        }
    }

    static func refusal(_ members: [TestTarMember]) throws -> String {
        guard case .failure(let error) = try scan(members) else { return "accepted" }
        return "\(error)"
    }

    @Test("a manifest and a rootfs with files, links and directories make an image; the manifest's bytes are kept as they are")
    func valid() throws {
        let text = TestImage.manifest().replacingOccurrences(of: ",", with: ", ")
        let result = try Self.scan([.directory("."), .file("manifest", text), Self.rootfs, .directory("rootfs/etc"),
                                    .file("rootfs/etc/hello", "hi"), .hardlink("rootfs/etc/again", to: "rootfs/etc/hello"),
                                    .symlink("rootfs/etc/up", to: "../../../outside")]).get()
        #expect(result.manifest == Array(text.utf8))
        #expect(result.names == ["manifest", "rootfs", "rootfs/etc", "rootfs/etc/hello", "rootfs/etc/again", "rootfs/etc/up"])
    }

    @Test("members that could write outside the image are refused, naming the member", arguments: [
        ([TestTarMember.file("/etc/passwd", "x")], #"unsafe entry "/etc/passwd": absolute path"#),
        ([.file("rootfs/../../etc/passwd", "x")], #"unsafe entry "rootfs/../../etc/passwd": path contains "..""#),
        ([.file("rootfs/a/../../x", "x")], #"unsafe entry "rootfs/a/../../x": path contains "..""#),
        ([.symlink("rootfs/etc", to: "/etc"), .file("rootfs/etc/passwd", "x")],
         #"unsafe entry "rootfs/etc/passwd": "rootfs/etc" above it is a symlink, not a directory"#),
        ([.hardlink("rootfs/shadow", to: "/etc/shadow")],
         #"unsafe entry "rootfs/shadow": hard link to "/etc/shadow", which is not an earlier file of the image"#),
        ([.hardlink("rootfs/later", to: "rootfs/file"), .file("rootfs/file", "x")],
         #"unsafe entry "rootfs/later": hard link to "rootfs/file", which is not an earlier file of the image"#),
        ([.file("rootfs/a/b", "x"), .file("rootfs/a", "x")], #"unsafe entry "rootfs/a": a file where earlier members need a directory"#),
    ])
    func hostileMembers(_ members: [TestTarMember], _ message: String) throws {
        #expect(try Self.refusal([Self.manifest, Self.rootfs] + members) == message)
    }

    @Test("an archive that is not shaped like an image is refused", arguments: [
        ([TestTarMember.directory("rootfs")], "no image manifest found in archive"),
        ([TestTarMember.file("manifest", TestImage.manifest())], "no rootfs found in archive"),
        ([.file("manifest", TestImage.manifest()), .file("rootfs", "x")], "rootfs is not a directory"),
        ([.directory("manifest"), .directory("rootfs")], "manifest is not a regular file"),
        ([.file("manifest", TestImage.manifest()), .directory("rootfs"), .file("etc/passwd", "x")],
         #"unrecognized file path in image: "etc/passwd" (only manifest and rootfs/ are allowed)"#),
        ([.file("manifest", TestImage.manifest()), .directory("rootfs"), .file("rootfs/x", "1"), .file("rootfs/./x", "2")],
         "duplicate file entry in archive: rootfs/x"),
    ])
    func structure(_ members: [TestTarMember], _ message: String) throws {
        #expect(try Self.refusal(members) == message)
    }

    @Test("an invalid manifest is refused with the schema's reason")
    func invalidManifest() throws {
        let refusal = try Self.refusal([.file("manifest", #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"Not Valid"}"#), Self.rootfs])
        #expect(refusal.hasPrefix("image manifest validation failed: "), "\(refusal)")
        #expect(refusal.contains("Not Valid"), "\(refusal)")
    }
}
