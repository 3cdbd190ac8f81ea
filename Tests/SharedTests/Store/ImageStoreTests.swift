import Foundation
import Shared
import TestSupport
import Testing

@Suite("store: images in a data directory")
struct ImageStoreTests {
    /// The files below `directory` (recursively), relative to it.
    static func files(in directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(directory)/\(name)", isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    @Test("an imported image is stored under the SHA-512 of its tar, found by ID, short ID and name, and removed with its blob")
    func importFindRemove() throws {
        let scratch = try Scratch()
        let store = try ImageStore(dataDirectory: scratch.path("data"))
        let tar = try TestImage.tar(content: "one")
        let compressed = try TestImage.write(scratch, "app.aci", try TestImage.tar(content: "one", compression: .gzip))
        let record = try store.importImage(try InputFile(path: compressed))
        #expect(record.key == TestImage.key(of: tar))
        #expect(record.name == "example.com/app")
        #expect(record.label("version") == "1.0.0")
        #expect(record.size == Int64(tar.count))
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.blobPath(record.key))) == Data(tar), "the blob is the uncompressed tar")
        #expect(try store.image(key: record.key)?.key == record.key)
        #expect(try store.resolve(record.key).key == record.key)
        #expect(try store.resolve(String(record.key.prefix(19))).key == record.key)
        #expect(try store.resolve("example.com/app:1.0.0").key == record.key)

        try store.remove(record.key)
        #expect(try store.image(key: record.key) == nil)
        #expect(!FileManager.default.fileExists(atPath: store.blobPath(record.key)))
        let error = #expect(throws: (any Error).self) { try store.resolve("example.com/app") }
        #expect(described(error) == #"no image found for "example.com/app""#)
    }

    @Test("the same image imported twice is one image")
    func importTwice() throws {
        let scratch = try Scratch()
        let store = try ImageStore(dataDirectory: scratch.path("data"))
        let path = try TestImage.write(scratch, "app.aci", try TestImage.tar())
        let first = try store.importImage(try InputFile(path: path))
        let second = try store.importImage(try InputFile(path: path))
        #expect(first.key == second.key)
        #expect(try store.images().map(\.key) == [first.key])
    }

    @Test("a half-written image is refused and leaves nothing behind: no index row, no blob, no temporary file",
          arguments: [Compression.none, .gzip])
    func halfWrittenRefused(_ compression: Compression) throws {
        let scratch = try Scratch()
        let store = try ImageStore(dataDirectory: scratch.path("data"))
        let whole = try TestImage.tar(content: String(repeating: "z", count: 100_000), compression: compression)
        let path = try TestImage.write(scratch, "cut.aci", Array(whole[..<(whole.count / 2)]))
        let error = #expect(throws: (any Error).self) { try store.importImage(try InputFile(path: path)) }
        #expect(described(error).hasPrefix("\(path): "), "\(described(error))")
        #expect(try store.images().isEmpty)
        #expect(Self.files(in: scratch.path("data/cas/blob")).isEmpty)
        #expect(Self.files(in: store.temporaryDirectory).isEmpty)
    }

    @Test("a tar that is no image is refused with the scanner's reason")
    func notAnImage() throws {
        let scratch = try Scratch()
        let store = try ImageStore(dataDirectory: scratch.path("data"))
        let path = try TestImage.write(scratch, "other.tar", try TestTar.bytes([.file("etc/passwd", "root:x:0:0::/:/bin/sh\n")]))
        let error = #expect(throws: (any Error).self) { try store.importImage(try InputFile(path: path)) }
        #expect(described(error) == "\(path): invalid app container image: unrecognized file path in image: \"etc/passwd\" (only manifest and rootfs/ are allowed)")
        #expect(try store.images().isEmpty)
    }

    @Test("a check that refuses the manifest (a signature check) stores nothing")
    func refusedByCheck() throws {
        struct Refused: Error, CustomStringConvertible { var description: String { "not trusted" } }
        let scratch = try Scratch()
        let store = try ImageStore(dataDirectory: scratch.path("data"))
        let path = try TestImage.write(scratch, "app.aci", try TestImage.tar())
        let error = #expect(throws: (any Error).self) {
            try store.importImage(try InputFile(path: path)) { manifest in
                #expect(manifest.name.value == "example.com/app")
                throw Refused()
            }
        }
        #expect(described(error) == "not trusted")
        #expect(try store.images().isEmpty)
        #expect(Self.files(in: scratch.path("data/cas/blob")).isEmpty)
    }

    @Test("image IDs resolve by prefix: too short, not hex, none, ambiguous, and one digit past the shared ones")
    func idPrefixes() throws {
        let scratch = try Scratch()
        let store = try ImageStore(dataDirectory: scratch.path("data"))
        // The first two images (in order of their content) whose IDs share the first two hex digits.
        var byPrefix: [Substring: [UInt8]] = [:]
        var pair: [[UInt8]] = []
        var index = 0
        while pair.isEmpty {
            let tar = try TestImage.tar(content: "\(index)")
            let prefix = TestImage.key(of: tar).dropFirst(7).prefix(2)
            if let earlier = byPrefix[prefix] { pair = [earlier, tar] } else { byPrefix[prefix] = tar }
            index += 1
        }
        let keys = try pair.enumerated().map { index, tar in
            try store.importImage(try InputFile(path: try TestImage.write(scratch, "\(index).aci", tar))).key
        }
        let shared = zip(keys[0].dropFirst(7), keys[1].dropFirst(7)).prefix { $0 == $1 }.count
        #expect(shared >= 2)

        let ambiguous = #expect(throws: (any Error).self) { try store.resolve(String(keys[0].prefix(7 + shared))) }
        #expect(described(ambiguous) == "ambiguous image ID: \(quoted(String(keys[0].prefix(7 + shared))))")
        #expect(try store.resolve(String(keys[0].prefix(7 + shared + 1))).key == keys[0])
        #expect(try store.resolve(String(keys[1].prefix(7 + shared + 1))).key == keys[1])
        #expect(try store.resolve(keys[1].uppercased().replacingOccurrences(of: "SHA512-", with: "sha512-")).key == keys[1])

        let short = #expect(throws: (any Error).self) { try store.resolve("sha512-a") }
        #expect(described(short) == #"image ID too short: "sha512-a""#)
        let invalid = #expect(throws: (any Error).self) { try store.resolve("sha512-xyz") }
        #expect(described(invalid) == #"invalid image ID: "sha512-xyz""#)
        let unused = try #require("0123456789abcdef".first { digit in !keys.contains { $0.dropFirst(7).first == digit } })
        let none = #expect(throws: (any Error).self) { try store.resolve("sha512-\(unused)0") }
        #expect(described(none) == "no image IDs found for \(quoted("sha512-\(unused)0"))")
    }
}
